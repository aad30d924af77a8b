/**
 * Python blocks (`python`, `py`, `python3`), parsed by tree-sitter-python on the runtime the shell
 * grammar already runs on, for the values they give secrets: settings at module level or in a class
 * (`JWT_SECRET = "changeme"`, `class Settings: jwt_secret: str = …`), the environment and config
 * mappings (`os.environ["JWT_SECRET"] = …`, `os.environ.setdefault("JWT_SECRET", …)`,
 * `app.config["SECRET_KEY"] = …`, `app.config.update(SECRET_KEY=…)`, `app.secret_key = …`), the
 * keys of a dict written as a value (`DATABASES = {"default": {"PASSWORD": …}}`), the keywords of a
 * settings class (`Settings(jwt_secret=…)`), and the default of a variable read from the
 * environment (`os.getenv("JWT_SECRET", "changeme")`, as `${JWT_SECRET:-changeme}` in shell; the
 * settings libraries' `env("JWT_SECRET", default=…)` and `config(…)`; django-environ's schema,
 * `environ.Env(SECRET_KEY=(str, "changeme"))`; Flask's `app.config.get("SECRET_KEY", …)`; a
 * pydantic settings class's field default, `jwt_secret: str = "changeme"`, the value when
 * `JWT_SECRET` is unset; pydantic's `Field(…)`), also where no name takes it (`PyScript.reads`:
 * `jwt.encode(payload, os.getenv("JWT_SECRET", "changeme"))`). A value is a string literal, a
 * name (variable flow), or an expression that the `python -c` model evaluates with the block's
 * imports (`secrets.token_urlsafe(32)`, `base64.b64encode(os.urandom(32)).decode()`). Statements
 * inside `if`, `try` and `with` blocks are read as the ones around them.
 *
 * Functions are not read (a value computed at run time, a test's fixture), nor classes named like
 * tests (`class TestConfig`) or for development (`DevelopmentConfig`), nor branches that run only
 * in development or tests (`if DEBUG:`), nor blocks that import a test framework. A block written
 * as a session (`>>> ` and `... ` prompts, and what the statements printed) is read for its
 * statements only. The grammar (450 KB of WebAssembly) loads the first time a Python block may
 * assign a secret (`mayAssignSecret`) or name an image (`pythonImages`, for mutable-image; a test's
 * images are read too).
 */
import type {Node} from 'web-tree-sitter'
import {Memo} from '../memo.js'
import {mayDeployImage, type CodeImage} from './types.js'
import {grammarParser} from '../shell/parse.js'
import {analyzePipeline, KNOWN_MODULES, render, swapNumbers, type GeneratorOutput, type Stage} from './generators.js'

/** A string literal as written: its text and where it is, inside its quotes. */
export interface PyLiteral {
  value: string
  start: number
  end: number
}

/** What a Python expression gives a name. */
export type PyValue =
  | {kind: 'literal'; literal: PyLiteral}
  /** A variable: the value flows from it (`JWT_SECRET = key`). */
  | {kind: 'ref'; name: string}
  /** Any other call or attribute, for the generator model: `secrets.token_hex(32)`, `uuid.uuid4().hex`. */
  | {kind: 'expression'; text: string; start: number; end: number}
  /**
   * A variable read from the environment with a default: `os.getenv("JWT_SECRET", "changeme")`,
   * `os.environ.get(…)`, a settings library's `env("JWT_SECRET", default=…)` or `config(…)`.
   * `required` reads it without one (`os.environ["JWT_SECRET"]`, `env("JWT_SECRET")`), when the
   * call names `os` (a bare `getenv` may be imported under any name) or is the library's; `raises`
   * says what that does when the variable is unset (`KeyError` when not given). `reads`: the read
   * as JavaScript writes it (`Deno.env.get("JWT_SECRET")`, `process.env.JWT_SECRET`). `setting`:
   * the name is a key of the application's configuration (Flask's `app.config.get(…)`), not a
   * variable. `operator`: JavaScript's `=` for a destructuring default (`const {JWT_SECRET =
   * 'changeme'} = process.env`).
   */
  | {kind: 'fallback'; variable: string; start: number; end: number; value: PyValue; required?: string; raises?: string; reads?: string; setting?: true; operator?: '='}

export interface PyAssignment {
  /** The name, key or attribute written to (`JWT_SECRET`, `SECRET_KEY`, `secret_key` of `app.secret_key`). */
  name: string
  /** Where the statement, pair or argument that sets it is. */
  start: number
  end: number
  value: PyValue
}

/** A variable read with a default (`PyValue`'s `fallback`). */
export type PyFallback = Extract<PyValue, {kind: 'fallback'}>

