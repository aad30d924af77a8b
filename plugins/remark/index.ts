/**
 * `import docdrift from 'docdrift/remark'`: one plugin that attaches remark-lint's message
 * control, the syntax docs need (GFM tables, front matter), and every docdrift rule.
 *
 * ```js
 * // .remarkrc.js
 * import docdrift from 'docdrift/remark'
 * export default {plugins: [docdrift]}
 * ```
 */
import type {Root} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkLint from 'remark-lint'
import type {Processor} from 'unified'
import {ruleIds} from '../../core/rules/index.js'
import {createRemarkRule, type Options} from './create.js'

export type {Options} from './create.js'

export const remarkRules = Object.fromEntries(ruleIds.map((id) => [id, createRemarkRule(id)]))

const syntaxAdded = new WeakSet<object>()

export default function docdrift(this: Processor, options?: Options) {
  const data = this.data()
  // GFM and front matter once per processor, even when the user adds remark-gfm too.
  if (!syntaxAdded.has(data)) {
    syntaxAdded.add(data)
    const extensions = data.micromarkExtensions ?? []
    const hasGfm = extensions.some((e) => 'flow' in e && e.flow && Object.values(e.flow).flat().some((c) => c && typeof c === 'object' && 'name' in c && c.name === 'table'))
    if (!hasGfm) this.use(remarkGfm)
    this.use(remarkFrontmatter, ['yaml', 'toml'])
  }
  this.use(remarkLint)
  for (const id of ruleIds) this.use(remarkRules[id], options)
}
