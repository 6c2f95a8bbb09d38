import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {CHROMIUM, openBrowser} from '../helpers/browser.js'
import {receval, tempDir} from '../helpers/cli.js'

// `receval recall --html` through the real CLI, and the page it writes opened in headless
// Chromium with every outside request blocked.
const F = (name: string) => join('fixtures', 'recall', name)
const ARGS = ['recall', '--retrieved', F('retrieved.csv'), '--retrieved', F('retrieved-b.csv'), '--score', 'score', '--truth', F('clicks.csv'), '--segment', 'activity', '-k', '5,10,20', '--bootstrap', '200']
const dir = tempDir()

test('recall --html writes the report, says so on stderr, keeps stdout the result, and embeds the same result', () => {
  const out = join(dir, 'recall.html')
  const r = receval([...ARGS, '--html', out, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stderr, new RegExp(`wrote ${out.replace(/[.]/g, '\\.')} \\(\\d+ bytes\\)\\n$`))
  const page = readFileSync(out, 'utf8')
  const data = page.match(/<script type="application\/json" id="receval-result">([\s\S]*?)<\/script>/)
  assert.ok(data)
  assert.deepEqual(JSON.parse(data[1]), r.json)
  for (const id of ['recall', 'recall-curves', 'comparison', 'segments']) assert.match(page, new RegExp(`<section id="${id}"`))
  assert.match(page, /<pre class="command"><code><span class="arg">receval<\/span> <span class="arg">recall<\/span>/)
  const table = receval([...ARGS, '--html', join(dir, 'again.html')])
  assert.equal(table.code, 0)
  assert.match(table.stdout, /paired bootstrap over keys/)
})

test('recall --html to a missing folder fails before reading (exit 2, one line naming the flag); --interactive needs --html', () => {
  const out = join(dir, 'no-such-dir', 'r.html')
  const r = receval([...ARGS, '--html', out])
  assert.equal(r.code, 2)
  assert.equal(r.stderr.trimEnd().split('\n').length, 1)
  assert.match(r.stderr, /^receval: --html/)
  assert.equal(existsSync(out), false)
  const i = receval([...ARGS, '--interactive'])
  assert.equal(i.code, 2)
  assert.match(i.stderr, /--html/)
})

test('the recall report opens offline in Chromium: five drawn charts, no requests, no errors', {skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}`}, async () => {
  const out = join(dir, 'browser.html')
  assert.equal(receval([...ARGS, '--html', out]).code, 0)
  const b = await openBrowser({width: 1280})
  try {
    const p = await b.open(out)
    assert.deepEqual(p.outsideRequests, [])
    assert.deepEqual(p.consoleErrors, [])
    assert.deepEqual(p.dialogs, [])
    const marks = await p.page.evaluate(`[...document.querySelectorAll('figure.chart')].map((f) => f.querySelectorAll('svg path, svg line, svg rect').length)`)
    assert.equal((marks as number[]).length, 5)
    for (const n of marks as number[]) assert.ok(n > 5, `a chart with ${n} marks`)
  } finally {
    await b.close()
  }
})
