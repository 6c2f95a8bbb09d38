import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {type Browser, type OpenedPage, openBrowser} from '../helpers/browser.js'
import {receval, tempDir} from '../helpers/cli.js'
import {demoDb} from '../helpers/weekly-db.js'

// The weekly report opened in headless Chromium with every request blocked, like the auc
// report: every chart drawn, nothing loaded, no error, and a hostile tag value (the demo
// database's experiment branch is called '<img src=x onerror=alert(1)>') shown as text.
const HOSTILE = '<img src=x onerror=alert(1)>'
const FIGURES = 23 // see test/commands/report-weekly.test.ts

const dir = tempDir()
const db = demoDb(dir, true)

function makeReport(name: string, extra: string[] = []): string {
  const out = join(dir, name)
  const r = receval(['report', 'weekly', '--db', db, '--since', '2024-05-08', '--until', '2024-05-14', '--html', out, ...extra])
  assert.equal(r.code, 0, r.stderr)
  return out
}

interface El {
  querySelector(s: string): El | null
  querySelectorAll(s: string): ArrayLike<El> & Iterable<El>
  getBoundingClientRect(): {width: number}
  innerText: string
}
interface Page {
  document: El & {body: El; documentElement: {scrollWidth: number}}
  innerWidth: number
}

async function inspect(p: OpenedPage) {
  return p.page.evaluate(() => {
    const window = globalThis as unknown as Page
    const document = window.document
    const figs = [...document.querySelectorAll('figure.chart')]
    return {
      figures: figs.length,
      marksPerFigure: figs.map((f) => f.querySelectorAll('svg g[class*="role-mark"] > path, svg g[class*="role-mark"] > line, svg g[class*="role-mark"] > rect').length),
      drawnWidths: figs.map((f) => Math.round(f.querySelector('svg')?.getBoundingClientRect().width ?? 0)),
      text: document.body.innerText,
      images: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script:not([type="application/json"])').length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      badCells: document.querySelectorAll('td.tone-bad').length,
    }
  })
}

function clean(p: OpenedPage): void {
  assert.deepEqual(p.outsideRequests, [], 'requests outside the file')
  assert.deepEqual(p.consoleErrors, [], 'console errors')
  assert.deepEqual(p.pageErrors, [], 'page errors')
  assert.deepEqual(p.dialogs, [], 'dialogs')
}

describe('the weekly report in headless Chromium, offline', () => {
  let desktop: Browser
  let phone: Browser
  let staticFile: string
  let liveFile: string

  before(async () => {
    staticFile = makeReport('weekly.html')
    liveFile = makeReport('weekly-live.html', ['--interactive'])
    desktop = await openBrowser({width: 1280, height: 900})
    phone = await openBrowser({width: 390, height: 844, mobile: true})
  })

  after(async () => {
    await desktop?.close()
    await phone?.close()
  })

  test('every trend chart is drawn; nothing is requested, logged or run', async () => {
    const p = await desktop.open(staticFile, {settle: 200})
    clean(p)
    const v = await inspect(p)
    assert.equal(v.figures, FIGURES)
    for (const [i, n] of v.marksPerFigure.entries()) assert.ok(n > 0, `figure ${i + 1} has no marks`)
    for (const w of v.drawnWidths) assert.ok(w >= 300, `chart drawn ${w}px wide`)
    assert.equal(v.scripts, 0)
    assert.ok(v.overflow <= 0, `page is ${v.overflow}px wider than the window`)
    // the regressions table and the summary flag the pctr_v2 metrics in red
    assert.ok(v.badCells >= 14, `${v.badCells} cells flagged`)
    assert.match(v.text, /Regressions \(7\)/)
    assert.match(v.text, /A\/B tests recorded \(2\)/)
    assert.match(v.text, /Run 51 · 2024-05-09 09:00 UTC · experiment=ranker-v3 · SRM p = 0\.5485/)
  })

  test('a hostile tag value is shown as text: in tables, legends and captions', async () => {
    const p = await desktop.open(staticFile, {settle: 200})
    clean(p)
    const v = await inspect(p)
    assert.equal(v.images, 0)
    assert.ok(v.text.includes(`auc branch=${HOSTILE}`))
    assert.ok((await p.page.locator('table.data tbody th', {hasText: HOSTILE}).count()) >= 2)
    assert.ok((await p.page.locator('svg text', {hasText: HOSTILE}).count()) >= 1, 'in a chart legend')
  })

  test('on a phone the page does not scroll sideways', async () => {
    const p = await phone.open(staticFile)
    clean(p)
    const v = await inspect(p)
    assert.ok(v.overflow <= 0, `page is ${v.overflow}px wider than the phone`)
  })

  test('the interactive page redraws every chart live, offline, and shows a run on hover', async () => {
    const p = await desktop.open(liveFile)
    await p.page.waitForFunction((n) => (globalThis as unknown as Page).document.querySelectorAll('figure.chart[data-live="ready"]').length === n, FIGURES, {timeout: 30000})
    clean(p)
    const v = await inspect(p)
    assert.equal(v.figures, FIGURES)
    assert.ok(v.marksPerFigure.every((n) => n > 0))
    const fig = p.page.locator('#fig-1 .svg')
    await fig.locator('g.mark-symbol.role-mark path').last().hover({force: true})
    await p.page.waitForFunction(() => ((globalThis as unknown as Page).document.querySelector('#fig-1 .svg') as unknown as {title: string}).title !== '', undefined, {timeout: 5000})
    assert.match((await fig.getAttribute('title')) ?? '', /run: \d+/)
    assert.deepEqual(p.dialogs, [])
  })
})
