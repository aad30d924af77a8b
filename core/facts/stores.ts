/**
 * Commands that store a secret under a name, and where each takes the value from: the command
 * line (`gh secret set JWT_SECRET --body …`), a file (`docker secret create jwt_secret key.txt`),
 * or its standard input (`openssl rand -hex 32 | gh secret set JWT_SECRET`).
 */
import {runCommand, type ShCommand, type ShPipeline, type ShWord} from '../shell/parse.js'

export interface SecretStore {
  /** The word that names the secret. */
  name: ShWord
  /** The secret's name as the service reads it: the last segment of a parameter path (`/chatbox/prod/JWT_SECRET`). */
  key: string
  /** The value written on the command line, and where in the word it starts (after `--body=`). */
  value?: {word: ShWord; from: number}
  /** The file the value is read from: a path, or a process substitution (`<(openssl rand -hex 32)`). */
  file?: {path: string} | {process: ShPipeline}
  /** The value is read from standard input (`-`, `/dev/stdin`, or no value and no file given). */
  stdin: boolean
}

interface StoreSyntax {
  /** The words after the program that make this command (`secret set`). */
  sub: readonly string[]
  /** The name: the operand at this index, or the value of one of these options. */
  name: number | readonly string[]
  /** Options that carry the value. */
  value?: readonly string[]
  /** Options that carry the file the value is read from (`-`: standard input). */
  file?: readonly string[]
  /** The operand that is the value (`doppler secrets set NAME VALUE`). */
  valueOperand?: number
  /** The operand that is the file the value is read from (`docker secret create NAME FILE`). */
  fileOperand?: number
  /** Reads standard input when neither a value nor a file is given. */
  stdin?: boolean
  /** How many operands the command takes at most; more means an option docdrift does not know took one. */
  operands: number
  /** The command's other options that take a value as the next word. */
  valued: readonly string[]
}

const dockerSecret: StoreSyntax = {sub: ['secret', 'create'], name: 0, fileOperand: 1, operands: 2, valued: ['-d', '--driver', '-l', '--label', '--template-driver', '--driver-opts', '--env']}
const gcloudValued = ['--project', '--replication-policy', '--locations', '--labels', '--kms-key-name', '--ttl', '--expire-time', '--topics', '--version-destroy-ttl', '--location', '--data-file-format']
const awsValued = ['--description', '--kms-key-id', '--tags', '--type', '--tier', '--region', '--profile', '--client-request-token', '--version-stages', '--key-id', '--data-type', '--allowed-pattern', '--policies', '--add-replica-regions', '--output', '--endpoint-url']

const syntaxes: Record<string, readonly StoreSyntax[]> = {
  docker: [dockerSecret],
  podman: [dockerSecret],
  gh: [{sub: ['secret', 'set'], name: 0, value: ['--body', '-b'], stdin: true, operands: 1, valued: ['-R', '--repo', '-e', '--env', '-o', '--org', '-v', '--visibility', '-r', '--repos', '-a', '--app', '-u', '--user', '-f', '--env-file']}],
  wrangler: [{sub: ['secret', 'put'], name: 0, stdin: true, operands: 1, valued: ['-e', '--env', '--name', '-c', '--config']}],
  vercel: [{sub: ['env', 'add'], name: 0, stdin: true, operands: 3, valued: ['-S', '--scope', '-t', '--token', '--cwd', '-A', '--local-config', '-Q', '--global-config']}],
  gcloud: [
    {sub: ['secrets', 'create'], name: 0, file: ['--data-file'], operands: 1, valued: gcloudValued},
    {sub: ['secrets', 'versions', 'add'], name: 0, file: ['--data-file'], operands: 1, valued: gcloudValued}
  ],
  az: [{sub: ['keyvault', 'secret', 'set'], name: ['--name', '-n'], value: ['--value'], file: ['--file', '-f'], operands: 0, valued: ['--vault-name', '--id', '--content-type', '--description', '--encoding', '--expires', '--not-before', '--tags', '--subscription', '--disabled']}],
  // `doppler secrets set NAME=VALUE …` is read as any `NAME=value` argument is; here its
  // `NAME VALUE` form and `NAME` alone (the value from standard input).
  doppler: [{sub: ['secrets', 'set'], name: 0, valueOperand: 1, stdin: true, operands: 2, valued: ['-p', '--project', '-c', '--config', '--token', '--scope', '--api-host', '--configuration', '--type', '--visibility']}],
  aws: [
    {sub: ['secretsmanager', 'create-secret'], name: ['--name'], value: ['--secret-string'], operands: 0, valued: awsValued},
    {sub: ['secretsmanager', 'put-secret-value'], name: ['--secret-id'], value: ['--secret-string'], operands: 0, valued: awsValued},
    {sub: ['ssm', 'put-parameter'], name: ['--name'], value: ['--value'], operands: 0, valued: awsValued}
  ]
}