export interface PyScript {
  /** The block's imports of modules the generator model knows, as statements (`import secrets`). */
  imports: string[]
  assignments: PyAssignment[]
  /**
   * Variables read with a literal default where no name takes the value, in the expressions the
   * module evaluates: a call's argument (`jwt.encode(payload, os.getenv("JWT_SECRET",
   * "changeme"))`, `Flask(__name__, secret_key=os.getenv(…))`), an item of a list or a value of a
   * dict the assignments do not read, a field of an f-string; not in a `lambda`, whose body runs
   * later, as a function's does.
   */
  reads: PyFallback[]
  /**
   * What the block prints at module level, one argument of `print(…)` each
   * (`print(secrets.token_urlsafe(32))`): a value made to be copied, for the secret the text
   * around the block names, as a bare shell command's output is.
   */
  prints: Array<{text: string; start: number; end: number}>
}

const pythonParser = grammarParser((host) => host.pythonWasm())

const parsed = new Memo<{script: PyScript; images: CodeImage[]}>(256 * 1024)

/** Words in a block that may give a secret a value: without one, the grammar is not loaded. */
const secretWords = /secret|key|token|passw|environ|getenv/i

/**
 * Whether a Python (or JavaScript) block may assign a secret: it names one (a word of
 * `secretName`, the environment), or `mentions` says it writes a configured secret's name in a
 * spelling the config's lookup finds (core/rules/targets.ts `secretMentions`), wherever it is:
 * assigned (`SESSION_SALT = …`, `const sessionSalt = …`), read from an environment
 * (`process.env.SESSION_SALT || …`) or a key (`app.config["SESSION_SALT"] = …`).
 */
export function mayAssignSecret(text: string, mentions?: (text: string) => boolean): boolean {
  return secretWords.test(text) || mentions?.(text) === true
}

/** A Python text's assignments to names and keys (read-only: shared by every reader of the same text). */
export function readPython(text: string): PyScript {
  return readBlock(text).script
}

/** The images a Python text deploys, in order (read-only: shared by every reader of the same text). */
export function pythonImages(text: string): CodeImage[] {
  return readBlock(text).images
}

/** One parse of a block for its readers (settings and images). */
function readBlock(text: string): {script: PyScript; images: CodeImage[]} {
  return parsed.get(text, () => {
    const script: PyScript = {imports: [], assignments: [], prints: [], reads: []}
    const images: CodeImage[] = []
    const {source, at} = sessionSource(text)
    const tree = pythonParser().parse(source)
    if (!tree) return {script, images}
    try {
      const root = tree.rootNode
      if (mayDeployImage(text)) imagesIn(root, images, at)
      images.sort((a, b) => a.start - b.start)
      if (testCode(root)) return {script, images}
      body(root, script, at, true)
    } finally {
      tree.delete()
    }
    script.reads = unassigned(script)
    return {script, images}
  })
}

/** The lists of a pod spec whose items are containers (`containers=[…]`, `"initContainers": […]`). */
const containerLists = new Set(['containers', 'init_containers', 'initContainers'])

/**
 * The images infrastructure code deploys, anywhere in the block, as javascript.ts `imagesIn` reads
 * them: the first argument of a `from_registry` method
 * (`ecs.ContainerImage.from_registry("nginx")`), an `image_identifier` keyword or key (App
 * Runner), and the `image` of a container in a `containers` or `init_containers` list (a dict's
 * `"image"` key, or a call's `image=` keyword: Pulumi's `ContainerArgs(image="nginx")`) or given
 * to an `add_container` method (cdk8s-plus' `deployment.add_container(image="nginx")`), the
 * container of a Pulumi Crosswalk task definition (`task_definition_args=…(container=…(image=
 * "nginx"))`) or each one it names (`containers={"web": …(image="nginx")}`), and Pulumi's
 * Docker provider's `docker.RemoteImage("x", name=…)` and `docker.Container("x", image=…)`. Each a
 * string with nothing interpolated; a name, an f-string with a field or a concatenation is not
 * read.
 */
