import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {trendChart} from '../../src/report/charts/trends.js'
import {renderSvg} from '../../src/report/vega.js'

// Golden spec of the weekly report's trend chart (see charts.test.ts for the convention).
const GOLDEN = join(ROOT, 'test', 'report', 'golden')
const p = (d: number, v: number, ci?: [number, number]) => ({run_id: d, created_at: new Date(Date.UTC(2024, 4, d, 2)).toISOString(), value: v, ...(ci ? {ci} : {})})
const window = {previousSince: '2024-05-01T00:00:00.000Z', since: '2024-05-08T00:00:00.000Z', until: '2024-05-15T00:00:00.000Z'}
const series = [
  {name: 'auc branch=main', color: '#009E73', previous: [p(2, 0.75, [0.749, 0.751]), p(5, 0.752, [0.751, 0.753])], points: [p(9, 0.74, [0.739, 0.741]), p(12, 0.741, [0.74, 0.742])]},
  {name: 'auc branch=exp', previous: [], points: [p(10, 0.76), p(13, 0.762)]},
]

for (const [name, spec] of Object.entries({trend: trendChart('scores.pctr.auc', series, window), 'trend-hover': trendChart('scores.pctr.auc', series, window, {hover: true})})) {
  test(`${name} chart spec matches test/report/golden/${name}.vl.json`, () => {
    const file = join(GOLDEN, `${name}.vl.json`)
    const text = JSON.stringify(spec, null, 2) + '\n'
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text)
    assert.ok(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 node scripts/test.js report/trends and review it`)
    assert.equal(text, readFileSync(file, 'utf8'))
  })

  test(`${name} chart renders to SVG with lines, points and interval bars, without vega warnings`, async () => {
    const out = await renderSvg(spec, 'fig-t')
    assert.deepEqual(out.warnings, [])
    for (const mark of ['line', 'symbol', 'rule', 'rect']) assert.match(out.svg, new RegExp(`class="mark-${mark}`), mark)
  })
}

test('trendChart: time on a UTC scale over both windows, colours as given, the rest from the palette', () => {
  const spec = trendChart('m', series, window) as unknown as {layer: {mark: {type: string}; encoding: {x: {scale?: {type: string; domain: number[]}}; color?: {scale: {domain: string[]; range: string[]}}}}[]}
  const line = spec.layer.find((l) => l.mark.type === 'line')
  assert.ok(line)
  assert.deepEqual(line.encoding.x.scale, {type: 'utc', domain: [Date.parse(window.previousSince), Date.parse(window.until)], nice: false})
  // exp has no colour of its own: the palette's second (it is the second series)
  assert.deepEqual(line.encoding.color?.scale, {domain: ['auc branch=main', 'auc branch=exp'], range: ['#009E73', '#D55E00']})
})
