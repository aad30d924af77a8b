/** The PowerShell model (core/facts/powershell.ts): pipelines, commands, and what runs a download. */
import {test} from 'uvu'
import * as assert from 'uvu/assert'
import {fetches, parsePowerShell} from '../core/facts/powershell.js'

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

test.run()
