/**
 * The shell model's `runCommand`: which program a command runs and with which arguments, through
 * paths (`/usr/local/go/bin/go`) and the wrappers that run the command after them (`sudo`,
 * `env`, `doas`, `command`, `exec`, `nohup`, `time`).
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {programOf} from '../core/facts/installs.js'
import {parseShell, runCommand} from '../core/shell/parse.js'
import {analyzeText} from '../core/engine.js'
import {loadConfig} from '../core/index.js'

/** `name args…` of each command of `text`, `-` for no name. */
function run(text: string): string[] {
  return parseShell(text).pipelines.flatMap((pipeline) =>
    pipeline.commands.map((command) => {
      const {name, args} = runCommand(command)
      return [name ?? '-', ...args.map((arg) => arg.raw)].join(' ')
    })
  )
}

test('process substitutions: the commands in `<(…)` are the word\'s, and the script\'s pipelines', () => {
  const text = 'diff <(curl -s https://a/x) "$(date)" <(wget -qO- https://b/x | sort)'
  const script = parseShell(text)
  const diff = script.pipelines.find((p) => p.commands[0].name?.value === 'diff')!.commands[0]
  const words = diff.args.map((arg) => ({
    raw: arg.raw,
    value: arg.value,
    substitutions: arg.substitutions.map((list) => list.map((p) => text.slice(p.start, p.end))),
    processes: arg.processes.map((list) => list.map((p) => text.slice(p.start, p.end)))
  }))
  assert.equal(words, [
    {raw: '<(curl -s https://a/x)', value: undefined, substitutions: [], processes: [['curl -s https://a/x']]},
    {raw: '"$(date)"', value: undefined, substitutions: [['date']], processes: []},
    {raw: '<(wget -qO- https://b/x | sort)', value: undefined, substitutions: [], processes: [['wget -qO- https://b/x | sort']]}
  ])
  assert.equal(script.pipelines.map((p) => text.slice(p.start, p.end)).sort(), ['curl -s https://a/x', 'date', text, 'wget -qO- https://b/x | sort'])
})

test('what a shell or an interpreter runs: program text, a file, or its standard input', () => {
  const program = (text: string) => {
    const {name, args} = runCommand(parseShell(text).pipelines.at(-1)!.commands[0])
    const got = programOf(name!, args)
    return got === undefined || got === 'stdin' ? got : 'text' in got ? `text ${got.text.raw}` : `file ${got.file.raw}`
  }
  assert.is(program('bash'), 'stdin')
  assert.is(program('sudo -E bash -'), 'stdin')
  assert.is(program('bash -s -- --yes'), 'stdin')
  assert.is(program('bash -o pipefail'), 'stdin')
  assert.is(program('bash -lc "$(curl x)" name'), 'text "$(curl x)"')
  assert.is(program('bash -c'), undefined)
  assert.is(program('bash install.sh --yes'), 'file install.sh')
  assert.is(program('sh <(curl x) --daemon'), 'file <(curl x)')
  assert.is(program('bash -- install.sh'), 'file install.sh')
  assert.is(program('python3 -'), 'stdin')
  assert.is(program('python3 -u'), 'stdin')
  assert.is(program('python3 -W ignore'), 'stdin')
  assert.is(program('python3 -W ignore get.py'), 'file get.py')
  assert.is(program('python3 -m json.tool'), undefined)
  assert.is(program('python -mjson.tool'), undefined)
  assert.is(program("python3 -c 'print(1)'"), "text 'print(1)'")
  assert.is(program('perl'), 'stdin')
  assert.is(program("perl -ne 'print'"), "text 'print'")
  assert.is(program("perl -ne'print'"), undefined)
  assert.is(program("ruby -rjson -e 'p 1'"), "text 'p 1'")
  assert.is(program('ruby -rjson'), 'stdin')
  assert.is(program("node -pe '1'"), "text '1'")
  assert.is(program("node --eval='1'"), undefined)
  assert.is(program('node'), 'stdin')
  assert.is(program('node setup.js'), 'file setup.js')
  assert.is(program('curl x'), undefined)
})

test('a path stands for its program', () => {
  assert.equal(run('/usr/local/go/bin/go install x@latest'), ['go install x@latest'])
  assert.equal(run('./bin/docker run nginx'), ['docker run nginx'])
  assert.equal(run('"/opt/my tools/npx" tool@latest'), ['npx tool@latest'])
  assert.equal(run('go version'), ['go version'])
})

test('sudo and doas: their options skipped, with the values of those that take one', () => {
  assert.equal(run('sudo go install x@latest'), ['go install x@latest'])
  assert.equal(run('sudo -E go install x@latest'), ['go install x@latest'])
  assert.equal(run('sudo -u postgres psql -c "select 1"'), ['psql -c "select 1"'])
  assert.equal(run('sudo --user=builder -H /usr/bin/pip install httpie'), ['pip install httpie'])
  assert.equal(run('sudo -g docker -- docker run nginx'), ['docker run nginx'])
  assert.equal(run('/usr/bin/sudo -i npm i -g wscat'), ['npm i -g wscat'])
  assert.equal(run('doas -u root cargo install ripgrep'), ['cargo install ripgrep'])
})

