import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {TopLevelSpec} from 'vega-lite'
import {ROOT} from '../helpers/cli.js'
import {comparisonChart, costVsClickChart, recallOverKChart, segmentChart} from '../../src/report/charts/recall.js'
import {renderReport} from '../../src/report/page.js'
import {recallReport, recallSeries} from '../../src/report/sections/recall.js'
import {renderSvg} from '../../src/report/vega.js'
import {SAMPLE_META} from './sample.js'
import {recallSample} from './recall-sample.js'

// Golden chart specs of recall reports (test/report/golden/recall-*.vl.json; after an intended
// change: UPDATE_GOLDEN=1 node scripts/test.js report/recall, then review the diff) and the page
// structure built from a recall result.
const GOLDEN = join(ROOT, 'test', 'report', 'golden')
const META = {...SAMPLE_META, command: 'recall', argv: ['receval', 'recall', '--retrieved', 'two-tower.csv', '--truth', 'clicks.csv', '--html', 'out.html']}

const full = recallSample({segments: true, bootstrap: true})
const series = recallSeries(full)
const specs: Record<string, TopLevelSpec> = {
  'recall-over-k': recallOverKChart(series),
  'recall-over-k-hover': recallOverKChart(series, {hover: true}),
  'recall-cost-vs-click': costVsClickChart(series),
  'recall-segments': segmentChart(series[0].name, series[0].segments ?? {}),
  'recall-comparison': comparisonChart((full.comparisons ?? [])[0]),
}

for (const [name, spec] of Object.entries(specs)) {
  test(`${name} chart spec matches test/report/golden/${name}.vl.json`, () => {
    const file = join(GOLDEN, `${name}.vl.json`)
    const text = JSON.stringify(spec, null, 2) + '\n'
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text)
    assert.ok(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 node scripts/test.js report/recall and review it`)
    assert.equal(text, readFileSync(file, 'utf8'), `${name} spec changed; if intended, UPDATE_GOLDEN=1 and review the diff`)
  })

  test(`${name} chart renders to SVG with marks and without vega warnings`, async () => {
    const out = await renderSvg(spec, 'fig-t')
    assert.deepEqual(out.warnings, [])
    assert.match(out.svg, /^<svg [^>]*viewBox=/)
    assert.match(out.svg, /class="mark-(line|rect|symbol|rule)/)
    assert.doesNotMatch(JSON.stringify(spec), /"url"\s*:/)
  })
}

test('recallOverKChart draws every value of the result: click and cost recall per retriever and K', () => {
  const spec = specs['recall-over-k'] as unknown as {layer: {data: {values: {s: string; m: string; k: number; y: number}[]}}[]}
  const rows = spec.layer[0].data.values
  assert.equal(rows.length, 2 * 2 * 3) // retrievers x metrics x K
  const a = rows.find((r) => r.s === 'two-tower' && r.m === 'click recall' && r.k === 5)
  assert.equal(a?.y, Math.round(full.at['5'].click_recall * 1e6) / 1e6)
})

test('a recall report has its sections in order, one figure per chart, and the result embedded', async () => {
  const {html, warnings} = await renderReport(recallReport(full, META))
  assert.deepEqual(warnings, [])
  const ids = [...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1])
  assert.deepEqual(ids, ['recall', 'recall-curves', 'comparison', 'segments'])
  for (const id of ids) assert.match(html, new RegExp(`<li><a href="#${id}">`))
  // recall over K, cost vs click, the comparison, segment bars of both retrievers
  assert.equal((html.match(/<figure class="chart"/g) ?? []).length, 5)
  assert.match(html, /<title>Recall report: two-tower vs item-cf<\/title>/)
  assert.match(html, /<dt>Keys evaluated<\/dt><dd>40/)
  assert.match(html, /<dt>Bootstrap<\/dt><dd>200 replicates over keys, seed 3, 95% percentile intervals<\/dd>/)
  assert.match(html, /item-cf against two-tower, paired over keys/)
  const data = html.match(/<script type="application\/json" id="receval-result">([\s\S]*?)<\/script>/)
  assert.ok(data)
  assert.deepEqual(JSON.parse(data[1]), JSON.parse(JSON.stringify(full)))
})

test('a one-retriever report without bids has no comparison, no cost chart, and says why cost_recall is null', async () => {
  const r = recallSample({retrievers: 1, bids: false})
  const {html, warnings} = await renderReport(recallReport(r, META))
  assert.deepEqual(warnings, [])
  const ids = [...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1])
  assert.deepEqual(ids, ['recall', 'recall-curves', 'notes'])
  assert.equal((html.match(/<figure class="chart"/g) ?? []).length, 1)
  assert.match(html, /cost_recall is null: the truth has no bid column/)
  assert.match(html, /<dt>Bid column<\/dt><dd><span class="na"[^>]*>—<\/span> <span class="help">none: cost_recall is null<\/span>/)
})

test('retriever and segment names are escaped text in a recall report', async () => {
  const HOSTILE = '<img src=x onerror=alert(1)>'
  const r = recallSample({segments: true, names: [HOSTILE, 'b</script>'], segmentNames: [HOSTILE, 'ok']})
  const {html} = await renderReport(recallReport(r, META))
  const markup = html.replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<script type="application\/json"[^>]*>[\s\S]*?<\/script>/g, '')
  assert.doesNotMatch(markup, /<img src=x/)
  assert.match(markup, /&lt;img src=x onerror=alert\(1\)&gt;/)
  assert.doesNotMatch(html, /b<\/script>/)
})