function imagesIn(node: Node, out: CodeImage[], at: (index: number) => number) {
  const image = (value: Node | null | undefined, cluster = false) => {
    const literal = value ? stringValue(value) : undefined
    if (literal) out.push({text: literal.value, start: at(literal.start), end: at(literal.end), ...(cluster ? {cluster: true as const} : {})})
  }
  /** A container: a dict's `"image"`, or a call's `image=`. */
  const container = (item: Node, cluster = true) => {
    if (item.type === 'dictionary') {
      for (const pair of item.namedChildren) if (pair?.type === 'pair' && keyOf(pair) === 'image') image(pair.childForFieldName('value'), cluster)
    } else if (item.type === 'call') {
      image(keywordValue(item, 'image'), cluster)
    }
  }
  if (node.type === 'call') {
    const callee = node.childForFieldName('function')
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined
    if (method === 'from_registry') {
      const first = node.childForFieldName('arguments')?.namedChildren.find((arg) => arg !== null && arg.type !== 'comment')
      if (first && first.type !== 'keyword_argument') image(first)
    }
    // Pulumi's Docker provider: `docker.RemoteImage("x", name=…)` pulls the image,
    // `docker.Container("x", image=…)` runs it.
    if ((method === 'RemoteImage' || method === 'Container') && callee?.childForFieldName('object')?.text === 'docker') {
      image(keywordValue(node, method === 'RemoteImage' ? 'name' : 'image'))
    }
    if (method === 'add_container') {
      container(node)
      for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) if (arg?.type === 'dictionary') container(arg)
    }
  } else if (node.type === 'keyword_argument' || node.type === 'pair') {
    const name = node.type === 'pair' ? keyOf(node) : node.childForFieldName('name')?.text
    const value = node.childForFieldName('value')
    if (name === 'image_identifier' || name === 'imageIdentifier') image(value)
    if (name !== undefined && containerLists.has(name) && value?.type === 'list') for (const item of value.namedChildren) if (item) container(item)
    // Pulumi Crosswalk's task definitions name their containers:
    // `containers={"web": …Args(image=…)}`.
    if (name === 'containers' && value?.type === 'dictionary') {
      for (const pair of value.namedChildren) {
        const item = pair?.type === 'pair' ? pair.childForFieldName('value') : undefined
        if (item) container(item, false)
      }
    }
    // …or hold one: `task_definition_args=…Args(container=…Args(image=…))`.
    if (name === 'task_definition_args' && value?.type === 'call') {
      const item = keywordValue(value, 'container')
      if (item) container(item, false)
    }
  }
  for (const child of node.namedChildren) if (child) imagesIn(child, out, at)
}

/** A dict pair's string key. */
function keyOf(pair: Node): string | undefined {
  const key = pair.childForFieldName('key')
  return key ? stringValue(key)?.value : undefined
}

/** The value of a call's keyword argument. */
function keywordValue(call: Node, name: string): Node | undefined {
  const args = call.childForFieldName('arguments')
  if (args?.type !== 'argument_list') return undefined
  for (const arg of args.namedChildren) if (arg?.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name) return arg.childForFieldName('value') ?? undefined
  return undefined
}

/** A block that imports a test framework is test code: its values are fixtures. */
function testCode(root: Node): boolean {
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'import_statement' && statement?.type !== 'import_from_statement') continue
    for (const name of statement.descendantsOfType('dotted_name')) {
      const first = name?.namedChild(0)?.text
      if (first === 'pytest' || first === 'unittest') return true
    }
  }
  return false
}

/**
 * The statements of a module or a class body, and of the `if`, `try` and `with` blocks in them;
 * `top`: at module level, where imports and prints are read.
 */
function body(block: Node, script: PyScript, at: (index: number) => number, top: boolean, settings?: SettingsClass) {
  for (const statement of block.namedChildren) {
    if (!statement) continue
    switch (statement.type) {
      case 'import_statement':
      case 'import_from_statement': {
        // Only at module level: the program the model runs has no classes.
        if (top) importOf(statement, script.imports)
        break
      }

      case 'expression_statement': {
        for (const expression of statement.namedChildren) {
          if (!expression) continue
          expressionStatement(expression, script, at, top, settings)
          defaultReads(expression, script, at)
        }
        break
      }

      case 'decorated_definition': {
        const definition = statement.childForFieldName('definition')
        if (definition?.type === 'class_definition') classBody(definition, script, at)
        break
      }

      case 'class_definition': {
        classBody(statement, script, at)
        break
      }

      case 'if_statement': {
        for (const branch of branches(statement)) if (branch.guard !== 'development') body(branch.block, script, at, top, settings)
        break
      }

      case 'try_statement': {
        // The `try` block, then each clause's: `except`, `else`, `finally`.
        const blocks = [statement.childForFieldName('body'), ...statement.namedChildren.map((clause) => clause?.namedChildren.find((child) => child?.type === 'block'))]
        for (const inner of blocks) if (inner) body(inner, script, at, top, settings)
        break
      }

      case 'with_statement': {
        const inner = statement.childForFieldName('body')
        if (inner) body(inner, script, at, top, settings)
        break
      }
    }
  }
}

/**
 * Whether a condition holds only in development or tests (`DEBUG`, `settings.TESTING`,
 * `ENV == "dev"`, `"test" in sys.argv`), only in production (`not DEBUG`, `ENV == "production"`),
 * or either.
 */
type Guard = 'development' | 'production' | undefined

const developmentWords = new Set(['debug', 'dev', 'devel', 'develop', 'development', 'test', 'tests', 'testing', 'local'])
const productionWords = new Set(['prod', 'production'])

/**
 * An `if` statement's blocks, each with what guards it: its own condition, and that the
 * conditions before it failed (the `else` of `if DEBUG:` holds in production).
 */
