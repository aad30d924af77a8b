/**
 * Arbitrary shell as docs write it: curl/wscat/openssl/head/tr pipelines, assignments, exports,
 * `--from-literal`, comments with URLs, heredocs, and the broken things docs also hold
 * (unbalanced quotes, an open `$(`, backticks, `<placeholders>`, very long lines).
 */
import fc from 'fast-check'

/** The chatbox example's truth (examples/chatbox/docdrift.config.json), with a literal prefix. */
export const chatboxConfig = {
  routes: {
    prefix: '/chatbox',
    prefixEnv: 'CHATBOX_PATH_PREFIX',
    stalePrefixes: ['/chat'],
    paths: ['/ws', '/sessions', '/admin/sessions', '/admin/metrics', '/admin/takeover/:sessionID', '/healthz', '/readyz']
  },
  secrets: {
    ENCRYPTION_KEY: {bytes: 32, decode: 'none', why: 'AES-256 key', aliases: ['encryption-key']},
    JWT_SECRET: {minBytes: 32, why: 'HMAC-SHA256 signing key', aliases: ['jwt-secret']}
  }
} as const

const routes = ['/ws', '/sessions', '/admin/sessions', '/admin/metrics', '/admin/takeover/abc123', '/admin/takeover/<session-id>', '/healthz', '/readyz', '/helthz', '/admin', '/sessions/', '']
const prefixes = ['/chat', '/chatbox', '', '/chat-files', '/api/v1/chat', '/chatbox/chat', '/CHAT']
const hosts = ['localhost:8080', '127.0.0.1:8080', 'localhost', 'chat.example.com', 'api.openai.com', 'example.org', '$HOST', '${BASE_URL}', '<host>', '[::1]:8080', 'héllo.例え.jp']
const schemes = ['http', 'https', 'ws', 'wss']
const queries = ['', '?token=...', '?token=<your-token>', '?token=$TOKEN&x=1', '#frag', '?q=日本語']

export const path = fc.tuple(fc.constantFrom(...prefixes), fc.constantFrom(...routes)).map(([p, r]) => p + r || '/')

export const url = fc
  .tuple(fc.constantFrom(...schemes), fc.constantFrom(...hosts), path, fc.constantFrom(...queries))
  .map(([s, h, p, q]) => `${s}://${h}${p}${q}`)

/** A URL or a bare path, as commands and prose mention them. */
export const target = fc.oneof({weight: 3, arbitrary: url}, {weight: 1, arbitrary: path}, {weight: 1, arbitrary: path.map((p) => ':8080' + p)})

const secretNames = ['ENCRYPTION_KEY', 'JWT_SECRET', 'NEW_KEY', 'API_TOKEN', 'encryption-key', 'jwt-secret']
const sizes = [0, 1, 16, 24, 31, 32, 33, 44, 48, 64, 100000]

export const generator = fc.oneof(
  fc.tuple(fc.constantFrom('-base64', '-hex', ''), fc.constantFrom(...sizes)).map(([f, n]) => `openssl rand ${f} ${n}`.replace('  ', ' ')),
  fc.tuple(fc.constantFrom(...sizes), fc.constantFrom('base64', 'xxd -p', 'od -An -tx1', "tr -d '\\n'", 'base64 | head -c 32')).map(([n, t]) => `head -c ${n} /dev/urandom | ${t}`),
  fc.tuple(fc.constantFrom("'A-Za-z0-9'", "'a-f0-9'", '"[:alnum:]"', "'A-Za-z0-9!@#"), fc.constantFrom(...sizes)).map(([set, n]) => `tr -dc ${set} </dev/urandom | head -c ${n}`),
  fc.constantFrom(...sizes).map((n) => `python3 -c 'import secrets; print(secrets.token_hex(${n}))'`),
  fc.constantFrom(...sizes).map((n) => `node -e "console.log(require('crypto').randomBytes(${n}).toString('base64'))"`),
  fc.tuple(fc.constantFrom('hex', 'base64', 'urlsafe_base64', 'alphanumeric', 'random_bytes'), fc.constantFrom(...sizes), fc.constantFrom('puts', 'print', 'p')).map(([f, n, out]) => `ruby -rsecurerandom -e '${out} SecureRandom.${f}(${n})'`),
  fc.constantFrom('rails secret', 'bundle exec rake secret', "bin/rails runner 'puts SecureRandom.hex(32)'", "php -r 'echo bin2hex(random_bytes(32));'", 'php artisan key:generate --show', "php -r 'echo base64_encode(random_bytes(16)) . PHP_EOL;'", "ruby -e 'puts SecureRandom.uuid'", 'ruby -rsecurerandom -e \'puts SecureRandom.hex 32, "x"\''),
  fc.constantFrom('uuidgen', 'pwgen -s 32 1', 'pwgen 44', 'date | sha256sum', 'echo $RANDOM')
)

