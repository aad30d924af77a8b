/** Config: load, validate, resolve pointers into the service's own files. */
export {
  CONFIG_FILE_NAME,
  clearConfigCache,
  findConfig,
  formatPath,
  knownRuleIds,
  loadConfig,
  loadConfigFor,
  normalisePrefix,
  parseKeyPath,
  parseRouteTemplate,
  registerRuleIds,
  type LoadForOptions,
  type LoadOptions,
} from './load.js'
export {
  configSchema,
  renderJsonSchema,
  sections,
  toJsonSchema,
  validate,
  type FromSchema,
  type Problem,
  type RawConfig,
  type Schema,
} from './schema.js'
export { ConfigError } from '../types.js'