function branches(statement: Node): Array<{block: Node; guard: Guard}> {
  const out: Array<{block: Node; guard: Guard}> = []
  const failed: Guard[] = []
  const clauses = [statement, ...statement.childrenForFieldName('alternative')]
  for (const clause of clauses) {
    if (!clause) continue
    const condition = clause.childForFieldName('condition')
    const block = clause.childForFieldName(clause.type === 'else_clause' ? 'body' : 'consequence')
    const own = condition ? guardOf(condition) : undefined
    if (block) out.push({block, guard: both([own, ...failed])})
    failed.push(flip(own))
  }
  return out
}

function guardOf(node: Node): Guard {
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((child) => child?.type !== 'comment')
      return inner ? guardOf(inner) : undefined
    }

    case 'not_operator': {
      const argument = node.childForFieldName('argument')
      return argument ? flip(guardOf(argument)) : undefined
    }

    case 'boolean_operator': {
      const sides = [node.childForFieldName('left'), node.childForFieldName('right')].map((side) => (side ? guardOf(side) : undefined))
      return node.childForFieldName('operator')?.text === 'and' ? both(sides) : sides[0] === sides[1] ? sides[0] : undefined
    }

    case 'comparison_operator': {
      // `ENV != "production"`, `DEBUG is False`: the opposite of what the words say.
      const operators = node.childrenForFieldName('operators').map((operator) => operator?.text.replace(/\s+/g, ' '))
      const negated = operators.some((operator) => operator === '!=' || operator === '<>' || operator === 'not in' || operator === 'is not') !== node.namedChildren.some((child) => child?.type === 'false')
      const guard = wordsGuard(node.text)
      return negated ? flip(guard) : guard
    }

    default:
      return wordsGuard(node.text)
  }
}

/** What the words of an expression say (`settings.DEBUG`, `os.getenv("APP_ENV") == "development"`). */
function wordsGuard(text: string): Guard {
  const words = text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/)
  const development = words.some((word) => developmentWords.has(word))
  const production = words.some((word) => productionWords.has(word))
  return development === production ? undefined : development ? 'development' : 'production'
}

/** Both hold: development if one says so and none says production (and the other way). */
function both(guards: Guard[]): Guard {
  const development = guards.includes('development')
  return development === guards.includes('production') ? undefined : development ? 'development' : 'production'
}

function flip(guard: Guard): Guard {
  return guard === 'development' ? 'production' : guard === 'production' ? 'development' : undefined
}

/**
 * A settings class's body; a class named like a test holds fixtures, and one named for
 * development (`DevelopmentConfig`, `LocalSettings`) values meant for it.
 */
function classBody(definition: Node, script: PyScript, at: (index: number) => number) {
  const name = definition.childForFieldName('name')?.text ?? ''
  const block = definition.childForFieldName('body')
  if (/test/i.test(name) || wordsGuard(name) === 'development' || !block) return
  body(block, script, at, false, settingsClass(definition, block))
}

/**
 * A pydantic settings class (`class Settings(BaseSettings)`): its fields are read from the
 * environment, each from the variable its name gives (`JWT_SECRET` for `jwt_secret`, after the
 * class's `env_prefix`; as written with `case_sensitive=True`), and a field's default is the value
 * when that variable is unset.
 */
interface SettingsClass {
  prefix: string
  caseSensitive: boolean
}

const settingsBases = /^(?:(?:pydantic_settings|pydantic)\.)?BaseSettings$/

/**
 * The settings a class declares, when it derives from `BaseSettings` and its configuration
 * (`model_config = SettingsConfigDict(env_prefix="APP_")`, or pydantic 1's `class Config:
 * env_prefix = "APP_"`) is written as literals; else undefined, and its fields are plain values.
 */
function settingsClass(definition: Node, block: Node): SettingsClass | undefined {
  const bases = definition.childForFieldName('superclasses')?.namedChildren ?? []
  if (!bases.some((base) => base !== null && settingsBases.test(base.text))) return undefined
  const settings: SettingsClass = {prefix: '', caseSensitive: false}
  // Each configuration option as written: `env_prefix="APP_"` or `env_prefix = "APP_"`.
  const options: Array<[string, Node]> = []
  for (const statement of block.namedChildren) {
    if (statement?.type === 'class_definition' && statement.childForFieldName('name')?.text === 'Config') {
      for (const inner of statement.childForFieldName('body')?.namedChildren ?? []) {
        const assignment = inner?.type === 'expression_statement' ? inner.namedChild(0) : undefined
        const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined
        const right = assignment?.childForFieldName('right')
        if (left?.type === 'identifier' && right) options.push([left.text, right])
      }
      continue
    }
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== 'model_config') continue
    const right = assignment.childForFieldName('right')
    const args = right?.type === 'call' ? right.childForFieldName('arguments') : undefined
    if (args?.type !== 'argument_list') return undefined
    for (const arg of args.namedChildren) {
      const name = arg?.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined
      const value = arg?.childForFieldName('value')
      if (!name || !value) return undefined
      options.push([name, value])
    }
  }
  for (const [name, value] of options) {
    if (name === 'env_prefix') {
      const prefix = stringValue(value)
      if (!prefix) return undefined
      settings.prefix = prefix.value
    } else if (name === 'case_sensitive') {
      if (value.type !== 'true' && value.type !== 'false') return undefined
      settings.caseSensitive = value.type === 'true'
    }
  }
  return settings
}

