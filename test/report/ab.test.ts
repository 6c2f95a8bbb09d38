import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {TopLevelSpec} from 'vega-lite'
import {ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {runAb} from '../../src/ab/run.js'
import {ColumnRequest, readTable} from '../../src/io/index.js'
import {dailyLiftChart, liftForestChart} from '../../src/report/charts/ab.js'
import {renderReport} from '../../src/report/page.js'
import {abReport} from '../../src/report/sections/ab.js'
import {renderSvg} from '../../src/report/vega.js'
import {SAMPLE_META} from './sample.js'

// Golden specs of the ab charts (see charts.test.ts): after an intended change,
// UPDATE_GOLDEN=1 node scripts/test.js report/ab.test, then read the diff.
const GOLDEN = join(ROOT, 'test', 'report', 'golden')

const FOREST = [
  {label: 'ctr · blue', lift: -0.0857, lo: -0.277, hi: 0.1055, significant: false},
  {label: 'ctr · green', lift: 0.22, lo: 0.012, hi: 0.4596, significant: true},
  {label: 'cpm · green', lift: 0.201, lo: -0.0737, hi: 0.4757, significant: false},
]
const DAYS = ['2024-05-01', '2024-05-02', '2024-05-03']
const POINTS = [
  {arm: 'blue', day: '2024-05-01', lift: -0.03, lo: -0.49, hi: 0.43},
  {arm: 'blue', day: '2024-05-02', lift: 0.04, lo: -0.33, hi: 0.41},
  {arm: 'blue', day: '2024-05-03', lift: -0.01, lo: -0.3, hi: 0.27},
  {arm: 'green', day: '2024-05-01', lift: 0.39, lo: null, hi: null},
  {arm: 'green', day: '2024-05-02', lift: 0.33, lo: -0.09, hi: 0.74},
  {arm: 'green', day: '2024-05-03', lift: 0.24, lo: -0.09, hi: 0.56},
]
const specs: Record<string, TopLevelSpec> = {
  'ab-forest': liftForestChart(FOREST, '95%'),
  'ab-daily': dailyLiftChart('ctr', DAYS, POINTS, 'cumulative'),
  // the --interactive variants: the same with tooltips
  'ab-forest-hover': liftForestChart(FOREST, '95%', {hover: true}),
  'ab-daily-hover': dailyLiftChart('ctr', DAYS, POINTS, 'cumulative', {hover: true}),
}

for (const [name, spec] of Object.entries(specs)) {
  test(`${name} chart spec matches test/report/golden/${name}.vl.json`, () => {
    const file = join(GOLDEN, `${name}.vl.json`)
    const text = JSON.stringify(spec, null, 2) + '\n'
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text)
    assert.ok(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 node scripts/test.js report/ab.test and review it`)
    assert.equal(text, readFileSync(file, 'utf8'), `${name} spec changed; if intended, UPDATE_GOLDEN=1 and review the diff`)
  })

  test(`${name} chart renders to SVG with marks and without vega warnings`, async () => {
    const out = await renderSvg(spec, 'fig-ab')
    assert.deepEqual(out.warnings, [])
    assert.match(out.svg, /^<svg [^>]*viewBox=/)
    assert.match(out.svg, /class="mark-(line|area|rule|symbol)/)
  })
}

test('liftForestChart keeps the result order and colours significance', () => {
  const spec = specs['ab-forest'] as unknown as {data: {values: {label: string; sig: string}[]}}
  assert.deepEqual(
    spec.data.values.map((v) => v.label),
    ['ctr · blue', 'ctr · green', 'cpm · green'],
  )
  assert.deepEqual(
    spec.data.values.map((v) => v.sig),
    ['not significant', 'significant', 'not significant'],
  )
})

test('the ab report has its sections, tables and figures, and escapes a hostile arm name', async () => {
  const dir = tempDir()
  const hostile = '<img src=x onerror=alert(1)>'
  const text = readFileSync(join(ROOT, 'fixtures/ab/user-days.csv'), 'utf8').replaceAll(',green,', `,"${hostile}",`)
  const file = writeFile(dir, 'days.csv', text)
  const read = (p: string, r: ColumnRequest[]) => readTable(p, r, {progress: false})
  const flags = {metric: ['ctr=clicks/impressions', 'cpm=1000*cost/impressions'], unit: 'user_id', day: 'day', alpha: 0.05, method: 'welch' as const, covariate: [], cap: [], sequential: false, tuning: 5000, power: 0.8}
  const ok = await runAb({...flags, file}, read)
  const page = (await renderReport(abReport(ok, SAMPLE_META))).html
  for (const id of ['srm', 'results', 'lifts', 'days']) assert.match(page, new RegExp(`<section[^>]* id="${id}"`), id)
  assert.equal((page.match(/<figure class="chart/g) ?? []).length, 3, 'forest plot + ctr and cpm by day')
  assert.doesNotMatch(page, /class="block note warn"/, 'no SRM banner when the split is fine')
  assert.ok(!page.includes(hostile), 'the raw tag never appears')
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'))
  const bad = await runAb({...flags, file, expectedSplit: `control=60,blue=20,${hostile}=20`}, read)
  const banner = (await renderReport(abReport(bad, SAMPLE_META))).html
  assert.match(banner, /class="block note warn">Sample ratio mismatch/)
  assert.match(banner, /SAMPLE RATIO MISMATCH/)
})
