/**
 * `import rules from 'docdrift/markdownlint'`: every docdrift rule as a markdownlint custom rule.
 *
 * ```jsonc
 * // .markdownlint-cli2.jsonc
 * {
 *   "customRules": ["docdrift/markdownlint"],
 *   "config": {"stale-route": true, "secret-length": {"config": "docs/docdrift.config.json"}}
 * }
 * ```
 */
import {ruleIds} from '../../core/rules/index.js'
import {createMarkdownlintRule, type MarkdownlintRule} from './create.js'

export type {MarkdownlintRule, Options, RuleParams, OnError, OnErrorInfo, FixInfo} from './create.js'
export {createMarkdownlintRule, faceStats} from './create.js'

export const markdownlintRules: MarkdownlintRule[] = ruleIds.map((id) => createMarkdownlintRule(id))

export default markdownlintRules