/**
 * A settings class's field with a literal default (`jwt_secret: str = "changeme"`, `Field("…")`,
 * `Field(default="…")`, `SecretStr("…")`): the value when its variable is unset, and the field
 * without it, which pydantic refuses to start without (`jwt_secret: str`, `jwt_secret: str =
 * Field(description=…)`).
 * A field read from another name (`Field(alias="…")`, `validation_alias`, pydantic 1's `env`) is
 * read from that variable, without the prefix; undefined when that name is not a literal.
 */
function settingsField(expression: Node, left: Node, right: Node, settings: SettingsClass, at: (index: number) => number): PyValue | undefined {
  const type = expression.childForFieldName('type')
  const value = valueOf(right, at)
  if (!type || value?.kind !== 'literal') return value
  let variable = settings.prefix + left.text
  let required = `${left.text}: ${type.text}`
  const callee = right.type === 'call' ? right.childForFieldName('function')?.text ?? '' : ''
  if (/^(?:pydantic\.)?Field$/.test(callee)) {
    const args = right.childForFieldName('arguments')?.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment') ?? []
    const keyword = (arg: Node) => (arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined)
    const alias = args.find((arg) => ['alias', 'validation_alias', 'env'].includes(keyword(arg) ?? ''))
    if (alias) {
      const name = stringValue(alias.childForFieldName('value')!)
      if (!name) return value
      variable = name.value
    }
    const rest = args.filter((arg, index) => keyword(arg) !== 'default' && (index > 0 || arg.type === 'keyword_argument'))
    // `Field()` alone is the annotation alone.
    if (rest.length > 0) required += ` = ${callee}(${rest.map((arg) => arg.text).join(', ')})`
  }
  if (!settings.caseSensitive) variable = variable.toUpperCase()
  return {kind: 'fallback', variable, start: at(expression.startIndex), end: at(expression.endIndex), value, required, raises: 'a `ValidationError`'}
}

/**
 * The variables an expression reads with a literal default (`PyScript.reads`), outermost first: a
 * read whose default is itself a read (`os.getenv("A", os.getenv("B", "x"))`) gives the inner one.
 */
function defaultReads(node: Node, script: PyScript, at: (index: number) => number) {
  if (node.type === 'lambda') return
  if (node.type === 'call' || node.type === 'boolean_operator') {
    const value = valueOf(node, at)
    if (value?.kind === 'fallback' && value.value.kind === 'literal') {
      script.reads.push(value)
      return
    }
  }
  for (const child of node.namedChildren) if (child) defaultReads(child, script, at)
}

/** The reads no assignment takes: an assignment's own fallback is read as that assignment. */
export function unassigned(script: PyScript): PyFallback[] {
  const taken = new Set(script.assignments.flatMap((a) => (a.value.kind === 'fallback' ? [a.value.start] : [])))
  return script.reads.filter((read) => !taken.has(read.start))
}

/** `import secrets, os.path as p` → `import secrets`: the imports the generator model knows. */
function importOf(statement: Node, imports: string[]) {
  if (statement.type === 'import_statement') {
    for (const name of statement.childrenForFieldName('name')) {
      if (!name) continue
      const module = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text
      const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : undefined
      if (module && KNOWN_MODULES.has(module)) imports.push(alias ? `import ${module} as ${alias}` : `import ${module}`)
    }
    return
  }
  const module = statement.childForFieldName('module_name')?.text
  if (!module || !KNOWN_MODULES.has(module)) return
  const names = statement.childrenForFieldName('name').map((name) => name?.text.replace(/\s+/g, ' ')).filter((name) => name !== undefined)
  if (names.length > 0) imports.push(`from ${module} import ${names.join(', ')}`)
}

