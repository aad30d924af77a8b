/**
 * The engine skips documents and snippets that hold none of the rules' needles (per rule and per
 * snippet language: core/engine.ts `keepFor`). That is only an optimisation: with
 * DOCDRIFT_NO_NEEDLES=1 every snippet is read, and the findings must be the same, for every
 * Markdown file under examples/ and test/fixtures/.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {loadConfig} from '../core/config/index.js'
import {analyzeSnippets, lintMarkdown, needlesIn, parseMarkdown} from '../core/engine.js'
import type {SnippetLang} from '../core/extract/snippets.js'
import {NeedleScanner} from '../core/needles.js'
import {rules} from '../core/rules/index.js'
import {needleParts} from '../core/rules/types.js'
import {root} from './helpers/lint.js'
import {markdownFilesUnder} from './helpers/markdownlint.js'

const files = [...markdownFilesUnder('examples'), ...markdownFilesUnder('test/fixtures')]

function lint(text: string, file: string, needles: boolean, config?: object) {
  const before = process.env.DOCDRIFT_NO_NEEDLES
  if (needles) delete process.env.DOCDRIFT_NO_NEEDLES
  else process.env.DOCDRIFT_NO_NEEDLES = '1'
  try {
    return lintMarkdown({text, path: file, tree: parseMarkdown(text)}, {config})
  } finally {
    if (before === undefined) delete process.env.DOCDRIFT_NO_NEEDLES
    else process.env.DOCDRIFT_NO_NEEDLES = before
  }
}

/**
 * Producers whose output the secret rules follow to a secret named elsewhere: in the heading
 * above the block, or in the later block that uses the variable. The producer's own block names
 * no secret, so only its producer needles keep it.
 */
const producers = [
  'openssl rand -hex 4', 'head -c 4 /dev/urandom | base64', "tr -dc 'A-Za-z0-9' </dev/urandom | head -c 8",
  'pwgen -s 8 1', 'date +%s', 'date +%s%N | sha256sum | head -c 32', 'echo $RANDOM', 'echo $RANDOM | sha256sum | cut -d" " -f1',
  'echo -n hello | base64', 'printf hello | sha256sum', 'echo hello | md5sum', 'echo hi | b2sum', 'echo hi | shasum',
  'echo hi | xxd -p', 'echo hi | hexdump', 'echo hi | od -An -tx1', 'echo hi|od',
  'python3 -c "import secrets; print(secrets.token_hex(4))"', 'python3 -c "from secrets import token_hex; print(token_hex(4))"',
  'python3 -c "import random, string; print(\'\'.join(random.choice(string.ascii_letters) for _ in range(8)))"',
  'node -e "console.log(require(\'crypto\').randomBytes(4).toString(\'hex\'))"'
]
const fence = (code: string) => '```sh\n' + code + '\n```\n'
const underHeading = (line: string) => `# Generate the JWT secret\n\n${fence(line)}`
const inLaterBlock = (line: string) => `Make a value:\n\n${fence(`K=$(${line})`)}\nThen:\n\n${fence('export JWT_SECRET="$K"')}`
const configured = {JWT_SECRET: {minBytes: 32}}
for (const [where, document, config, least] of [
  // Each rule alone, so that its own needles must keep the block.
  ['the heading (weak-secret)', underHeading, {secrets: configured, rules: {'secret-length': 'off'}}, producers.length],
  ['the heading (secret-length)', underHeading, {secrets: configured, rules: {'weak-secret': 'off'}}, 6],
  ['a later block (no secret configured)', inLaterBlock, {}, producers.length]
] as const) {
  test(`needles keep a producer whose secret is named in ${where}`, () => {
    let seen = 0
    for (const line of producers) {
      const text = document(line)
      const findings = (needles: boolean) => lint(text, '/tmp/producer.md', needles, config).findings.map((f) => `${f.ruleId} ${f.start.line}:${f.start.column}`)
      const all = findings(false)
      if (all.length > 0) seen++
      assert.equal(findings(true), all, line)
    }
    assert.ok(seen >= least, `${seen} of ${producers.length} producers had a finding without needles`)
  })
}

test('needles keep a configured secret however the docs spell it (a name with no generic secret word)', () => {
  const config = {secrets: {DB_PASS: {minBytes: 32}}, rules: {'secret-length': 'off'}}
  for (const line of ['helm install x ./c --set db.dbPass=hunter2', 'helm install x ./c --set-string DbPass=hunter2', 'export db_pass=hunter2', 'kubectl create secret generic db --from-literal=db-pass=hunter2']) {
    const text = '```sh\n' + line + '\n```\n'
    const findings = (needles: boolean) => lint(text, '/tmp/spelling.md', needles, config).findings.map((f) => `${f.ruleId} ${f.actual}`)
    assert.equal(findings(false), ['weak-secret hunter2'], line)
    assert.equal(findings(true), findings(false), line)
  }
})

