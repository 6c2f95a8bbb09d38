import {test} from 'node:test'
import assert from 'node:assert/strict'
import {renderReport, shellQuote} from '../../src/report/page.js'
import {inProcessRenderer, startChartWorkers} from '../../src/report/renderer.js'
import {aucReport} from '../../src/report/sections/auc.js'
import {formatCount, formatNumber, formatP} from '../../src/report/format.js'
import type {Report} from '../../src/report/types.js'
import {SAMPLE_META, sampleResult} from './sample.js'

const HOSTILE = '<img src=x onerror=alert(1)>'
const SCRIPT = '</script><script>alert(2)</script>'

/** The markup outside <svg> elements and JSON data blocks (where every user string must be escaped text). */
function markupOnly(page: string): string {
  return page.replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<script type="application\/json"[^>]*>[\s\S]*?<\/script>/g, '')
}

function minimal(over: Partial<Report> = {}): Report {
  return {title: 'T', meta: SAMPLE_META, facts: [], sections: [], notes: [], ...over}
}

test('an auc report has the common frame: title, inputs, facts, time, version and the command line', async () => {
  const {html} = await renderReport(aucReport(sampleResult({ci: true}), SAMPLE_META))
  assert.match(html, /^<!doctype html>\n<html lang="en">/)
  assert.match(html, /<title>AUC report: sample\.csv<\/title>/)
  assert.match(html, /<h1>AUC report: sample\.csv<\/h1>/)
  assert.match(html, /<span class="path">sample\.csv<\/span> <span class="about">csv · 1\.2 KB · modified 2024-05-01 00:00:00 UTC<\/span>/)
  assert.match(html, /<dt>Rows<\/dt><dd>60<\/dd>/)
  assert.match(html, /<dt>Positives<\/dt><dd>\d+<\/dd>/)
  assert.match(html, /<dt>Score columns<\/dt><dd>pctr, pctr_v2<\/dd>/)
  assert.match(html, /<dt>Created<\/dt><dd>2024-05-02 03:04:05 UTC<\/dd>/)
  assert.match(html, /<dt>receval version<\/dt><dd>0\.0\.0-test<\/dd>/)
  assert.match(html, /<dt>Directory<\/dt><dd>\/data<\/dd>/)
  assert.match(html, /<pre class="command"><code><span class="arg">receval<\/span> <span class="arg">auc<\/span> <span class="arg">sample\.csv<\/span>/)
  assert.match(html, /<meta name="generator" content="receval 0\.0\.0-test">/)
})

test('an auc report has its sections in order, linked from the contents, with one figure per chart', async () => {
  const {html, warnings} = await renderReport(aucReport(sampleResult({group: true, ci: true, thresholds: [0.5]}), SAMPLE_META))
  assert.deepEqual(warnings, [])
  const ids = [...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1])
  assert.deepEqual(ids, ['metrics', 'curves', 'calibration', 'distributions', 'groups', 'thresholds'])
  for (const id of ids) assert.match(html, new RegExp(`<li><a href="#${id}">`))
  const figs = [...html.matchAll(/<figure class="chart" id="(fig-\d+)"/g)].map((m) => m[1])
  // ROC, PR, reliability, 2 score distributions, 2 per-group AUC distributions
  assert.deepEqual(figs, ['fig-1', 'fig-2', 'fig-3', 'fig-4', 'fig-5', 'fig-6', 'fig-7'])
  assert.equal((html.match(/<svg /g) ?? []).length, 7)
  assert.match(html, /Paired DeLong tests against pctr/)
  assert.match(html, /<caption>Calibration bins<\/caption>/)
})

test('a report without --group, --ci or --thresholds has no sections for them', async () => {
  const {html} = await renderReport(aucReport(sampleResult(), SAMPLE_META))
  const ids = [...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1])
  assert.deepEqual(ids, ['metrics', 'curves', 'calibration', 'distributions'])
  assert.doesNotMatch(html, /Paired DeLong/)
})

