/**
 * The shell model's `runCommand`: which program a command runs and with which arguments, through
 * paths (`/usr/local/go/bin/go`) and the wrappers that run the command after them (`sudo`,
 * `env`, `doas`, `command`, `exec`, `nohup`, `time`).
 */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {parseShell, runCommand} from '../core/shell/parse.js'

/** `name args…` of each command of `text`, `-` for no name. */
function run(text: string): string[] {
  return parseShell(text).pipelines.flatMap((pipeline) =>
    pipeline.commands.map((command) => {
      const {name, args} = runCommand(command)
      return [name ?? '-', ...args.map((arg) => arg.raw)].join(' ')
    })
  )
}

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

test.run()
