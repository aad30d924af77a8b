import type {Snippet} from '../extract/snippets.js'
import type {ShFallback, ShScript} from '../shell/parse.js'
import type {GeneratorOutput, Stage} from './generators.js'
import type {HostKind} from './urls.js'

/**
 * How sure we are that a path is aimed at the service:
 * - `url`: a full URL whose host is the service (loopback, configured, placeholder, variable);
 * - `client`: a host-less argument of an HTTP client (`:8080/x`, `$BASE_URL/x`);
 * - `field`: a field whose value is a route by definition (probe `path:`, nginx `location`, a
 *   Caddy or Traefik path matcher, a Gateway API or Istio route match);
 * - `inline`: inline code that is nothing but a path (`` `/chat/healthz` ``);
 * - `prose`: a bare path in running text or a comment.
 */
export type Certainty = 'url' | 'client' | 'field' | 'inline' | 'prose'

export interface UrlRef {
  snippet: Snippet
  /** Path range in the snippet value. */
  start: number
  end: number
  path: string
  hostKind: HostKind
  /** The port the URL names explicitly (`localhost:8080`), if any. */
  port?: number
  /**
   * The variable written right before the path (`$CHATBOX_URL/healthz`,
   * `localhost:8080${PREFIX}/healthz`; not `$POD_IP:5670/metrics`): a base URL or a prefix in it
   * may hold part of the path.
   */
  pathVariable?: string
  /**
   * The variable the URL's host starts with (`$DD_SITE_URL/api/v1/search`): a value the document
   * gives it says whose host it is.
   */
  hostVariable?: string
  certainty: Certainty
  /** HTTP method when the command states one (`curl -X POST`). */
  method?: string
  /** Range of the method word in the snippet value, when the document wrote it. */
  methodStart?: number
  methodEnd?: number
  /**
   * A proxy's matcher whose path it strips before passing the request on (Caddy's `handle_path`,
   * `uri strip_prefix`): the service never sees it, so moving it under the current prefix alone
   * does not make the config work.
   */
  stripped?: true
  /**
   * The path is the start of one the document builds (a template literal up to its first
   * `${…}`): a route it may be the start of is a route it names.
   */
  partial?: true
  /** File offset, for document order. */
  order: number
}

export interface Target {
  /** Secret (or variable) name the value is written to. */
  name: string
  /** Variable the value flowed through (`NEW_KEY` in `export ENCRYPTION_KEY=$NEW_KEY`). */
  via?: string
  /**
   * How the name was found (`pipe`: the secret is the command's output as printed, piped or
   * written to a file, trailing newline included; `label`: a Terraform resource's own name spells
   * the secret, `random_password.encryption_key`).
   */
  how: 'assignment' | 'argument' | 'context' | 'flow' | 'pipe' | 'label'
  /**
   * The value is the default of this variable, read where the name set is no configured secret
   * (`const key = process.env.ENCRYPTION_KEY ?? …`): the read as the block writes it, where its
   * language has more than one way (`Fallback.reads`), else empty.
   */
  reads?: string
}

export interface GenUse {
  snippet: Snippet
  /** Pipeline range in the snippet value. */
  start: number
  end: number
  /** Where the commands that print the value end: before the output redirect (`> key.txt`) that ends the pipeline, which a fix keeps. */
  printEnd: number
  stages: Stage[]
  output: GeneratorOutput
  targets: Target[]
  order: number
  /**
   * A Go template generator written to a Kubernetes Secret's `data` without `b64enc`
   * (`{{ randAlphaNum 32 }}`): Kubernetes decodes what it prints from base64, to `decodedBytes`
   * bytes, or refuses it (undefined). `output` is what it prints.
   */
  unencoded?: {decodedBytes?: number}
  /** A Terraform `random` provider resource's output, not a command: see `ResourceOutput`. */
  resource?: ResourceOutput
  /**
   * The expression that prints the value, when the range is not it: PowerShell's encoding of a
   * byte array (`[Convert]::ToBase64String($bytes)`), whose range is the array made (`New-Object
   * byte[] 32`), where `count` is its size, which a fix changes.
   */
  shown?: string
  count?: {start: number; end: number}
}