test('env: options and assignments skipped', () => {
  assert.equal(run('env GOFLAGS=-mod=mod GOBIN=/usr/local/bin go install x@latest'), ['go install x@latest'])
  assert.equal(run('env -u HOME -i PATH=/bin sh -c "echo hi"'), ['sh -c "echo hi"'])
  assert.equal(run('sudo -E env CGO_ENABLED=0 /usr/local/go/bin/go install x@latest'), ['go install x@latest'])
})

test('command, exec, nohup and time run the command after them', () => {
  assert.equal(run('command docker pull nginx'), ['docker pull nginx'])
  assert.equal(run('exec -a worker /usr/bin/node server.js'), ['node server.js'])
  assert.equal(run('nohup ./server --port 8080 &'), ['server --port 8080'])
  assert.equal(run('time -f %e npm ci'), ['npm ci'])
})

test('wrappers that run nothing from their words: no name', () => {
  assert.equal(run('command -v go'), ['-'])
  assert.equal(run('sudo'), ['-'])
  assert.equal(run('sudo -u postgres'), ['-'])
  assert.equal(run('env'), ['-'])
  assert.equal(run('env FOO=bar'), ['-'])
  assert.equal(run('sudo "$TOOL" install x'), ['-'])
})

/** Each pipeline of `text`, as written, with its commands' names. */
function pipelines(text: string): string[] {
  return parseShell(text).pipelines.map((p) => `${text.slice(p.start, p.end)} [${p.commands.map((c) => runCommand(c).name ?? '-').join(' ')}]`)
}

test('lines after a pipeline that tree-sitter-bash runs on are parsed again, each where it is written', () => {
  // tree-sitter-bash 0.25 reads this as `a | {b | c d | e f} > g`: `c` takes the next line as an
  // argument, and `e f` becomes a stage of the first line's pipeline.
  assert.equal(pipelines('a | b | c\nd | e\nf > g\n'), ['a | b | c [a b c]', 'd | e [d e]', 'f > g [f]'])
  assert.equal(pipelines('curl -s localhost:8080/x | jq . | less\ngo install x@latest\necho done > out.txt'), [
    'curl -s localhost:8080/x | jq . | less [curl jq less]',
    'go install x@latest [go]',
    'echo done > out.txt [echo]'
  ])
  // A pipe at the end of a line goes on to the next one, as in the shell; so does a backslash.
  assert.equal(pipelines('a |\nb | c\nd \\\n  e\nf > g'), ['a |\nb | c [a b c]', 'd \\\n  e [d]', 'f > g [f]'])
})

test('a lone `-` right before a here-document, which tree-sitter-bash drops, is the command\'s last argument', () => {
  assert.equal(run('helm install chatbox ./chart -f - <<EOF\nimage: x\nEOF\n'), ['helm install chatbox ./chart -f -'])
  assert.equal(run('tar xf - <<EOF > out\nx\nEOF'), ['tar xf -'])
  assert.equal(run('helm install x ./chart -f -<<EOF\nimage: x\nEOF'), ['helm install x ./chart -f -'])
  assert.equal(run('cat <<-EOF\n\tx\n\tEOF'), ['cat'])
  const [word] = runCommand(parseShell('cat a -  <<EOF\nx\nEOF').pipelines[0].commands[0]).args.slice(-1)
  assert.equal([word.start, word.end, word.value], [6, 7, '-'])
  // Nothing else between the command and `<<EOF` is made a word.
  assert.equal(run('cat <<EOF\nx\nEOF'), ['cat'])
  assert.equal(run('cat a  <<EOF\nx\nEOF'), ['cat a'])
})

test('a redirect after a pipeline is its last command\'s, and the pipeline is read once', () => {
  // tree-sitter-bash hangs `> f` on the whole pipeline (a redirected statement around it).
  assert.equal(pipelines('head -c 32 /dev/urandom | base64 > key.txt'), ['head -c 32 /dev/urandom | base64 > key.txt [head base64]'])
  const [pipeline] = parseShell('a | b 2>/dev/null > f').pipelines
  assert.equal(pipeline.commands.map((c) => c.redirects.map((r) => `${r.op}${r.target?.value}`)), [[], ['>/dev/null', '>f']])
})

test('a line the parse makes nothing of (`|| echo | echo` after an unclosed here-document) is read around (the property test found it)', () => {
  const text = '# x\n\n```sh\ncat <<EOF\nurl: http://localhost:8080/chat/ws\n\nexport CHATBOX_PATH_PREFIX=/api/v1/chat\n|| echo | echo\n```\n'
  const config = loadConfig({routes: {prefix: '/chatbox', prefixEnv: 'CHATBOX_PATH_PREFIX', stalePrefixes: ['/chat'], paths: ['/ws']}})
  assert.equal(analyzeText(text, config).findings.map((f) => `${f.ruleId} ${f.message}`), [])
})

test.run()