const word = fc.constantFrom('echo', 'cat', 'ls', '-v', '-sS', '--fail', 'hello', 'naïve', '🚀', '日本語', '"quoted words"', "'single'", '\\', '&&', '||', ';', '|', '>', '2>&1', '<your-token>', 'YOUR_JWT_TOKEN', '...', '$VAR', '${VAR:-x}', '#', '\t')

/** One shell line (or a few, for heredocs and continuations). */
export const shellLine: fc.Arbitrary<string> = fc.oneof(
  {weight: 4, arbitrary: fc.tuple(fc.constantFrom('curl', 'curl -sf', 'curl -X POST', 'curl -H "Authorization: Bearer $TOKEN"', 'wget -qO-', 'http GET', 'wscat -c', 'websocat', 'kubectl exec deploy/chatbox -- curl'), target).map(([c, t]) => `${c} ${t}`)},
  {weight: 3, arbitrary: fc.tuple(fc.constantFrom(...secretNames), generator, fc.constantFrom('', 'export ')).map(([n, g, e]) => `${e}${n}=$(${g})`)},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom(...secretNames), generator).map(([n, g]) => `${n}=\`${g}\``)},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom(...secretNames), fc.constantFrom(...secretNames)).map(([a, b]) => `export ${a}=$${b}`)},
  {weight: 2, arbitrary: fc.tuple(fc.constantFrom(...secretNames), generator).map(([n, g]) => `kubectl create secret generic chatbox --from-literal=${n}=$(${g})`)},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom(...secretNames), generator).map(([n, g]) => `docker run -e ${n}=$(${g}) chatbox`)},
  {weight: 2, arbitrary: generator},
  {weight: 2, arbitrary: target.map((t) => `# - Health: ${t}`)},
  {weight: 1, arbitrary: fc.constantFrom('/api/v1/chat', '/chat', '/chatbox', '').map((p) => `export CHATBOX_PATH_PREFIX=${p}`)},
  {weight: 1, arbitrary: fc.tuple(target, fc.constantFrom('EOF', "'EOF'", '-EOF')).map(([t, tag]) => `cat <<${tag}\nGET ${t}\n${tag.replace(/['-]/g, '')}`)},
  {weight: 1, arbitrary: target.map((t) => `cat <<EOF\nurl: ${t}`)},
  {weight: 1, arbitrary: fc.constantFrom('-', '- ', '-  ', '"-"', '-x').map((dash) => `helm install x ./chart -f ${dash}<<EOF\nimage:\n  repository: acme/x\n  tag: latest\nEOF`)},
  {weight: 1, arbitrary: target.map((t) => `curl "${t}`)},
  {weight: 1, arbitrary: target.map((t) => `echo '${t}`)},
  {weight: 1, arbitrary: generator.map((g) => `KEY=$(${g}`)},
  {weight: 1, arbitrary: generator.map((g) => `KEY=\`${g}`)},
  {weight: 1, arbitrary: target.map((t) => `curl ${t} \\\n  -H 'X: y'`)},
  // Findings whose range spans continued lines (in a list item or quote, each line has a prefix
  // the value does not) or starts on a continuation line.
  {weight: 1, arbitrary: fc.constantFrom('curl -fsSL https://get.example.com/install.sh | sudo bash -s -- \\\n  --yes \\\n  -v "$(pwd)/a:/b"', 'curl -Ls https://get.example.com/quickstart \\\n  | bash', 'npm install -g \\\n  wscat', 'docker run --rm \\\n  -p 8080:8080 redis', 'go install \\\n  github.com/x/y@latest')},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom(...secretNames), fc.constantFrom(...sizes)).map(([n, size]) => `${n}=$(head -c ${size} /dev/urandom \\\n  | base64)`)},
  {weight: 1, arbitrary: target.map((t) => `$ curl ${t}\n{"ok": true}`)},
  {weight: 2, arbitrary: fc.array(word, {maxLength: 8}).map((ws) => ws.join(' '))},
  {weight: 1, arbitrary: fc.tuple(target, fc.integer({min: 1, max: 400})).map(([t, n]) => `curl ${t} ${'-H "X-Pad: ' + 'x'.repeat(n) + '" '}`.repeat(5))}
)

/** Lines of a shell block. */
export const shellBody = fc.array(shellLine, {minLength: 1, maxLength: 6}).map((lines) => lines.join('\n'))

/** A 1–12k character line, for the fuzz run's long-line cases. */
export const longLine = fc.tuple(target, fc.integer({min: 1, max: 12_000})).map(([t, n]) => `curl ${t} -d '${'a'.repeat(n)}' ${t}`)