test('the static page has no script but the JSON data, and a CSP that forbids scripts and every fetch', async () => {
  const {html} = await renderReport(aucReport(sampleResult(), SAMPLE_META))
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1])
  assert.deepEqual(scripts, [' type="application/json" id="receval-result"'])
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;">/)
  assert.doesNotMatch(markupOnly(html), /(src|href)="(https?:)?\/\//)
})

test('the embedded result is the --json result without the curve points', async () => {
  const r = sampleResult({ci: true})
  const {html} = await renderReport(aucReport(r, SAMPLE_META))
  const m = /<script type="application\/json" id="receval-result">([\s\S]*?)<\/script>/.exec(html)
  assert.ok(m)
  const data = JSON.parse(m[1])
  const expected: Record<string, unknown> = JSON.parse(JSON.stringify(r))
  delete expected.curves
  assert.deepEqual(data, expected)
})

test('null metrics show as a dash that points to the notes, and the notes say why', async () => {
  const r = sampleResult({logit: true})
  assert.equal(r.scores.pctr_v2.logloss, null)
  const {html} = await renderReport(aucReport(r, SAMPLE_META))
  assert.match(html, /<td class="num"><span class="na" title="undefined: see Notes">—<\/span><\/td>/)
  assert.match(html, /<p class="footnote">— : undefined for this row; the Notes section says why\.<\/p>/)
  assert.match(html, /<section id="notes" aria-labelledby="notes-h">\n<h2 id="notes-h">Notes<\/h2>\n<ul><li>logloss, ne, brier and calibration are null/)
  assert.match(html, /No reliability diagram for pctr_v2: some scores lie outside \[0, 1\]/)
})

test('every user-supplied string is escaped: file, columns, command line, notes, tags', async () => {
  const r = sampleResult({scores: [HOSTILE, SCRIPT], file: `${HOSTILE}.csv`, ci: true, thresholds: [0.5]})
  r.notes.push(`note with ${HOSTILE}`)
  const meta = {...SAMPLE_META, argv: ['receval', 'auc', `${HOSTILE}.csv`, '--score', HOSTILE], cwd: `/tmp/${SCRIPT}`, inputs: [{path: `${HOSTILE}.csv`}], tags: {[HOSTILE]: SCRIPT}}
  const {html, warnings} = await renderReport(aucReport(r, meta))
  assert.deepEqual(warnings, [])
  const markup = markupOnly(html)
  assert.doesNotMatch(markup, /<img/i)
  assert.doesNotMatch(markup, /<script>alert/i)
  assert.match(markup, /&lt;img src=x onerror=alert\(1\)&gt;/)
  assert.match(markup, /<pre class="command"><code><span class="arg">receval<\/span> <span class="arg">auc<\/span> <span class="arg">&#39;&lt;img src=x onerror=alert\(1\)&gt;.csv&#39;<\/span>/)
  // inside the SVG charts vega escapes text itself; no raw tag of the name survives there either
  for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g) ?? []) {
    assert.doesNotMatch(svg, /<img|<script|<\/svg>./i)
  }
  // the JSON data cannot close its element
  const data = /<script type="application\/json" id="receval-result">([\s\S]*?)<\/script>/.exec(html)
  assert.ok(data)
  assert.deepEqual(Object.keys(JSON.parse(data[1]).scores), [HOSTILE, SCRIPT])
})

test('section ids must be unique, well formed and not reserved', async () => {
  const s = (id: string) => ({id, title: 'x', blocks: []})
  await assert.rejects(renderReport(minimal({sections: [s('a'), s('a')]})), /used twice/)
  await assert.rejects(renderReport(minimal({sections: [s('A b')]})), /lowercase letters/)
  await assert.rejects(renderReport(minimal({sections: [s('notes')]})), /reserved/)
  await assert.rejects(renderReport(minimal({sections: [s('fig-1')]})), /reserved/)
})

