import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {TopLevelSpec} from 'vega-lite'
import {ROOT} from '../helpers/cli.js'
import {dailyLiftChart, liftForestChart} from '../../src/report/charts/ab.js'
import {renderSvg} from '../../src/report/vega.js'

// Golden specs of the ab charts (see charts.test.ts): after an intended change,
// UPDATE_GOLDEN=1 node scripts/test.js report/ab-charts, then read the diff.
const GOLDEN = join(ROOT, 'test', 'report', 'golden')

const specs: Record<string, TopLevelSpec> = {
  'ab-forest': liftForestChart(
    [
      {label: 'ctr · blue', lift: -0.0857, lo: -0.277, hi: 0.1055, significant: false},
      {label: 'ctr · green', lift: 0.22, lo: 0.012, hi: 0.4596, significant: true},
      {label: 'cpm · green', lift: 0.201, lo: -0.0737, hi: 0.4757, significant: false},
    ],
    '95%',
  ),
  'ab-daily': dailyLiftChart(
    'ctr',
    ['2024-05-01', '2024-05-02', '2024-05-03'],
    [
      {arm: 'blue', day: '2024-05-01', lift: -0.03, lo: -0.49, hi: 0.43},
      {arm: 'blue', day: '2024-05-02', lift: 0.04, lo: -0.33, hi: 0.41},
      {arm: 'blue', day: '2024-05-03', lift: -0.01, lo: -0.3, hi: 0.27},
      {arm: 'green', day: '2024-05-01', lift: 0.39, lo: null, hi: null},
      {arm: 'green', day: '2024-05-02', lift: 0.33, lo: -0.09, hi: 0.74},
      {arm: 'green', day: '2024-05-03', lift: 0.24, lo: -0.09, hi: 0.56},
    ],
    'cumulative',
  ),
}

for (const [name, spec] of Object.entries(specs)) {
  test(`${name} chart spec matches test/report/golden/${name}.vl.json`, () => {
    const file = join(GOLDEN, `${name}.vl.json`)
    const text = JSON.stringify(spec, null, 2) + '\n'
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text)
    assert.ok(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 node scripts/test.js report/ab-charts and review it`)
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
