import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {TopLevelSpec} from 'vega-lite'
import {ROOT} from '../helpers/cli.js'
import {groupAucChart, prChart, reliabilityChart, rocChart, scoreDistributionChart} from '../../src/report/charts/classification.js'
import {niceCeil} from '../../src/report/charts/theme.js'
import {renderSvg} from '../../src/report/vega.js'
import {sampleResult} from './sample.js'

// Golden chart specs: each chart function's output for a fixed sample result is kept in
// test/report/golden/NAME.vl.json, so any change to a chart shows up as a diff in review.
// After an intended change: UPDATE_GOLDEN=1 node scripts/test.js report/charts, then read the diff.
const GOLDEN = join(ROOT, 'test', 'report', 'golden')

const r = sampleResult({rows: 40, group: true, ci: true, thresholds: [0.4, 0.6]})
const c = r.curves ?? {}
const names = Object.keys(r.scores)
const series = (kind: 'roc' | 'pr') => names.map((n) => ({name: n, area: kind === 'roc' ? r.scores[n].auc : r.scores[n].pr_auc, curve: c[n][kind], thresholds: r.scores[n].thresholds}))
const base = r.positives / (r.positives + r.negatives)
const rel = names.map((n) => ({name: n, bins: c[n].reliability as NonNullable<(typeof c)[string]['reliability']>}))
const g = r.scores.pctr

const specs: Record<string, TopLevelSpec> = {
  roc: rocChart(series('roc')),
  'roc-hover': rocChart(series('roc'), {hover: true}),
  pr: prChart(series('pr'), base),
  reliability: reliabilityChart(rel),
  'score-distribution': scoreDistributionChart('pctr', c.pctr.distribution),
  'group-auc': groupAucChart('pctr', c.pctr.group_auc as NonNullable<(typeof c)[string]['group_auc']>, g.gauc ?? null, g.gauc_unweighted ?? null),
}

for (const [name, spec] of Object.entries(specs)) {
  test(`${name} chart spec matches test/report/golden/${name}.vl.json`, () => {
    const file = join(GOLDEN, `${name}.vl.json`)
    const text = JSON.stringify(spec, null, 2) + '\n'
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text)
    assert.ok(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 node scripts/test.js report/charts and review it`)
    assert.equal(text, readFileSync(file, 'utf8'), `${name} spec changed; if intended, UPDATE_GOLDEN=1 and review the diff`)
  })

  test(`${name} chart renders to SVG with marks and without vega warnings`, async () => {
    const out = await renderSvg(spec, 'fig-t')
    assert.deepEqual(out.warnings, [])
    assert.match(out.svg, /^<svg [^>]*viewBox=/)
    assert.match(out.svg, /class="mark-(line|area|rect|symbol|rule)/)
  })
}

test('rocChart draws one line per score, in score order, with AUC in the legend', () => {
  const spec = specs.roc as unknown as {datasets: {curves: {s: string}[]}; layer: {data: {name?: string}; mark: {type: string}}[]}
  assert.ok(spec.layer.some((l) => l.mark.type === 'line' && l.data.name === 'curves'))
  const labels = [...new Set(spec.datasets.curves.map((v) => v.s))]
  assert.deepEqual(labels, names.map((n) => `${n} (AUC ${r.scores[n].auc.toFixed(4)})`))
})

test('chart data is inline: no spec has a data URL', () => {
  for (const spec of Object.values(specs)) assert.doesNotMatch(JSON.stringify(spec), /"url"\s*:/)
})

test('renderSvg refuses a spec that loads data from a URL', async () => {
  await assert.rejects(renderSvg({data: {url: 'https://example.com/x.csv'}, mark: 'point'} as TopLevelSpec, 'f'), /loads data from a URL/)
})

test('renderSvg prefixes SVG ids so two charts in one page cannot share a clip path', async () => {
  const spec = {data: {values: [{x: 1, y: 2}]}, mark: {type: 'point', clip: true}, encoding: {x: {field: 'x', type: 'quantitative'}, y: {field: 'y', type: 'quantitative'}}} as TopLevelSpec
  const {svg} = await renderSvg(spec, 'fig-9')
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])
  assert.ok(ids.length > 0, 'the clipped mark has a clip path')
  for (const id of ids) assert.ok(id.startsWith('fig-9-'), id)
  for (const m of svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(m[1].startsWith('fig-9-'), m[1])
})

test('niceCeil rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
  assert.equal(niceCeil(0.31), 0.5)
  assert.equal(niceCeil(0.12), 0.2)
  assert.equal(niceCeil(0.021), 0.025)
  assert.equal(niceCeil(0.5), 0.5)
  assert.equal(niceCeil(3, 1), 1)
})
