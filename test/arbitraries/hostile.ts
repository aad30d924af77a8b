/**
 * Hostile inputs, by size: shared by test/hostile.test.ts (small sizes, growth checked by counts)
 * and bench/hostile.js (the full sizes, timed).
 */

/** About 1 KB of a realistic operational guide, with drift planted in every kind of place. */
export function section(i: number): string {
  return `## Step ${i}: check the service ✅

Run the health check (\`curl http://localhost:8080/chat/healthz\`) before you deploy, or read [the runbook](https://wiki.example.org/runbook/${i}).

\`\`\`bash
export ENCRYPTION_KEY=$(openssl rand -base64 32)
curl -sf http://localhost:8080/chat/healthz
wscat -c "ws://localhost:8080/chatbox/ws?token=<your-token>"
# - Metrics: http://localhost:8080/chat/admin/metrics
\`\`\`

| Setting | Variable | How to generate |
|---|---|---|
| Encryption key | ENCRYPTION_KEY | \`openssl rand -base64 32\` |
| JWT secret | JWT_SECRET | \`openssl rand -base64 32\` |

> Note: calls to https://api.openai.com/v1/chat/completions are not ours; naïve café 日本語.

`
}

/** Findings planted in one `section` (stale routes and secret lengths, per rule). */
export const findingsPerSection = {'stale-route': 3, 'secret-length': 2}

/** A Markdown document of about `bytes` UTF-16 code units, made of sections. */
export function bigDocument(bytes: number): string {
  const parts: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const part = section(i)
    parts.push(part)
    size += part.length
  }
  return parts.join('')
}

/** One fenced shell block of `lines` lines (every fourth line holds a finding). */
export function bigCodeBlock(lines: number): string {
  const body: string[] = []
  for (let i = 0; i < lines; i++) {
    switch (i % 4) {
      case 0: body.push(`curl -sf http://localhost:8080/chat/sessions/${i}`); break
      case 1: body.push(`echo "line ${i}" | tee -a /tmp/log-${i}`); break
      case 2: body.push(`wscat -c ws://localhost:8080/chatbox/ws?n=${i}`); break
      default: body.push(`VAR_${i}=value-${i}`)
    }
  }
  return '# One block\n\n```bash\n' + body.join('\n') + '\n```\n'
}

/** Findings in `bigCodeBlock(lines)`. */
export function bigCodeBlockFindings(lines: number): number {
  return Math.ceil(lines / 4)
}

const unit = 'see `curl http://localhost:8080/chat/healthz` or /chat/ws and https://example.org/chat/x, then '

/** One paragraph on a single line of about `bytes` code units (no line ending until the end). */
export function longSingleLine(bytes: number): string {
  return unit.repeat(Math.max(1, Math.round(bytes / unit.length))) + '\n'
}

/** Findings in `longSingleLine(bytes)`: the inline code, and the bare prose path. */
export function longSingleLineFindings(bytes: number): number {
  return Math.max(1, Math.round(bytes / unit.length)) * 2
}

/** A tiny file with one finding. */
export function tinyFile(i: number): string {
  return `# Note ${i}\n\nCheck \`curl http://localhost:8080/chat/healthz\`.\n`
}
