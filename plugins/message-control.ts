/** What both faces need to let remark-lint's `<!--lint …-->` comments control our findings. */
import type {Nodes, Root} from 'mdast'
import {commentMarker} from 'mdast-comment-marker'
import {messageControl} from 'unified-message-control'
import {VFile} from 'vfile'
import type {Finding} from '../core/engine.js'

/** A remark-lint comment (`<!--lint disable stale-route-->`): only files with one need message control. */
export const lintComment = /<!--\s*lint\s/

/**
 * remark-lint's message control (`<!--lint disable|enable|ignore …-->`), applied to `file`'s
 * messages from remark-lint rules, and only where the text has such a comment: on the rest it
 * would walk the whole tree to change nothing.
 */
export function controlMessages(tree: Root, file: VFile, text: string) {
  if (!lintComment.test(text)) return
  messageControl(tree, {file, marker: commentMarker, name: 'lint', source: 'remark-lint', test: ['comment', 'html']})
}

/**
 * remark-lint's message control drops every message placed after the last leaf node of the tree
 * (it treats that stretch as text the tree does not represent). A document that ends with a link
 * has its destination there: `[Run this](http://localhost:8080/chat/ws)`. When one of our
 * findings sits in that stretch, end the root where its last leaf ends, so the stretch is no gap.
 */
export function closeTrailingGap(tree: Root, findings: Finding[]) {
  const end = tree.position?.end
  if (!end || end.offset === undefined) return
  // The last leaf in document order: follow the last child down (positions only grow).
  let node: Nodes = tree
  while ('children' in node && node.children.length > 0) node = node.children[node.children.length - 1]
  const last = node.position?.end
  if (!last || last.offset === undefined || last.offset >= end.offset) return
  if (findings.some((f) => f.start.offset >= last.offset!)) tree.position = {start: tree.position!.start, end: {...last}}
}

/**
 * For hosts without a remark run (markdownlint, the command): drop the findings that remark-lint's
 * `<!--lint …-->` comments turn off, as the remark face does. `treeOf` gives the document's mdast
 * tree, asked for only when there are findings and such a comment.
 */
export function controlFindings(findings: Finding[], text: string, treeOf: () => Root): Finding[] {
  if (findings.length === 0 || !lintComment.test(text)) return findings
  const file = new VFile({value: text})
  const byMessage = new Map<object, Finding>()
  for (const finding of findings) {
    const message = file.message(finding.message, {place: {start: finding.start, end: finding.end}, ruleId: finding.ruleId, source: 'remark-lint'})
    byMessage.set(message, finding)
  }
  const tree = treeOf()
  // As in the remark face: findings after the last leaf (a document ending in a link) are no gap.
  closeTrailingGap(tree, findings)
  controlMessages(tree, file, text)
  return file.messages.flatMap((message) => byMessage.get(message) ?? [])
}