function expressionStatement(expression: Node, script: PyScript, at: (index: number) => number, top: boolean, settings?: SettingsClass) {
  const range = (node: Node) => ({start: at(node.startIndex), end: at(node.endIndex)})
  const add = (name: string, node: Node, value: PyValue | undefined) => {
    if (value) script.assignments.push({name, ...range(node), value})
  }
  if (expression.type === 'assignment') {
    const left = expression.childForFieldName('left')
    const right = expression.childForFieldName('right')
    // `a = b = value` and `a, b = …` are not read.
    if (!left || !right || right.type === 'assignment') return
    const name = targetName(left)
    if (name === undefined) return
    if (right.type === 'dictionary') dictionary(right, script, at)
    if (right.type === 'call') {
      settingsArguments(right, script, at)
      schemaDefaults(right, script, at)
    }
    add(name, expression, settings && left.type === 'identifier' ? settingsField(expression, left, right, settings, at) : valueOf(right, at))
    return
  }
  if (expression.type !== 'call') return
  const callee = expression.childForFieldName('function')
  const args = expression.childForFieldName('arguments')
  // `print(secrets.token_urlsafe(32))` at module level: one positional argument.
  if (callee?.type === 'identifier' && callee.text === 'print' && args?.type === 'argument_list') {
    const [only, ...rest] = args.namedChildren
    if (only && rest.length === 0 && only.type !== 'keyword_argument' && only.type !== 'list_splat' && top) {
      script.prints.push({text: only.text, ...range(only)})
    }
    return
  }
  if (callee?.type !== 'attribute' || args?.type !== 'argument_list') return
  const method = callee.childForFieldName('attribute')?.text
  const object = callee.childForFieldName('object')?.text ?? ''
  const list = args.namedChildren.filter((arg) => arg !== null)
  // `os.environ.setdefault("JWT_SECRET", value)`
  if (method === 'setdefault' && /(^|\.)environ$/.test(object) && list.length === 2) {
    const name = stringValue(list[0])
    if (name) add(name.value, expression, valueOf(list[1], at))
    return
  }
  // `os.environ.update({…})`, `app.config.update(SECRET_KEY=…)`, `app.config.from_mapping(…)`
  if ((method === 'update' || method === 'from_mapping') && /(^|\.)(environ|config)$/i.test(object)) {
    for (const arg of list) {
      if (arg.type === 'dictionary') dictionary(arg, script, at)
      else if (arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name')?.text
        const value = arg.childForFieldName('value')
        if (name && value) add(name, arg, valueOf(value, at))
      }
    }
  }
}

/**
 * Classes whose keyword arguments are settings (`Settings(jwt_secret=…)`, `AppConfig(…)`). Other
 * calls' keyword arguments are not read: a client's credentials for another system
 * (`OpenAI(api_key=…)`, `psycopg.connect(password=…)`) must match what that system was given, and
 * a local OpenAI-compatible server ignores the key (`api_key="ollama"`).
 */
const settingsClasses = /^(?:[A-Z]\w*)?(?:Settings|Config)$/

/** The keyword arguments of a settings class's constructor, as its fields. */
function settingsArguments(call: Node, script: PyScript, at: (index: number) => number) {
  const callee = call.childForFieldName('function')
  const last = callee?.type === 'attribute' ? callee.childForFieldName('attribute') : callee
  const args = call.childForFieldName('arguments')
  if (!last || last.type !== 'identifier' || !settingsClasses.test(last.text) || args?.type !== 'argument_list') return
  for (const arg of args.namedChildren) {
    if (arg?.type !== 'keyword_argument') continue
    const name = arg.childForFieldName('name')?.text
    const value = arg.childForFieldName('value')
    const read = value && valueOf(value, at)
    if (name && read) script.assignments.push({name, start: at(arg.startIndex), end: at(arg.endIndex), value: read})
  }
}

/**
 * django-environ's schema (`environ.Env(SECRET_KEY=(str, "changeme"))`): each keyword names a
 * variable, and the second item of its tuple is the value `env("SECRET_KEY")` gives when it is
 * unset; the scheme alone (`SECRET_KEY=str`) makes that call raise `ImproperlyConfigured`.
 */
function schemaDefaults(call: Node, script: PyScript, at: (index: number) => number) {
  const callee = call.childForFieldName('function')?.text
  const args = call.childForFieldName('arguments')
  if (!/^(?:environ\.)?Env$/.test(callee ?? '') || args?.type !== 'argument_list') return
  for (const arg of args.namedChildren) {
    if (arg?.type !== 'keyword_argument') continue
    const name = arg.childForFieldName('name')?.text
    const tuple = arg.childForFieldName('value')
    const items = tuple?.type === 'tuple' ? tuple.namedChildren.filter((item): item is Node => item !== null && item.type !== 'comment') : []
    const literal = items.length === 2 ? stringValue(items[1]) : undefined
    if (!name || !literal) continue
    const value: PyValue = {kind: 'literal', literal: {value: literal.value, start: at(literal.start), end: at(literal.end)}}
    const [start, end] = [at(arg.startIndex), at(arg.endIndex)]
    script.assignments.push({name, start, end, value: {kind: 'fallback', variable: name, start, end, value, required: `${name}=${items[0].text}`, raises: '`ImproperlyConfigured`'}})
  }
}

/** The name an assignment writes: `NAME`, `os.environ["NAME"]`, `app.secret_key` (its last name). */
function targetName(left: Node): string | undefined {
  if (left.type === 'identifier') return left.text
  if (left.type === 'subscript') {
    const keys = left.childrenForFieldName('subscript')
    return keys.length === 1 && keys[0] ? stringValue(keys[0])?.value : undefined
  }
  if (left.type === 'attribute') return left.childForFieldName('attribute')?.text
  return undefined
}

