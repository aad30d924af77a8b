/** The PowerShell model (core/facts/powershell.ts): pipelines, commands, and what runs a download. */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {randomBytes} from 'node:crypto'
import {dotnetOutput, fetches, parsePowerShell, powershellAssignments} from '../core/facts/powershell.js'

const commands = (text: string) => parsePowerShell(text).map((p) => p.commands.map((c) => ({name: c.name, runsText: c.runsText, downloadsInside: c.downloadsInside, fetches: fetches(c)})))

test('a download piped into iex: two commands of one pipeline, any case', () => {
  assert.equal(commands('IRM https://get.scoop.sh | IEX'), [[
    {name: 'irm', runsText: false, downloadsInside: false, fetches: true},
    {name: 'iex', runsText: true, downloadsInside: false, fetches: false}
  ]])
})

test('iex given a download: DownloadString, a nested irm, a script block made from one', () => {
  const [outer] = commands("iex ((New-Object System.Net.WebClient).DownloadString('https://x.example.com/a.ps1'))")
  assert.equal(outer, [{name: 'iex', runsText: true, downloadsInside: true, fetches: false}])
  const nested = commands('iex "& { $(irm https://x.example.com/a.ps1) } -UseMSI"')
  assert.equal(nested[0], [{name: 'iex', runsText: true, downloadsInside: true, fetches: false}])
  assert.equal(nested[1], [{name: 'irm', runsText: false, downloadsInside: false, fetches: true}])
  const block = commands('& ([scriptblock]::Create((irm https://x.example.com/a.ps1))) -Force')
  assert.equal(block[0], [{name: '&', runsText: true, downloadsInside: true, fetches: false}])
})

test('what fetches nothing, or runs no text', () => {
  assert.equal(commands('irm … | iex')[0].map((c) => c.fetches), [false, false])
  assert.equal(commands('iex "Write-Host hi"'), [[{name: 'iex', runsText: true, downloadsInside: false, fetches: false}]])
  assert.equal(commands('& ./install.ps1')[0][0].runsText, false)
})

test('a deeply nested expression is read without running out of stack', () => {
  const deep = 'iex ' + '('.repeat(3000) + 'irm https://x.example.com' + ')'.repeat(3000)
  assert.equal(commands(deep)[0], [{name: 'iex', runsText: true, downloadsInside: true, fetches: false}])
})

test('assignments and the generators they hold', () => {
  const text = [
    '$env:ENCRYPTION_KEY = [Convert]::ToBase64String([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))',
    '$key = -join (1..32 | ForEach-Object { [char](Get-Random -Maximum 126) })',
    '${env:JWT_SECRET} = $key',
    '$hex = [System.Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(16))',
    '$count += 1'
  ].join('\n')
  assert.equal(powershellAssignments(text).map((a) => ({name: a.name, kind: a.generator?.kind, bytes: a.generator?.bytes, ref: a.ref})), [
    {name: 'ENCRYPTION_KEY', kind: 'base64', bytes: 32, ref: undefined},
    {name: 'key', kind: 'weak', bytes: undefined, ref: undefined},
    {name: 'JWT_SECRET', kind: undefined, bytes: undefined, ref: 'key'},
    {name: 'hex', kind: 'hex', bytes: 16, ref: undefined}
  ])
})

test('a byte array filled from a generator, then encoded: its size, where it is made; System.Random is weak', () => {
  const text = [
    '$bytes = New-Object byte[] 32',
    '[System.Security.Cryptography.RNGCryptoServiceProvider]::new().GetBytes($bytes)',
    '$env:ENCRYPTION_KEY = [Convert]::ToBase64String($bytes)',
    '$rng = [Security.Cryptography.RandomNumberGenerator]::Create()',
    '$buffer = [byte[]]::new(16)',
    '$rng.GetBytes($buffer)',
    '$hex = [Convert]::ToHexString($buffer)',
    '$zeros = New-Object -TypeName System.Byte[] -ArgumentList 32',
    '$unfilled = [Convert]::ToBase64String($zeros)',
    '$weak = New-Object byte[] 32',
    '(New-Object System.Random).NextBytes($weak)',
    '$seeded = [Convert]::ToBase64String($weak)',
    '$read = [byte[]]::new(32)',
    '[Security.Cryptography.RandomNumberGenerator]::Fill($read)',
    '$read = Get-Content key.bin -AsByteStream',
    '$file = [Convert]::ToBase64String($read)'
  ].join('\n')
  const found = powershellAssignments(text).filter((a) => a.generator).map((a) => {
    const {kind, bytes, start, end, count, shown} = a.generator!
    return {name: a.name, kind, bytes, made: text.slice(start, end), count: count && text.slice(count.start, count.end), shown: shown && text.slice(shown.start, shown.end)}
  })
  assert.equal(found, [
    {name: 'ENCRYPTION_KEY', kind: 'base64', bytes: 32, made: 'New-Object byte[] 32', count: '32', shown: '[Convert]::ToBase64String($bytes)'},
    {name: 'hex', kind: 'hex', bytes: 16, made: '[byte[]]::new(16)', count: '16', shown: '[Convert]::ToHexString($buffer)'},
    {name: 'seeded', kind: 'weak', bytes: undefined, made: '[Convert]::ToBase64String($weak)', count: undefined, shown: undefined}
  ])
})

test('GUIDs as text: the formats read, and what is done to one is not', () => {
  const formats = (value: string) => powershellAssignments(`$env:KEY = ${value}`)[0]?.generator?.format
  assert.is(formats('New-Guid'), 'D')
  assert.is(formats('(New-Guid)'), 'D')
  assert.is(formats('[guid]::NewGuid()'), 'D')
  assert.is(formats('[System.Guid]::NewGuid().ToString()'), 'D')
  assert.is(formats('(New-Guid).Guid'), 'D')
  assert.is(formats("[guid]::NewGuid().ToString('N')"), 'N')
  assert.is(formats('(New-Guid).ToString("n")'), 'N')
  assert.is(formats('[guid]::NewGuid().ToString("B")'), undefined)
  assert.is(formats('(New-Guid).ToString().Substring(0, 8)'), undefined)
  assert.is(formats('-join (New-Guid)'), undefined)
  assert.is(formats('New-Guid | Select-Object -ExpandProperty Guid'), undefined)
})

// No PowerShell on this machine: .NET's Convert.ToBase64String and ToHexString are RFC 4648 base64
// (padded, unwrapped) and hex, which Node's Buffer prints too.
test('what .NET prints for N random bytes, against the same encodings in Node', () => {
  for (let bytes = 1; bytes <= 96; bytes++) {
    const sample = randomBytes(bytes)
    const base64 = sample.toString('base64')
    assert.is(dotnetOutput('base64', bytes).chars, base64.length, `base64 of ${bytes}`)
    assert.is(dotnetOutput('base64', bytes).padding, base64.length - base64.replace(/=+$/, '').length, `padding of ${bytes}`)
    assert.is(dotnetOutput('hex', bytes).chars, sample.toString('hex').length, `hex of ${bytes}`)
  }
})

test.run()
