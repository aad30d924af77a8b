/** YAML blocks parsed once per text (facts and images read the same documents). */
import {parseAllDocuments, type Document} from 'yaml'
import {Memo} from '../memo.js'

const parsed = new Memo<Document.Parsed[] | undefined>(1024 * 1024)

/** Every document of a YAML (or JSON) block, error tolerant; undefined when it cannot be read. Read-only. */
export function parseYamlDocuments(text: string): Document.Parsed[] | undefined {
  return parsed.get(text, () => {
    try {
      const documents = parseAllDocuments(text, {keepSourceTokens: false, prettyErrors: false, strict: false, uniqueKeys: false})
      return (Array.isArray(documents) ? documents : [documents]) as Document.Parsed[]
    } catch {
      return undefined
    }
  })
}
