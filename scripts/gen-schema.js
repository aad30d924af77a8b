#!/usr/bin/env node
// Writes docdrift.schema.json from core/config/schema.ts (run after `tsc`).
// test/config.test.ts checks that the committed file is up to date.
import { writeFileSync } from 'node:fs'
import { renderJsonSchema } from '../dist/core/config/schema.js'

writeFileSync(new URL('../docdrift.schema.json', import.meta.url), renderJsonSchema())