/**
 * The output of a resource of Terraform's `random` provider (core/facts/terraform-random.ts). Its
 * generator's range is the number of its size argument (`44` of `length = 44`), which a fix
 * rewrites, or, without one (`random_uuid`), its name's label.
 */
export interface ResourceOutput {
  /** How messages name it: `random_id.jwt_secret.hex`. */
  name: string
  /** The size argument (`length`, `byte_length`). */
  size?: string
  /** What it draws, for a message that says why it is weak: `8 characters from a set of 83`. */
  draws: string
  /** Other outputs of the resource are read too (`.hex` and `.b64_std`): a new size changes them all. */
  shared?: true
}

/**
 * A pipeline that prints something secret-looking whose length depends on chance or that holds
 * no chance at all: `date | sha256sum`, `echo $RANDOM`, `echo -n word | base64`. `bits` is an
 * upper bound on its entropy.
 */
export interface SourceUse {
  snippet: Snippet
  start: number
  end: number
  /** As `GenUse.printEnd`. */
  printEnd: number
  stages: Stage[]
  bits: number
  reason: string
  targets: Target[]
  order: number
  /** A Terraform resource's output whose length depends on chance (`random_id`'s `dec`). */
  resource?: ResourceOutput
}

/** A parsed shell snippet (a block, inline code, a Dockerfile's commands), for rules that read commands. */
export interface ScriptFact {
  snippet: Snippet
  script: ShScript
}

/** A value written to a name: `NAME=value`, `export NAME=…`, `--from-literal=NAME=…`, `-e NAME=…`, env entries. */
export interface Assignment {
  snippet: Snippet
  start: number
  end: number
  name: string
  /** Literal value, when fully literal. */
  value?: string
  /** Where the literal value is written in the snippet, inside its quotes (from the shell or YAML parse). */
  valueStart?: number
  valueEnd?: number
  /** Quoting around the value in shell: a `$(…)` written there only runs outside `'…'`. */
  valueQuote?: '' | '"' | "'" | 'mixed'
  /** Variables the value expands. */
  refs: string[]
  /** Generators whose output is the value. */
  gens: GenUse[]
  /** Weak sources whose output is the value. */
  sources: SourceUse[]
  /** String members of a literal value that is a JSON object: `secret` in `CONF='{"secret":"kong"}'`. */
  json?: JsonMember[]
  /**
   * The value is the output of commands as printed, not a `$(…)` capture: piped into a secret
   * store (`… | docker secret create NAME -`) or read from the file they wrote (`--from-file`). Its
   * trailing newline is kept, and the name is no variable.
   */
  piped?: true
  /**
   * The literal the value falls back to when a variable is unset, where the value is that one
   * expansion: `changeme` in `JWT_SECRET=${JWT_SECRET:-changeme}` (shell, dotenv, Compose).
   */
  fallback?: Fallback
  /** The value is written in base64 (a Kubernetes Secret's `data`): `value` is what it decodes to. */
  encoded?: 'base64'
  /**
   * The value is the default of a variable read (a generator after `process.env.ENCRYPTION_KEY
   * ??`, `os.getenv("ENCRYPTION_KEY") or`, in a destructuring default): its name, and the read as
   * written (`Fallback.reads`). Where `name` is no configured secret, the value is this one's.
   */
  defaultOf?: {name: string; reads?: string}
  order: number
}

/**
 * A value a variable falls back to when unset: `${JWT_SECRET:-changeme}` in shell, dotenv and
 * Compose; `os.getenv("JWT_SECRET", "changeme")` (or a settings library's `env(…, default=…)`) in
 * Python, where `operator` is empty, `required` reads the variable without a default
 * (`os.environ["JWT_SECRET"]`, `env("JWT_SECRET")`) and `raises` says what that does when it is
 * unset (`KeyError` when not given).
 */
