/**
 * Markdown → micromark tokens, with docdrift's syntax (`syntax.ts`), for hosts that parse only
 * for docdrift (the `docdrift` command; the markdownlint face where markdownlint's syntax differs
 * from remark's). `tokens.ts` reads these into the same snippets `extractSnippets` reads from
 * mdast, without building the tree: micromark's events are most of a parse, turning them into
 * mdast is the rest (a third of the parse of the benchmark corpus, and most of its garbage).
 *
 * The tokens have markdownlint's shape (`MicromarkToken`: type, text, 1-based lines and columns,
 * children), made the same way: one token per `enter` event, nested by the events.
 */
import {parse, postprocess, preprocess} from 'micromark'
import {markdownSyntax} from './syntax.js'
import type {MicromarkToken} from './tokens.js'
import './micromark-linear.js'

/** The tokens of `text`, read with CommonMark, GFM without literal autolinks, and front matter. */
export function tokenizeMarkdown(text: string): MicromarkToken[] {
  const events = postprocess(parse({extensions: markdownSyntax().micromark}).document().write(preprocess()(text, undefined, true)))
  const document: MicromarkToken[] = []
  const open: MicromarkToken[][] = []
  let children = document
  for (const [kind, token] of events) {
    if (kind === 'enter') {
      const {start, end} = token
      const made: MicromarkToken = {
        type: token.type,
        text: text.slice(start.offset, end.offset),
        startLine: start.line,
        startColumn: start.column,
        endLine: end.line,
        endColumn: end.column,
        children: []
      }
      children.push(made)
      open.push(children)
      children = made.children as MicromarkToken[]
    } else {
      children = open.pop() ?? document
    }
  }
  return document
}
