/** The rule registry: every host builds its rules from this list. */
import {registerRuleIds} from '../config/index.js'
import {forbiddenPattern} from './forbidden-pattern.js'
import {mutableImage} from './mutable-image.js'
import {secretLength} from './secret-length.js'
import {staleRoute} from './stale-route.js'
import {unpinnedInstall} from './unpinned-install.js'
import {weakSecret} from './weak-secret.js'
import type {Rule} from './types.js'

export const rules: Rule[] = [staleRoute, secretLength, mutableImage, unpinnedInstall, weakSecret, forbiddenPattern]

export const ruleIds: string[] = rules.map((rule) => rule.meta.id)

export function getRule(id: string): Rule | undefined {
  return rules.find((rule) => rule.meta.id === id)
}

/** Where each rule's page lives (shown in messages and editors). */
export function ruleUrl(id: string): string {
  return `https://github.com/docdrift/docdrift/blob/main/docs/rules/${id}.md`
}

export type {Rule, RuleMeta, Report, Safety} from './types.js'

registerRuleIds(...ruleIds)