let found = 0
for (const file of files) {
  test(`needles drop no finding: ${file}`, () => {
    const full = path.join(root, file)
    const text = readFileSync(full, 'utf8')
    const fast = lint(text, full, true)
    const slow = lint(text, full, false)
    found += slow.findings.length
    assert.equal(fast.findings, slow.findings)
  })
}

test('the comparison saw findings', () => {
  assert.ok(found >= 100, `only ${found} findings`)
})

test('a snippet is read for the rules of its language only: prose with `token` is not', () => {
  const config = {secrets: {JWT_SECRET: {minBytes: 32}}}
  const text = 'Set the token in prose, then run `JWT_SECRET=abc123def`.\n'
  const result = lintMarkdown({text, path: '/tmp/x.md'}, {config})
  assert.equal(result.findings.map((f) => [f.ruleId, f.actual]), [['weak-secret', 'abc123def']])
})

test('a needle of some languages keeps their snippets only: `fromRegistry` a code block, `image` a command', () => {
  // mutable-image alone: no other rule's needle keeps a block.
  const config = loadConfig({rules: {'stale-route': 'off', 'secret-length': 'off', 'weak-secret': 'off', 'unpinned-install': 'off', 'forbidden-pattern': 'off'}}, {cwd: root})
  /** Whether a snippet of `lang` holding `value`, alone in its document, is kept. */
  const kept = (value: string, lang: SnippetLang) => {
    let keeps: boolean | undefined
    analyzeSnippets(value, (_, keep) => {
      keeps = keep ? keep(value, lang) : true
      return []
    }, config)
    return keeps ?? false
  }
  for (const value of ["ecs.ContainerImage.fromRegistry('nginx')", 'ecs.ContainerImage.from_registry("nginx")', "{imageIdentifier: 'nginx'}", 'image_identifier="nginx"', "containers: [{image: 'nginx'}]", "initContainers: [{image: 'nginx'}]", "deployment.addContainer({image: 'nginx'})", 'deployment.add_container(image="nginx")']) {
    assert.ok(kept(value, 'code'), value)
    assert.not.ok(kept(value.replaceAll('image', 'img').replaceAll('Image', 'Img'), 'shell'), value)
    assert.not.ok(kept(value.replaceAll('image', 'img').replaceAll('Image', 'Img'), 'yaml'), value)
  }
  // mutable-image's own needles keep commands and manifests, not code.
  for (const value of ["const image = 'nginx'", 'docker run nginx', 'FROM nginx', 'podman pull nginx']) {
    assert.ok(kept(value, 'shell'), value)
    assert.ok(kept(value, 'yaml'), value)
    assert.not.ok(kept(value, 'code'), value)
  }
})

test('the needle scanner finds needles inside, across and at the ends of others, and words alone', () => {
  const scanner = new NeedleScanner([{text: 'he', word: false}, {text: 'she', word: false}, {text: 'his', word: false}, {text: 'hers', word: false}, {text: 'go', word: true}, {text: 'é/x', word: false}])
  const found = (text: string) => [...scanner.find(text)].join('')
  assert.equal(found(''), '000000')
  assert.equal(found('ushers'), '110100')
  assert.equal(found('this'), '001000')
  assert.equal(found('go'), '000010')
  assert.equal(found('go-to, ago, good, cargo_go'), '000010')
  assert.equal(found('ago good cargo'), '000000')
  assert.equal(found('café/x'), '000001')
  assert.equal(new NeedleScanner([]).find('anything').length, 0)
})

test('word needles: a block is read for a word next to punctuation, not for a longer word that holds it', () => {
  const config = loadConfig({}, {cwd: root})
  // Common words that hold a needle's text, and commands no rule reads.
  for (const text of ['run the update and validate it', 'see the summary', 'the keys of a monkey', 'a pipeline', 'tokens and secretKeyRef', 'brew install jq', 'apt-get install -y jq', 'helmet', 'a good tool']) {
    assert.equal(needlesIn(config, text), [], text)
  }
  assert.equal(needlesIn(config, '$(date +%s)'), ['\\bdate\\b'])
  assert.equal(needlesIn(config, 'API_KEY=x'), ['\\bKEY\\b'])
  assert.equal(needlesIn(config, '"jwt-secret": "kong"'), ['\\bsecret\\b'])
  assert.equal(needlesIn(config, 'echo hi | sha256sum'), ['sha256sum'])
  assert.equal(needlesIn(config, 'python3 -m pip install x'), ['\\bpip\\b'])
})