/** The secret a command stores, or undefined when it stores none (or is written in a way not read). */
export function secretStore(command: ShCommand): SecretStore | undefined {
  const {name, args} = runCommand(command)
  const candidates = name === undefined ? undefined : syntaxes[name]
  if (!candidates) return undefined
  const syntax = candidates.find((s) => s.sub.every((word, index) => args[index]?.value === word))
  if (!syntax) return undefined
  const operands: ShWord[] = []
  const options = new Map<string, {word: ShWord; from: number}>()
  const takesValue = (option: string) => syntax.valued.includes(option) || [syntax.value, syntax.file, Array.isArray(syntax.name) ? syntax.name : undefined].some((list) => list?.includes(option))
  // `-bVALUE`: a short option that takes a value, written with it (`gh secret set X -b"$(…)"`).
  const joinedShort = (text: string) => /^-[A-Za-z]/.test(text) && takesValue(text.slice(0, 2))
  for (let i = syntax.sub.length; i < args.length; i++) {
    const word = args[i]
    const value = word.value
    if (value === undefined) {
      // A process substitution as the file (`<(openssl rand -hex 32)`); any other expansion is unknown.
      // A double-quoted one stays one word: the value operand (`doppler secrets set NAME "$(…)"`).
      const quoted = word.raw.startsWith('"') && word.raw.endsWith('"') && word.raw.length > 1
      if (processOnly(word) === undefined && !word.literalPrefix.startsWith('-') && !(quoted && syntax.valueOperand === operands.length)) return undefined
      if (word.literalPrefix.startsWith('-')) {
        const eq = word.literalPrefix.indexOf('=')
        if (eq !== -1) options.set(word.literalPrefix.slice(0, eq), {word, from: eq + 1})
        else if (joinedShort(word.literalPrefix)) options.set(word.literalPrefix.slice(0, 2), {word, from: 2})
        continue
      }
      operands.push(word)
      continue
    }
    if (value === '--') {
      operands.push(...args.slice(i + 1))
      break
    }
    if (value.startsWith('-') && value !== '-') {
      const eq = value.indexOf('=')
      const option = eq === -1 ? value : value.slice(0, eq)
      if (eq !== -1) options.set(option, {word, from: eq + 1})
      else if (takesValue(option) && args[i + 1]) options.set(option, {word: args[++i], from: 0})
      else if (value.length > 2 && joinedShort(value)) options.set(value.slice(0, 2), {word, from: 2})
      continue
    }
    operands.push(word)
  }
  if (operands.length > syntax.operands) return undefined
  // `gh secret set JWT_SECRET < jwt.txt`: standard input from a file.
  const input = syntax.stdin ? command.redirects.find((r) => r.op === '<')?.target : undefined
  const named = typeof syntax.name === 'number' ? (operands[syntax.name] && {word: operands[syntax.name], from: 0}) : first(options, syntax.name)
  const written = named?.word.value?.slice(named.from)
  if (!named || !written) return undefined
  const key = written.slice(written.lastIndexOf('/') + 1)
  if (key === '') return undefined
  // `NAME=VALUE` operands name and set a secret each: read elsewhere, as any such argument is.
  if (syntax.valueOperand !== undefined && written.includes('=')) return undefined
  const valueWord = syntax.valueOperand === undefined ? undefined : operands[syntax.valueOperand]
  const value = (syntax.value && first(options, syntax.value)) || (valueWord && {word: valueWord, from: 0})
  const fileOption = syntax.file && first(options, syntax.file)
  const fileWord = syntax.fileOperand !== undefined ? {word: operands[syntax.fileOperand], from: 0} : (fileOption ?? (input && !value ? {word: input, from: 0} : undefined))
  const process = fileWord?.word && fileWord.from === 0 ? processOnly(fileWord.word) : undefined
  const path = fileWord?.word?.value?.slice(fileWord.from)
  const store: SecretStore = {name: named.word, key, stdin: false}
  if (value) store.value = value
  if (process) store.file = {process}
  else if (path !== undefined && fromStdin(path)) store.stdin = true
  else if (path) store.file = {path}
  else if (!value && !fileWord && syntax.stdin) store.stdin = true
  return store
}

/** The first of `names` given, with where its value starts in its word. */
function first(options: Map<string, {word: ShWord; from: number}>, names: readonly string[]): {word: ShWord; from: number} | undefined {
  for (const name of names) if (options.has(name)) return options.get(name)
  return undefined
}

/** The one pipeline of a word that is one process substitution and nothing else (`<(openssl rand -hex 32)`). */
export function processOnly(word: ShWord): ShPipeline | undefined {
  const [pipelines] = word.processes
  return word.processes.length === 1 && word.substitutions.length === 0 && pipelines.length === 1 && word.raw.startsWith('<(') && word.raw.endsWith(')') ? pipelines[0] : undefined
}

/** `-` and `/dev/stdin`: a secret store reads the secret from its standard input. */
export function fromStdin(source: string | undefined): boolean {
  return source === '-' || source === '/dev/stdin'
}
