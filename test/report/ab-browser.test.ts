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

  before(async () => {
    const dir = tempDir()
    const {readFileSync} = await import('node:fs')
    const text = readFileSync('fixtures/ab/user-days.csv', 'utf8').replaceAll(',green,', `,"${HOSTILE}",`)
    const input = writeFile(dir, 'hostile.csv', text)
    file = join(dir, 'ab.html')
    const r = receval(['ab', input, '--unit', 'user_id', '--day', 'day', '--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions', '--expected-split', `control=40,blue=30,${HOSTILE}=30`, '--html', file])
    assert.equal(r.code, 0, r.stderr)
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
})