/** Each string key of a dict (and of the dicts in its values) with its value. */
function dictionary(dict: Node, script: PyScript, at: (index: number) => number) {
  for (const pair of dict.namedChildren) {
    if (pair?.type !== 'pair') continue
    const key = pair.childForFieldName('key')
    const value = pair.childForFieldName('value')
    const name = key ? stringValue(key) : undefined
    if (!name || !value) continue
    if (value.type === 'dictionary') dictionary(value, script, at)
    const read = valueOf(value, at)
    if (read) script.assignments.push({name: name.value, start: at(pair.startIndex), end: at(pair.endIndex), value: read})
  }
}

/** Functions that read a variable from the environment, with a default as their second argument. */
const environmentReads = /^(?:(?:os\.)?getenv|(?:os\.)?environ\.get)$/

/**
 * Flask's configuration read with a default (`app.config.get("SECRET_KEY", "changeme")`,
 * `current_app.config.get(…)`): the value when the key is unset, as the environment's is;
 * `app.config["SECRET_KEY"]` raises `KeyError` instead. A bare `config.get` may be configparser's
 * `get(section, option)`: not read.
 */
const flaskConfigReads = /^(?:\w+\.)*\w*app\.config\.get$/

/**
 * Settings libraries' reads of a variable, with a `default=`: django-environ's and environs'
 * `env(…)` and `env.str(…)`, python-decouple's and Starlette's `config(…)`. A string as the
 * second argument is a default too (a type to cast to is never one).
 */
const libraryReads = /^(?:env(?:\.str)?|(?:decouple\.)?config)$/

/** pydantic's field and secret wrappers, whose default or value is the field's. */
const fieldWrappers = /^(?:(?:pydantic\.)?(?:Field|SecretStr))$/

