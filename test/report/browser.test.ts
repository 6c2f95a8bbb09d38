import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {type Browser, type OpenedPage, openBrowser} from '../helpers/browser.js'
import {ROOT, receval, tempDir, writeFile} from '../helpers/cli.js'

// Generated reports opened in headless Chromium with every request blocked: the charts must be
// drawn, nothing may load from outside, nothing may log an error, and a hostile column name must
// stay text. Input: the first 4000 rows of fixtures/ctr.csv plus a copy of pctr_v2 under a
// column name that is an XSS payload.
const HOSTILE = '<img src=x onerror=alert(1)>'
const FIGURES = 7 // ROC, PR, reliability, 2 score distributions, 2 per-group AUC distributions

const dir = tempDir()
const rows = readFileSync(join(ROOT, 'fixtures', 'ctr.csv'), 'utf8').trimEnd().split('\n').slice(0, 4001)
const input = writeFile(dir, 'hostile.csv', rows.map((l, i) => (i === 0 ? `${l},${HOSTILE}` : `${l},${l.split(',')[4]}`)).join('\n') + '\n')
const flags = ['--score', 'pctr', '--score', HOSTILE, '--group', 'user_id', '--ci', '--thresholds', '0.05,0.1']

function makeReport(name: string, extra: string[] = []): string {
  const out = join(dir, name)
  const r = receval(['auc', input, ...flags, '--html', out, ...extra])
  assert.equal(r.code, 0, r.stderr)
  return out
}

/** The few DOM types used below (the project's tsconfig has no DOM library). */
interface El {
  querySelector(s: string): El | null
  querySelectorAll(s: string): ArrayLike<El> & Iterable<El>
  getBoundingClientRect(): {width: number}
  textContent: string | null
  innerText: string
}
interface Page {
  document: El & {body: El; documentElement: {scrollWidth: number}; getElementById(id: string): El | null}
  innerWidth: number
}

/** What the page shows: figures, drawn marks per figure, text, images, horizontal overflow. */
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
    }
  })
}

function clean(p: OpenedPage): void {
  assert.deepEqual(p.outsideRequests, [], 'requests outside the file')
  assert.deepEqual(p.consoleErrors, [], 'console errors')
  assert.deepEqual(p.pageErrors, [], 'page errors')
  assert.deepEqual(p.dialogs, [], 'dialogs')
}

describe('reports in headless Chromium, offline', () => {
  let desktop: Browser
  let phone: Browser
  let staticFile: string
  let liveFile: string

  before(async () => {
    staticFile = makeReport('static.html')
    liveFile = makeReport('live.html', ['--interactive'])
    desktop = await openBrowser({width: 1280, height: 900})
    phone = await openBrowser({width: 390, height: 844, mobile: true})
  })

  after(async () => {
    await desktop?.close()
    await phone?.close()
  })

  test('the static report draws every chart, requests nothing, logs no error, and runs no script', async () => {
    const p = await desktop.open(staticFile)
    clean(p)
    const v = await inspect(p)
    assert.equal(v.figures, FIGURES)
    for (const [i, n] of v.marksPerFigure.entries()) assert.ok(n > 0, `figure ${i + 1} has no marks`)
    for (const w of v.drawnWidths) assert.ok(w >= 300, `chart drawn ${w}px wide`)
    assert.equal(v.scripts, 0)
    assert.ok(v.overflow <= 0, `page is ${v.overflow}px wider than the window`)
  })

  test('a hostile column name appears as text and opens no dialog', async () => {
    const p = await desktop.open(staticFile, {settle: 200})
    clean(p)
    const v = await inspect(p)
    assert.equal(v.images, 0)
    assert.ok(v.text.includes(HOSTILE), 'the name is shown literally')
    // in the metrics table, the legend and the command line
    const cells = await p.page.locator('table.data tbody th', {hasText: HOSTILE}).count()
    assert.ok(cells >= 2, `table cells naming it: ${cells}`)
    assert.ok((await p.page.locator('svg text', {hasText: HOSTILE}).count()) >= 1, 'in a chart legend')
  })

  test('the embedded JSON result parses in the page and names the hostile score', async () => {
    const p = await desktop.open(staticFile)
    const names = await p.page.evaluate(() => Object.keys(JSON.parse((globalThis as unknown as Page).document.getElementById('receval-result')?.textContent ?? '{}').scores))
    assert.deepEqual(names, ['pctr', '<img src=x onerror=alert(1)>'])
  })

  test('on a phone the page does not scroll sideways; wide tables scroll inside their box', async () => {
    const p = await phone.open(staticFile)
    clean(p)
    const v = await inspect(p)
    assert.ok(v.overflow <= 0, `page is ${v.overflow}px wider than the phone`)
    for (const w of v.drawnWidths) assert.ok(w > 250 && w <= 390, `chart ${w}px wide on a 390px screen`)
  })

  test('the interactive report redraws every chart live with the inlined vega, offline and without errors', async () => {
    const p = await desktop.open(liveFile)
    await p.page.waitForFunction((n) => (globalThis as unknown as Page).document.querySelectorAll('figure.chart[data-live="ready"]').length === n, FIGURES, {timeout: 20000})
    clean(p)
    const v = await inspect(p)
    assert.equal(v.figures, FIGURES)
    for (const [i, n] of v.marksPerFigure.entries()) assert.ok(n > 0, `live figure ${i + 1} has no marks`)
    assert.equal(v.images, 0)
    assert.ok(v.text.includes(HOSTILE))
    // hovering a point of the ROC curve shows its threshold (vega's default tooltip: a title attribute)
    const roc = p.page.locator('#fig-1 .svg')
    await roc.locator('g.mark-symbol.role-mark').last().locator('path').nth(300).hover({force: true})
    await p.page.waitForFunction(() => ((globalThis as unknown as Page).document.querySelector('#fig-1 .svg') as unknown as {title: string}).title !== '', undefined, {timeout: 5000})
    assert.match((await roc.getAttribute('title')) ?? '', /threshold: [\d.]+/)
    assert.deepEqual(p.dialogs, [])
  })

  test('the static report still reads with JavaScript disabled', async () => {
    const noJs = await openBrowser({javaScript: false})
    try {
      const p = await noJs.open(staticFile)
      clean(p)
      const v = await inspect(p)
      assert.equal(v.figures, FIGURES)
      assert.ok(v.marksPerFigure.every((n) => n > 0))
    } finally {
      await noJs.close()
    }
  })
})
