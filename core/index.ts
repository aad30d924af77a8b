/** docdrift's engine, for hosts and programs. */
export {lintMarkdown, analyze, parseMarkdown, resolveConfig, type Finding, type Fix, type Point, type LintInput, type LintOptions, type LintResult, type ConfigOption} from './engine.js'
export {applyFixes, fixesOf, type Applied, type ApplyOptions} from './fix.js'
export {rules, ruleIds, getRule, ruleUrl, type Rule, type RuleMeta, type Safety} from './rules/index.js'
export {loadConfig, loadConfigFor, findConfig, ConfigError} from './config/index.js'
export type {ResolvedConfig, SecretConstraint, RouteTemplate, RoutesConfig, SourceRef, ImagesConfig, InstallsConfig, ForbiddenPattern} from './types.js'
export {UsageTally, configFacts, type FactUsage, type FactKind} from './facts/usage.js'
export type {DocUsage} from './engine.js'