test('a custom section with a table, facts, a note and a chart renders through the Section API', async () => {
  const {html} = await renderReport(
    minimal({
      sections: [
        {
          id: 'recall',
          title: 'Recall at K',
          intro: 'intro text',
          blocks: [
            {kind: 'facts', facts: [{label: 'keys', value: 900}]},
            {kind: 'table', caption: 'cap', columns: [{title: 'K', format: 'count'}, {title: 'recall'}, {title: 'lift', format: 'percent'}, {title: 'ci', format: 'interval'}, {title: 'p', format: 'p'}], rows: [[50, 0.123456, 0.0512, [0.1, 0.2], 0.00001], [100, {value: 0.2, tone: 'good', title: 'better'}, null, [null, null], 0.5]]},
            {kind: 'note', text: 'careful', tone: 'warn'},
            {kind: 'chart', title: 'c', spec: {data: {values: [{k: 50, r: 0.1}, {k: 100, r: 0.2}]}, mark: 'line', encoding: {x: {field: 'k', type: 'quantitative'}, y: {field: 'r', type: 'quantitative'}}}},
          ],
        },
      ],
    }),
  )
  assert.match(html, /<section id="recall" aria-labelledby="recall-h">\n<h2 id="recall-h">Recall at K<\/h2>\n<p class="intro">intro text<\/p>/)
  assert.match(html, /<dt>keys<\/dt><dd>900<\/dd>/)
  assert.match(html, /<tr><td class="num">50<\/td><td class="num" title="0.123456">0.1235<\/td><td class="num" title="0.0512">5.12%<\/td><td class="num" title="\[0.1, 0.2\]">\[0.1000, 0.2000\]<\/td><td class="num" title="0.00001">1.0e-5<\/td><\/tr>/)
  assert.match(html, /<td class="num tone-good" title="better">0.2000<\/td>/)
  assert.match(html, /<p class="block note warn">careful<\/p>/)
  assert.match(html, /<div class="block charts"><figure class="chart" id="fig-1">\n<h3>c<\/h3>/)
  // one section only: no contents list
  assert.doesNotMatch(html, /<nav class="toc"/)
})

test('the interactive page inlines vega and the chart specs, allowing only those scripts by hash', async () => {
  const {html} = await renderReport(aucReport(sampleResult(), SAMPLE_META, {interactive: true}), {interactive: true})
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? ''
  assert.match(csp, /script-src &#39;unsafe-eval&#39; &#39;sha256-[A-Za-z0-9+/=]+&#39; &#39;sha256-[A-Za-z0-9+/=]+&#39;;/)
  assert.equal((html.match(/<script type="application\/json" class="vega-spec">/g) ?? []).length, 5)
  assert.match(html, /<figure class="chart" id="fig-1" data-live="pending">/)
  assert.ok(html.length > 500_000 && html.length < 2_000_000, `size ${html.length}`)
})

test('chart workers and in-process rendering give the same page', async () => {
  const report = aucReport(sampleResult({group: true}), SAMPLE_META)
  const workers = startChartWorkers(2)
  try {
    const a = await renderReport(report, {renderer: inProcessRenderer()})
    const b = await renderReport(report, {renderer: workers})
    assert.equal(b.html, a.html)
  } finally {
    await workers.close()
  }
})

test('shellQuote quotes only what a shell would split or expand', () => {
  assert.equal(shellQuote('--score'), '--score')
  assert.equal(shellQuote('a,b=c/d.csv'), 'a,b=c/d.csv')
  assert.equal(shellQuote('two words'), "'two words'")
  assert.equal(shellQuote("it's"), "'it'\\''s'")
  assert.equal(shellQuote(''), "''")
  assert.equal(shellQuote('$HOME'), "'$HOME'")
})

test('report number formats: counts grouped, metrics with 4 decimals, tiny values and p-values in e-notation', () => {
  assert.equal(formatCount(1234567), '1,234,567')
  assert.equal(formatCount(1234.5), '1,234.50')
  assert.equal(formatCount(-1000), '-1,000')
  assert.equal(formatNumber(0.734512), '0.7345')
  assert.equal(formatNumber(1), '1.0000')
  assert.equal(formatNumber(-0.5), '-0.5000')
  assert.equal(formatNumber(0.00001234), '1.23e-5')
  assert.equal(formatNumber(0), '0.0000')
  assert.equal(formatP(0.0482), '0.0482')
  assert.equal(formatP(3e-9), '3.0e-9')
})
