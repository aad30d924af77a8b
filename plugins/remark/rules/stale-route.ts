/** `import rule from 'docdrift/remark/stale-route'` — the stale-route rule alone (generated; see scripts/gen.js). */
import {remarkRules} from '../index.js'

export default remarkRules['stale-route']