export interface Fallback extends ShFallback {
  required?: string
  raises?: string
  /**
   * How the block reads the variable, where its language has more than one way (JavaScript's
   * `process.env.JWT_SECRET`, `Bun.env.JWT_SECRET`, `import.meta.env.JWT_SECRET`,
   * `Deno.env.get("JWT_SECRET")`).
   */
  reads?: string
  /** The fallback as written when `value` is what it decodes to (base64 in a Secret's `data`). */
  written?: string
  /** `name` is a key of the application's configuration (Flask's `app.config`), not a variable. */
  setting?: true
  /**
   * Helm's `default` after a `lookup` of the Secret the chart writes (`(lookup …).data.key |
   * default ("changeme" | b64enc)`, or the branch taken when it finds nothing): the first install
   * writes the literal and every upgrade keeps it. The range is the literal's, as the argument of
   * `default` (inside its parentheses, with the functions applied there) or the branch's action;
   * `encode`: a generator in its place needs `| b64enc` (a Secret's `data`); `wrap`: it needs
   * parentheses.
   */
  kept?: {encode: boolean; wrap: boolean}
}

/** A string inside a JSON value, under its key, with where it is written in the snippet (inside its JSON quotes). */
export interface JsonMember {
  key: string
  value: string
  start: number
  end: number
  /** Shell quoting around the string, as for `Assignment.valueQuote`. */
  quote?: Assignment['valueQuote']
}

export interface DocFacts {
  urls: UrlRef[]
  generators: GenUse[]
  /** Pipelines that look like generators but carry little or no entropy. */
  sources: SourceUse[]
  assignments: Assignment[]
  scripts: ScriptFact[]
  snippets: Snippet[]
  /** Local ports forwarded to other ports: `kubectl port-forward svc/x 9090:8080`, `docker run -p 9090:8080`, `ssh -L 9090:host:8080`, Compose `ports:`. */
  forwards: Forward[]
  /**
   * Variables read with a literal default where no name takes the value: a call's argument, a
   * member of an object or an item of a list the module builds
   * (`jwt.encode(payload, os.getenv("JWT_SECRET", "changeme"))`,
   * `app.use(session({secret: process.env.SESSION_SECRET || 'keyboard cat'}))`). The ones a name
   * takes are its `Assignment.fallback`.
   */
  reads: FallbackRead[]
}

/** A variable read with a literal default, the value of no assignment: see `DocFacts.reads`. */
export interface FallbackRead {
  snippet: Snippet
  fallback: Fallback
  /** Document order, as for `UrlRef.order`. */
  order: number
}

/** `local` on this machine reaches `remote` (of a pod, a container, a host behind ssh). */
export interface Forward {
  local: number
  remote: number
  snippet: Snippet
  /** Document order, as for `UrlRef.order`. */
  order: number
}

/**
 * An image a JavaScript or Python block deploys, as a string literal (core/facts/javascript.ts
 * `javascriptImages`, core/facts/python.ts `pythonImages`): its text, and where it is in the
 * block, inside its quotes. `cluster`: a container of a pod spec, pulled by a node's kubelet.
 */
export interface CodeImage {
  text: string
  start: number
  end: number
  cluster?: true
}

/**
 * What a JavaScript or Python block holds wherever it names an image `CodeImage` reads:
 * mutable-image's needles for code blocks, and the test before a block is parsed or walked for
 * its images.
 */
export const codeImageNeedles: readonly string[] = ['fromRegistry', 'from_registry', 'imageIdentifier', 'image_identifier', 'containers', 'initContainers', 'addContainer', 'add_container', 'RemoteImage', 'docker.Container', 'taskDefinitionArgs', 'task_definition_args']

/** Whether a code block may name an image (`codeImageNeedles`). */
export function mayDeployImage(text: string): boolean {
  return codeImageNeedles.some((needle) => text.includes(needle))
}
