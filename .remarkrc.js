// The project lints its own docs with itself (see `npm test`, test/self-lint.test.ts).
import docdrift from 'docdrift/remark'

export default {plugins: [docdrift]}
