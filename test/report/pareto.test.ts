import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {TopLevelSpec} from 'vega-lite'
import {csvOf, receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {openBrowser} from '../helpers/browser.js'
import {ColumnRequest, readTable} from '../../src/io/index.js'
import {plotSample} from '../../src/pareto/front.js'
import {parseObjective, parseTask} from '../../src/pareto/parse.js'
import type {ParetoSweepResult, ParetoTableResult} from '../../src/pareto/result.js'
import {sweepWeights} from '../../src/pareto/sweep.js'
import {chartPoints, paretoOfTable} from '../../src/pareto/table.js'
import {frontierChart, ParetoPlot, parallelCoordinates, scatterMatrix, staircase} from '../../src/report/charts/pareto.js'
import {renderReport} from '../../src/report/page.js'
import {paretoReport} from '../../src/report/sections/pareto.js'
import {renderSvg} from '../../src/report/vega.js'
import {SAMPLE_META} from './sample.js'

// Pareto report: chart specs against golden copies (UPDATE_GOLDEN=1 node scripts/test.js
// report/pareto to rewrite them after an intended change, then review the diff), page structure
// from real results of fixtures/multitask.csv and fixtures/pareto-runs.csv, escaping, and the
// command's --html in a real offline Chromium.
const GOLDEN = join(ROOT, 'test', 'report', 'golden')
const HOSTILE = '<img src=x onerror=alert(1)>'

async function sweepResult(tasks: string[], over: Record<string, unknown> = {}): Promise<ParetoSweepResult> {
  const req: ColumnRequest[] = ['pctr', 'pcvr', 'bid'].map((name) => ({role: name, name, kind: 'float'}) as ColumnRequest)
  req.push(...['click', 'conversion'].map((name) => ({role: name, name, kind: 'label'}) as ColumnRequest))
  const {table} = await readTable(join(ROOT, 'fixtures/multitask.csv'), req, {progress: false})
  const out = await sweepWeights(table, {file: 'fixtures/multitask.csv', tasks: tasks.map(parseTask), metric: {kind: 'auc'}, fusion: 'product', steps: 4, ...over})
  return {command: 'pareto', mode: 'sweep', file: 'fixtures/multitask.csv', rows: table.rows, dropped_rows: 0, ...out, notes: []}
}

async function tableResult(objectives: string[], opts: {ref?: number[]; baseline?: number} = {}): Promise<ParetoTableResult> {
  const obj = objectives.map(parseObjective)
  const {table} = await readTable(join(ROOT, 'fixtures/pareto-runs.csv'), obj.map((o) => ({role: 'objective', name: o.column, kind: 'float'})), {progress: false})
  const {result, values} = paretoOfTable(table, obj, opts)
  result.chart_points = chartPoints(values, obj.length, result.frontier, opts.baseline)
  return {command: 'pareto', mode: 'table', file: 'fixtures/pareto-runs.csv', dropped_rows: 0, ...result, notes: []}
}

const PLOT2: ParetoPlot = {
  axes: [{title: 'ctr auc', sense: 'max'}, {title: 'latency', sense: 'min'}],
  points: [
    {name: '#0', tag: '1 : 0', values: [0.9, 30], frontier: true, knee: false},
    {name: '#1', tag: '0.5 : 0.5', values: [0.8, 20], frontier: true, knee: true},
    {name: '#2', tag: '', values: [0.7, 25], frontier: false, knee: false},
    {name: '#3', tag: '0 : 1', values: [0.6, 10], frontier: true, knee: false},
  ],
  baseline: {name: 'baseline', values: [0.75, 22]},
}
const PLOT3: ParetoPlot = {
  axes: [{title: 'a', sense: 'max'}, {title: 'b', sense: 'max'}, {title: 'c', sense: 'min'}],
  points: [
    {name: 'row 0', tag: '', values: [1, 0, 3], frontier: true, knee: false},
    {name: 'row 1', tag: '', values: [0, 1, 2], frontier: true, knee: true},
    {name: 'row 2', tag: '', values: [0, 0, 4], frontier: false, knee: false},
  ],
}
const specs: Record<string, TopLevelSpec> = {
  'pareto-frontier': frontierChart(PLOT2),
  'pareto-frontier-hover': frontierChart(PLOT2, {hover: true}),
  'pareto-scatter-matrix': scatterMatrix(PLOT3),
  'pareto-parallel': parallelCoordinates(PLOT3),
}

for (const [name, spec] of Object.entries(specs)) {
  test(`${name} chart spec matches test/report/golden/${name}.vl.json`, () => {
    const file = join(GOLDEN, `${name}.vl.json`)
    const text = JSON.stringify(spec, null, 2) + '\n'
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text)
    assert.ok(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 node scripts/test.js report/pareto and review it`)
    assert.equal(text, readFileSync(file, 'utf8'), `${name} spec changed; if intended, UPDATE_GOLDEN=1 and review the diff`)
  })

  test(`${name} chart renders to SVG with marks and without vega warnings`, async () => {
    const out = await renderSvg(spec, 'fig-t')
    assert.deepEqual(out.warnings, [])
    assert.match(out.svg, /class="mark-(line|symbol|text)/)
  })
}

test('staircase doc example: the boundary of a max/max frontier', () => {
  assert.deepEqual(staircase([[1, 3], [2, 2], [3, 1]], ['max', 'max']), [[1, 3], [1, 2], [2, 2], [2, 1], [3, 1]])
})

test('staircase follows the senses, with duplicates drawn once', () => {
  // max x, min y: each point dominates the region up and to its left; the corner is (1, 2)
  assert.deepEqual(staircase([[2, 2], [1, 1], [2, 2]], ['max', 'min']), [[1, 1], [1, 2], [2, 2]])
  // min/min: the region up and to the right; the corner between (1, 2) and (2, 1) is (2, 2)
  assert.deepEqual(staircase([[1, 2], [2, 1]], ['min', 'min']), [[2, 1], [2, 2], [1, 2]])
})

test('frontierChart draws the frontier, dominated points and baseline as three layers and tags the tagged points', () => {
  const spec = specs['pareto-frontier'] as unknown as {layer: {data?: {values: Record<string, unknown>[]}; mark: {type: string}}[]}
  const kinds = spec.layer.filter((l) => l.mark.type === 'point' && l.data?.values[0]?.k !== undefined).map((l) => l.data?.values[0].k)
  assert.deepEqual(kinds, ['dominated', 'frontier', 'baseline'])
  const text = spec.layer.find((l) => l.mark.type === 'text')
  assert.deepEqual(text?.data?.values.map((v) => v.t), ['1 : 0', '0.5 : 0.5', '0 : 1'])
  assert.doesNotMatch(JSON.stringify(specs), /"url"\s*:/)
})

test('plotSample doc example, and every frontier point is kept when they fit', () => {
  assert.deepEqual(plotSample(10, [2, 5], 4), [0, 2, 5, 6])
  assert.deepEqual(plotSample(3, [1], 4), [0, 1, 2])
  const s = plotSample(10000, [5, 50, 500], 100)
  assert.equal(s.length, 100)
  for (const f of [5, 50, 500]) assert.ok(s.includes(f))
})

test('a sweep report has the frontier chart, the grid table and the baseline, with weight labels', async () => {
  const r = await sweepResult(['ctr=pctr:click', 'cvr=pcvr:conversion@click'], {baseline: [0.3, 0.7]})
  const {html, warnings} = await renderReport(paretoReport(r, SAMPLE_META))
  assert.deepEqual(warnings, [])
  assert.deepEqual([...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1]), ['frontier', 'grid', 'baseline'])
  assert.match(html, /<title>Pareto report: fixtures\/multitask\.csv<\/title>/)
  assert.equal((html.match(/<svg /g) ?? []).length, 1)
  assert.match(html, /Labels: the weights ctr : cvr/)
  assert.match(html, /<text[^>]*>0\.75 : 0\.25<\/text>/)
  assert.match(html, /off the grid/)
  // every grid point is a table row
  assert.equal((html.match(/<tr>/g) ?? []).length - (html.match(/<thead>/g) ?? []).length, r.grid.length)
})

test('a 3-task sweep report draws a scatter matrix and parallel coordinates', async () => {
  const r = await sweepResult(['ctr=pctr:click', 'cvr=pcvr:conversion@click', 'b=bid:click'], {fusion: 'sum'})
  const {html, warnings} = await renderReport(paretoReport(r, SAMPLE_META))
  assert.deepEqual(warnings, [])
  assert.equal((html.match(/<svg /g) ?? []).length, 2)
  assert.match(html, /Every pair of objectives/)
  assert.match(html, /Parallel coordinates/)
})

test('a table report has the frontier chart, the frontier rows and the baseline; the page data omits chart_points', async () => {
  const r = await tableResult(['auc:max', 'latency_ms:min'], {ref: [0.5, 100], baseline: 0})
  const {html, warnings} = await renderReport(paretoReport(r, SAMPLE_META))
  assert.deepEqual(warnings, [])
  assert.deepEqual([...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1]), ['frontier', 'frontier-rows', 'baseline'])
  assert.match(html, /<dt>Hypervolume<\/dt>/)
  const data = JSON.parse((/<script type="application\/json" id="receval-result">([\s\S]*?)<\/script>/.exec(html) as RegExpExecArray)[1])
  assert.equal(data.chart_points, undefined)
  assert.deepEqual(data.frontier, r.frontier)
})

test('a pareto report escapes a hostile objective name', async () => {
  const r = await tableResult(['auc:max', 'latency_ms:min'])
  r.objectives[0].column = HOSTILE
  r.file = HOSTILE
  const {html} = await renderReport(paretoReport(r, SAMPLE_META))
  const markup = html.replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<script type="application\/json"[^>]*>[\s\S]*?<\/script>/g, '')
  assert.doesNotMatch(markup, /<img/)
  assert.match(markup, /&lt;img src=x onerror=alert\(1\)&gt;/)
})

const dir = tempDir('receval-pareto-html-')

test('receval pareto --html writes the report, says so on stderr, and adds chart_points to the table-mode JSON', () => {
  const out = join(dir, 'runs.html')
  const r = receval(['pareto', 'fixtures/pareto-runs.csv', '--objective', 'auc:max', '--objective', 'latency_ms:min', '--baseline', '0', '--html', out, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stderr, new RegExp(`wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ bytes\\)`))
  const j = r.json as {chart_points: {rows: number[]; values: number[][]; total: number}}
  assert.equal(j.chart_points.total, 30)
  assert.equal(j.chart_points.rows.length, 30)
  assert.deepEqual(j.chart_points.values[0], [0.7257, 23.9])
  assert.match(readFileSync(out, 'utf8'), /<h1>Pareto report: fixtures\/pareto-runs\.csv<\/h1>/)
})

test('receval pareto --html into a missing folder is a usage error before reading', () => {
  const r = receval(['pareto', 'no-such-input.csv', '--objective', 'a:max', '--html', join(dir, 'nope', 'x.html')])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /--html/)
  assert.doesNotMatch(r.stderr, /no-such-input/)
})

test('pareto reports open offline in Chromium with every chart drawn and no error (sweep, 3-D table, interactive)', async () => {
  const hostile = writeFile(dir, 'hostile.csv', csvOf({[HOSTILE]: [1, 2, 3, 0.5], b: [3, 2, 1, 0.5], c: [1, 1, 2, 0]}))
  const pages = [
    {args: ['fixtures/multitask.csv', '--task', 'ctr=pctr:click', '--task', 'cvr=pcvr:conversion@click', '--steps', '10', '--baseline', '0.25,0.75'], figures: 1},
    {args: [hostile, '--objective', `${HOSTILE}:max`, '--objective', 'b:max', '--objective', 'c:min', '--baseline', '3'], figures: 2},
    {args: ['fixtures/pareto-runs.csv', '--objective', 'auc:max', '--objective', 'latency_ms:min', '--interactive'], figures: 1},
  ]
  const b = await openBrowser({width: 1280})
  try {
    for (const [i, p] of pages.entries()) {
      const out = join(dir, `page${i}.html`)
      const r = receval(['pareto', ...p.args, '--html', out])
      assert.equal(r.code, 0, r.stderr)
      const page = await b.open(out)
      assert.deepEqual(page.outsideRequests, [])
      assert.deepEqual(page.consoleErrors, [])
      assert.deepEqual(page.dialogs, [])
      const seen = await page.page.evaluate(() => {
        const d = (globalThis as unknown as {document: {querySelectorAll(s: string): ArrayLike<{querySelectorAll(s: string): ArrayLike<unknown>}>}}).document
        const figs = Array.from(d.querySelectorAll('figure.chart'))
        return {figures: figs.length, marks: figs.map((f) => f.querySelectorAll('svg path, svg text').length), imgs: d.querySelectorAll('img').length}
      })
      assert.equal(seen.figures, p.figures, `page ${i}`)
      assert.ok(seen.marks.every((m) => m > 10), `page ${i} marks ${seen.marks}`)
      assert.equal(seen.imgs, 0)
    }
  } finally {
    await b.close()
  }
})