function valueOf(node: Node, at: (index: number) => number): PyValue | undefined {
  switch (node.type) {
    case 'string': {
      const literal = stringValue(node)
      return literal ? {kind: 'literal', literal: {value: literal.value, start: at(literal.start), end: at(literal.end)}} : undefined
    }

    case 'identifier':
      return {kind: 'ref', name: node.text}

    case 'call': {
      const callee = node.childForFieldName('function')?.text ?? ''
      const args = node.childForFieldName('arguments')
      const list = args?.type === 'argument_list' ? args.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment') : []
      const keyword = (name: string) => list.find((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name)
      const library = libraryReads.test(callee)
      const flask = flaskConfigReads.test(callee)
      if (environmentReads.test(callee) || library || flask) {
        const variable = list[0] ? stringValue(list[0]) : undefined
        const positional = list[1] && list[1].type !== 'keyword_argument' && (!library || list[1].type === 'string') ? list[1] : undefined
        const given = positional ?? (flask ? undefined : keyword('default'))
        const written = given?.type === 'keyword_argument' ? given.childForFieldName('value') : given
        const value = written && written.type !== 'call' ? valueOf(written, at) : written ? expression(written, at) : undefined
        if (!variable || !value || value.kind === 'fallback' || value.kind === 'ref') return undefined
        // The library's call without the default: `env("JWT_SECRET")`, `config("JWT_SECRET",
        // cast=str)`.
        const required = library ? `${callee}(${list.filter((arg) => arg !== given).map((arg) => arg.text).join(', ')})`
          : flask ? `${callee.slice(0, -'.get'.length)}[${list[0].text}]`
          : callee.startsWith('os.') ? `os.environ[${list[0].text}]` : undefined
        const fallback: PyValue = {kind: 'fallback', variable: variable.value, start: at(node.startIndex), end: at(node.endIndex), value, required, raises: library ? 'an error' : undefined}
        if (flask) fallback.setting = true
        return fallback
      }
      // `Field("changeme")`, `Field(default="changeme")`, `Field(default_factory=lambda:
      // secrets.token_hex(32))`
      if (fieldWrappers.test(callee)) {
        const factory = keyword('default_factory')?.childForFieldName('value')
        const made = factory?.type === 'lambda' ? factory.childForFieldName('body') : undefined
        const given = made ?? (list[0] && list[0].type !== 'keyword_argument' ? list[0] : keyword('default')?.childForFieldName('value'))
        return given ? valueOf(given, at) : undefined
      }
      return expression(node, at)
    }

    case 'attribute':
      return expression(node, at)

    case 'boolean_operator': {
      // `os.environ.get("JWT_SECRET") or "changeme"`: the value when the variable is unset or
      // empty, as a default argument is.
      const left = node.childForFieldName('left')
      const right = node.childForFieldName('right')
      if (node.childForFieldName('operator')?.text !== 'or' || left?.type !== 'call' || !right) return undefined
      const callee = left.childForFieldName('function')?.text ?? ''
      const args = left.childForFieldName('arguments')?.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment') ?? []
      const variable = args.length === 1 ? stringValue(args[0]) : undefined
      if (!environmentReads.test(callee) || !variable) return undefined
      const value = right.type === 'call' ? expression(right, at) : valueOf(right, at)
      if (!value || value.kind === 'fallback' || value.kind === 'ref') return undefined
      const required = callee.startsWith('os.') ? `os.environ[${args[0].text}]` : undefined
      return {kind: 'fallback', variable: variable.value, start: at(node.startIndex), end: at(node.endIndex), value, required}
    }

    default:
      return undefined
  }
}

function expression(node: Node, at: (index: number) => number): PyValue {
  return {kind: 'expression', text: node.text, start: at(node.startIndex), end: at(node.endIndex)}
}

/**
 * A string literal's value and where it is written (inside its quotes, in the parsed text): one
 * string with nothing interpolated or escaped (`"changeme"`, `r'…'`, `b"…"`, `f"…"` without a
 * field; not `f"{x}"`, `"a\n"`, `"a" "b"`, or an empty string).
 */
function stringValue(node: Node): {value: string; start: number; end: number} | undefined {
  if (node.type !== 'string') return undefined
  const parts = node.namedChildren
  const open = parts[0]
  if (open?.type !== 'string_start') return undefined
  if (parts.length !== 3 || parts[1]?.type !== 'string_content' || parts[2]?.type !== 'string_end') return undefined
  const content = parts[1]
  return {value: content.text, start: content.startIndex, end: content.endIndex}
}

/**
 * The text to parse, and where each of its offsets is in the block: the block itself, or, for a
 * session (a line starting with `>>>`), the statements after their `>>> ` and `... ` prompts,
 * each line where it was and the output lines empty.
 */
function sessionSource(text: string): {source: string; at: (index: number) => number} {
  if (!/^>>>( |$)/m.test(text)) return {source: text, at: (index) => index}
  const lines = text.split('\n')
  /** Per line: where it starts in the source, and in the block once its prompt is skipped. */
  const starts: Array<[number, number]> = []
  let source = ''
  let offset = 0
  for (const line of lines) {
    const prompt = /^(?:>>>|\.\.\.)(?: |$)/.exec(line)?.[0].length
    starts.push([source.length, offset + (prompt ?? 0)])
    source += (prompt === undefined ? '' : line.slice(prompt)) + '\n'
    offset += line.length + 1
  }
  return {
    source,
    at(index) {
      let low = 0
      let high = starts.length - 1
      while (low < high) {
        const middle = (low + high + 1) >> 1
        if (starts[middle][0] <= index) low = middle
        else high = middle - 1
      }
      return starts[low][1] + index - starts[low][0]
    }
  }
}

/**
 * What an expression gives, as the `python -c` model evaluates it with the block's imports:
 * `print((…).decode())` for bytes (`base64.b64encode(os.urandom(32))`: 44 characters, not the 47
 * of `b'…'`), else `print(…)`. The program is the stage a fix resizes (`token_hex(32)` →
 * `token_hex(16)`); undefined when it is not a generator the model knows.
 */
export function pythonGenerator(imports: readonly string[], text: string): {stages: Stage[]; output: GeneratorOutput} | undefined {
  const code = text.replace(/\s*\n\s*/g, ' ')
  const prefix = imports.map((statement) => `${statement}; `).join('')
  for (const program of [`${prefix}print((${code}).decode())`, `${prefix}print(${code})`]) {
    const stages: Stage[] = [{name: 'python', args: ['-c', program]}]
    const analysis = analyzePipeline(stages)
    if (analysis.status === 'exact') return {stages, output: analysis.output}
  }
  return undefined
}

/**
 * A Python expression (`actual`, modelled as `stages` by `pythonGenerator`; or JavaScript's, by
 * `nodeGenerator`) with the sizes of
 * the suggested command (the same program with other numbers: `render` of a resized stage), as
 * the author wrote it: `secrets.token_hex(32)` → `secrets.token_hex(16)`. Undefined when the
 * suggestion is another command, or the numbers do not line up.
 */
export function resizedExpression(actual: string, stages: readonly Stage[], suggested: string): string | undefined {
  const program = stages.length === 1 && (stages[0].name === 'python' || stages[0].name === 'node') ? stages[0].args[1] : undefined
  if (program === undefined) return undefined
  const printing = stages[0].name === 'node' ? 'console.log(' : 'print('
  const original = render([...stages])
  const skeleton = (s: string) => s.replace(/\d+/g, '#')
  if (skeleton(original) !== skeleton(suggested)) return undefined
  // The imports' numbers (`from base64 import b64encode`) come before the expression's.
  const skip = (program.slice(0, program.lastIndexOf(printing)).match(/\d+/g) ?? []).length
  const before = (original.match(/\d+/g) ?? []).slice(skip)
  const after = (suggested.match(/\d+/g) ?? []).slice(skip)
  return swapNumbers(actual, [...actual.matchAll(/\d+/g)], before, after)
}
