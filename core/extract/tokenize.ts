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
import {subtokenize} from 'micromark-util-subtokenize'
import type {Event, Token} from 'micromark-util-types'
import {markdownSyntax} from './syntax.js'
import type {MicromarkToken} from './tokens.js'
import './micromark-linear.js'

/**
 * The tokens of `text`, read with CommonMark, GFM without literal autolinks, and front matter.
 *
 * `skipInline(source)`: paragraphs whose source it approves keep their inline content unread
 * until a reader asks for their `children` (most paragraphs of a docs page hold nothing a rule
 * reads, and inline content is about a third of micromark's work). micromark reads a document in
 * passes (flow, then the content of paragraphs, then their text), so the text of those paragraphs
 * is held back between passes, and read with the same code, in the same way, when asked for.
 */
export function tokenizeMarkdown(text: string, skipInline?: (source: string) => boolean): MicromarkToken[] {
  const events = parse({extensions: markdownSyntax().micromark}).document().write(preprocess()(text, undefined, true))
  const held = new Map<Token, Event[]>()
  if (skipInline) {
    const judged = new Set<Token>()
    for (;;) {
      const done = subtokenize(events)
      hold(events, text, skipInline, held, judged)
      if (done) break
    }
  } else {
    postprocess(events)
  }
  return tokensOf(events, text, held)
}

/** Takes the text chunks of the paragraphs `skipInline` approves out of the next pass. */
function hold(events: Event[], text: string, skipInline: (source: string) => boolean, held: Map<Token, Event[]>, judged: Set<Token>) {
  let chunks: Event[] | undefined
  for (const event of events) {
    const token = event[1]
    if (token.type === 'paragraph') {
      chunks = undefined
      if (event[0] === 'enter' && !judged.has(token)) {
        judged.add(token)
        if (skipInline(text.slice(token.start.offset, token.end.offset))) held.set(token, (chunks = []))
      }
    } else if (chunks && token.type === 'chunkText') {
      chunks.push(event)
      if (event[0] === 'exit') token.contentType = undefined
    }
  }
}

/** Tokens in markdownlint's shape from micromark's events: one token per `enter`, nested by the events. */
function tokensOf(events: readonly Event[], text: string, held: Map<Token, Event[]>): MicromarkToken[] {
  const document: MicromarkToken[] = []
  const open: MicromarkToken[][] = []
  let children = document
  // Inside a paragraph whose text is held: its chunks are not tokens of their own.
  let holding: Token | undefined
  for (const [kind, token] of events) {
    if (holding) {
      // Its chunks, then its own exit (its token was never opened as a parent).
      if (token === holding) holding = undefined
      continue
    }
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
      const chunks = held.get(token)
      if (chunks) {
        holding = token
        lazyChildren(made, chunks, text)
        continue
      }
      open.push(children)
      children = made.children as MicromarkToken[]
    } else {
      children = open.pop() ?? document
    }
  }
  return document
}

/** A held paragraph's inline tokens, read when first asked for. */
function lazyChildren(paragraph: MicromarkToken, chunks: Event[], text: string) {
  let read: MicromarkToken[] | undefined
  Object.defineProperty(paragraph, 'children', {
    enumerable: true,
    get() {
      if (!read) {
        for (const [kind, token] of chunks) if (kind === 'exit') token.contentType = 'text'
        const events = [...chunks]
        while (!subtokenize(events)) {
          // Until the text holds no more content to read (as `postprocess` does).
        }
        read = tokensOf(events, text, new Map())
      }
      return read
    }
  })
}
