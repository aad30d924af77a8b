/** `import rule from 'docdrift/remark/secret-length'` — the secret-length rule alone (generated; see scripts/gen.js). */
import {remarkRules} from '../index.js'

export default remarkRules['secret-length']