test('needles keep every install command unpinned-install reads, alone in its block', () => {
  const commands = [
    'sudo go install golang.org/x/tools/cmd/goimports@latest', 'go get golang.org/x/tools@master',
    'npm i -g typescript', 'pnpm add -g typescript', 'yarn global add typescript', 'npx create-app@latest', 'pip install httpie', 'pip3 install httpie', 'pipx install httpie',
    'python3 -m pip install httpie', 'cargo install cargo-audit', 'curl -fsSL https://get.example.com | sh', 'wget -qO- https://get.example.com | bash',
    'go run golang.org/x/tools/cmd/goimports@latest', 'pnpm dlx create-app@latest', 'yarn dlx create-app@latest', 'bunx create-app@latest', 'bun add -g typescript',
    'uv tool install ruff', 'uv pip install httpie', 'uvx ruff@latest', 'uv tool run ruff@latest', 'cargo binstall cargo-audit', 'gem install bundler',
    '/usr/local/go/bin/go install golang.org/x/tools/cmd/goimports@latest', 'sudo -E /usr/bin/pip install httpie'
  ]
  for (const command of commands) {
    const text = '```sh\n' + command + '\n```\n'
    const findings = (needles: boolean) => lint(text, '/tmp/install.md', needles, {}).findings.map((f) => f.ruleId)
    assert.equal(findings(false), ['unpinned-install'], command)
    assert.equal(findings(true), findings(false), command)
  }
})

test('needles keep a secret named next to punctuation: assignments, options, YAML and JSON keys', () => {
  const blocks = [
    ['sh', 'export API_KEY=hunter2hunter2'], ['sh', 'kubectl create secret generic x --from-literal=jwt-secret=hunter2hunter2'], ['sh', 'docker run -e APP_KEY=hunter2hunter2 nginx:1.27'],
    ['yaml', 'env:\n  - name: SESSION_SECRET\n    value: hunter2hunter2'], ['yaml', 'stringData:\n  key: hunter2hunter2'], ['sh', "CONF='{\"secret\":\"hunter2hunter2\"}'"]
  ]
  for (const [lang, code] of blocks) {
    const text = '```' + lang + '\n' + code + '\n```\n'
    const findings = (needles: boolean) => lint(text, '/tmp/secret.md', needles, {}).findings.map((f) => `${f.ruleId} ${f.actual}`)
    assert.equal(findings(false), ['weak-secret hunter2hunter2'], code)
    assert.equal(findings(true), findings(false), code)
  }
})

test('the needle scan finds every needle: alone, inside a longer one, and overlapping another', () => {
  // Secret names and route paths that overlap each other and the built-in needles.
  const config = loadConfig({
    secrets: {ENCRYPTION_KEY: {bytes: 32, aliases: ['encryption-key']}, KEYRING_TOKEN: {minBytes: 32}, TOKENS_KEY: {minBytes: 32}},
    routes: {prefix: '/chatbox', stalePrefixes: ['/chat', '/cha'], paths: ['/ws', '/sessions', '/wsx/:id']}
  }, {cwd: root})
  const all = needlesIn(config, rules.flatMap((r) => r.needles?.(config) ?? []).map((n) => needleParts(n).text).join('\n'))!
  assert.ok(all.length > 40, `${all.length} needles`)
  // A word needle's key is `\bkey\b`: its text, with no ASCII letter or digit on either side.
  const textOf = (needle: string) => (needle.startsWith('\\b') ? needle.slice(2, -2) : needle)
  assert.ok(all.filter((needle) => textOf(needle) !== needle).length >= 10, 'word needles')
  const alone = (text: string, word: string) => {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      if (!/[A-Za-z0-9]/.test(text[at - 1] ?? '') && !/[A-Za-z0-9]/.test(text[at + word.length] ?? '')) return true
    }
    return false
  }
  const expected = (text: string) => all.filter((needle) => (textOf(needle) === needle ? text.includes(needle) : alone(text, textOf(needle))))
  const words = [...new Set(all.map(textOf))]
  const texts = ['', 'nothing to see here', ...words.map((needle) => `x ${needle} y`), ...words.map((needle) => `x${needle}y`), ...words.map((needle) => `${needle}s`), ...words.map((needle) => `_${needle}`)]
  // Every needle that starts inside another and runs past its end (`KEYRING_TOKEN` + `TOKENS_KEY`).
  for (const a of words) {
    for (const b of words) {
      for (let overlap = 1; overlap < Math.min(a.length, b.length); overlap++) {
        if (a.endsWith(b.slice(0, overlap))) texts.push(a + b.slice(overlap))
      }
    }
  }
  // A needle repeated many times, then others.
  texts.push('key '.repeat(1500) + 'openssl ENCRYPTION_KEY /chatbox', 'tokens '.repeat(1200) + '/wsx/1')
  assert.ok(texts.length > 100, `${texts.length} texts`)
  for (const text of texts) assert.equal(needlesIn(config, text), expected(text), text)
})

test.run()
