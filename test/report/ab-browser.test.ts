import {after, before, describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {type Browser, type OpenedPage, openBrowser} from '../helpers/browser.js'
import {receval, tempDir, writeFile} from '../helpers/cli.js'

// The ab report in headless Chromium with every request blocked: the SRM banner, every chart
// drawn, nothing loaded from outside, no console error, and an arm named like an XSS payload
// shown as text. Input: fixtures/ab/user-days.csv with the "green" arm renamed to HOSTILE.
const HOSTILE = '<img src=x onerror=alert(1)>'

interface El {
  querySelectorAll(s: string): ArrayLike<El> & Iterable<El>
  innerText: string
}

function clean(p: OpenedPage): void {
  assert.deepEqual(p.outsideRequests, [], 'requests outside the file')
  assert.deepEqual(p.consoleErrors, [], 'console errors')
  assert.deepEqual(p.pageErrors, [], 'page errors')
  assert.deepEqual(p.dialogs, [], 'dialogs')
}

describe('the ab report in headless Chromium, offline', () => {
  let browser: Browser
  let file: string
  let live: string

  before(async () => {
    const dir = tempDir()
    const {readFileSync} = await import('node:fs')
    const text = readFileSync('fixtures/ab/user-days.csv', 'utf8').replaceAll(',green,', `,"${HOSTILE}",`)
    const input = writeFile(dir, 'hostile.csv', text)
    file = join(dir, 'ab.html')
    const args = ['ab', input, '--unit', 'user_id', '--day', 'day', '--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions', '--expected-split', `control=40,blue=30,${HOSTILE}=30`]
    const r = receval([...args, '--html', file])
    assert.equal(r.code, 0, r.stderr)
    live = join(dir, 'ab-live.html')
    const l = receval([...args, '--html', live, '--interactive'])
    assert.equal(l.code, 0, l.stderr)
    browser = await openBrowser({width: 1280, height: 900})
  })

  after(async () => {
    await browser?.close()
  })

  test('SRM banner, forest plot and lift by day are drawn; nothing is requested; the hostile arm is text', async () => {
    const p = await browser.open(file, {settle: 200})
    clean(p)
    const v = await p.page.evaluate(() => {
      const document = (globalThis as unknown as {document: El & {body: El}}).document
      const figs = [...document.querySelectorAll('figure.chart')]
      return {
        figures: figs.length,
        marks: figs.map((f) => f.querySelectorAll('svg g[class*="role-mark"] > path, svg g[class*="role-mark"] > line').length),
        text: document.body.innerText,
        images: document.querySelectorAll('img').length,
        warnings: document.querySelectorAll('.note.warn').length,
      }
    })
    assert.equal(v.figures, 3, 'forest plot + ctr and cpm by day')
    for (const [i, n] of v.marks.entries()) assert.ok(n > 0, `figure ${i + 1} has no marks`)
    assert.equal(v.images, 0)
    assert.ok(v.warnings >= 1, 'the SRM banner')
    assert.match(v.text, /Sample ratio mismatch/)
    assert.ok(v.text.includes(HOSTILE), 'the arm name is shown literally')
    assert.ok((await p.page.locator('svg text', {hasText: HOSTILE}).count()) >= 1, 'in a chart')
  })

  test('--interactive: every chart redrawn live by the inlined vega, offline; a lift shows its interval on hover', async () => {
    const p = await browser.open(live)
    await p.page.waitForFunction(() => (globalThis as unknown as {document: El}).document.querySelectorAll('figure.chart[data-live="ready"]').length === 3, undefined, {timeout: 20000})
    clean(p)
    const forest = p.page.locator('#fig-1 .svg')
    await forest.locator('g.mark-symbol.role-mark path').first().hover({force: true})
    await p.page.waitForFunction(() => ((globalThis as unknown as {document: {querySelector(s: string): {title: string} | null}}).document.querySelector('#fig-1 .svg')?.title ?? '') !== '', undefined, {timeout: 5000})
    // d3-format writes a real minus sign (U+2212)
    assert.match((await forest.getAttribute('title')) ?? '', /lift: [+−-]\d+\.\d\d%\n95% interval from: [+−-]\d+\.\d\d%\nto: [+−-]\d+\.\d\d%/)
    assert.ok((await p.page.locator('svg text', {hasText: HOSTILE}).count()) >= 1, 'the hostile arm is still text')
    assert.deepEqual(p.dialogs, [])
  })
})
