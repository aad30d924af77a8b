/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. One run;
 * the driver lists every rule (help URI = the rule's page); each finding is a result with
 * its region (UTF-16 columns and character offsets), and each fix a SARIF `fix` whose
 * artifact change replaces the region (`deletedRegion` + `insertedContent`). Files that could
 * not be checked and config problems are tool execution notifications.
 */
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {ruleUrl, rules} from '../../core/rules/index.js'
import type {FileResult, Finding} from '../types.js'
import type {FormatContext} from './common.js'

const SRCROOT = '%SRCROOT%'

interface ArtifactLocation {
  uri: string
  uriBaseId?: string
}

function artifactLocation(file: string, cwd: string): ArtifactLocation {
  const relative = path.relative(cwd, file)
  if (relative.startsWith('..') || path.isAbsolute(relative)) return {uri: pathToFileURL(file).href}
  return {uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT}
}

function region(finding: Finding) {
  return {
    startLine: finding.start.line,
    startColumn: finding.start.column,
    endLine: finding.end.line,
    endColumn: finding.end.column,
    charOffset: finding.start.offset,
    charLength: finding.end.offset - finding.start.offset
  }
}

export function sarif(results: FileResult[], context: FormatContext): string {
  const descriptors: Array<Record<string, unknown>> = rules.map((rule) => ({
    id: rule.meta.id,
    name: rule.meta.id.replace(/(^|-)([a-z])/g, (_, _dash: string, ch: string) => ch.toUpperCase()),
    shortDescription: {text: rule.meta.description},
    helpUri: ruleUrl(rule.meta.id),
    defaultConfiguration: {level: rule.meta.severity === 'error' ? 'error' : 'warning'},
    properties: {tags: rule.meta.tags, fixable: rule.meta.fixable}
  }))
  const index = new Map(descriptors.map((d, i) => [d.id as string, i]))
  const ruleIndex = (finding: Finding): number => {
    let at = index.get(finding.ruleId)
    if (at === undefined) {
      at = descriptors.length
      descriptors.push({id: finding.ruleId, shortDescription: {text: finding.ruleId}, ...(finding.url ? {helpUri: finding.url} : {})})
      index.set(finding.ruleId, at)
    }
    return at
  }
  const sarifResults: unknown[] = []
  const notifications: unknown[] = []
  const configErrors = new Set<string>()
  for (const result of results) {
    const location = artifactLocation(result.path, context.cwd)
    for (const error of result.errors) {
      notifications.push({
        level: 'error',
        message: {text: error.message},
        locations: [{physicalLocation: {artifactLocation: location, ...(error.line ? {region: {startLine: error.line, startColumn: error.column ?? 1}} : {})}}]
      })
    }
    for (const message of result.configErrors) configErrors.add(message)
    for (const f of result.findings) {
      const entry: Record<string, unknown> = {
        ruleId: f.ruleId,
        ruleIndex: ruleIndex(f),
        level: f.severity === 'error' ? 'error' : 'warning',
        message: {text: f.message},
        locations: [{physicalLocation: {artifactLocation: location, region: {...region(f), ...(f.actual ? {snippet: {text: f.actual}} : {})}}}]
      }
      if (f.fix) {
        const safe = f.fix.safety === 'safe'
        entry.fixes = [
          {
            description: {text: `${safe ? 'Replace' : 'Suggestion: replace'} \`${f.actual}\` with \`${f.fix.text}\``},
            artifactChanges: [{artifactLocation: location, replacements: [{deletedRegion: region(f), insertedContent: {text: f.fix.text}}]}],
            properties: {safety: f.fix.safety}
          }
        ]
      }
      if (f.note) entry.properties = {note: f.note}
      sarifResults.push(entry)
    }
  }
  for (const message of configErrors) notifications.push({level: 'error', message: {text: message}, descriptor: {id: 'config'}})
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {driver: {name: 'docdrift', version: context.version, informationUri: 'https://github.com/docdrift/docdrift', rules: descriptors}},
        invocations: [{executionSuccessful: configErrors.size === 0, toolExecutionNotifications: notifications}],
        originalUriBaseIds: {[SRCROOT]: {uri: pathToFileURL(context.cwd).href.replace(/\/?$/, '/')}},
        columnKind: 'utf16CodeUnits',
        results: sarifResults
      }
    ]
  }
  return JSON.stringify(log, null, 2) + '\n'
}
