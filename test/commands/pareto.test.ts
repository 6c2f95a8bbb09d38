import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {csvOf, receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {bruteFrontier, bruteHypervolume} from '../pareto/brute.js'

interface Case {
  id: string
  senses?: string[]
  points: number[][]
  ref?: number[]
  expect: {frontier?: number[]; frontier_keep_duplicates?: number[]; max_min?: number[]; min_max?: number[]; hypervolume?: number}
}
const cases: Case[] = JSON.parse(readFileSync(join(ROOT, 'fixtures/vectors/pareto.json'), 'utf8')).cases
const dir = tempDir('receval-pareto-')
const MT = 'fixtures/multitask.csv'
const SWEEP = ['pareto', MT, '--task', 'ctr=pctr:click', '--task', 'cvr=pcvr:conversion@click']
type Json = Record<string, unknown> & {[k: string]: never | unknown}

function pointsFile(c: Case): string {
  const cols: Record<string, number[]> = {}
  c.points[0].forEach((_, j) => (cols[`m${j}`] = c.points.map((p) => p[j])))
  return writeFile(dir, `${c.id}.csv`, csvOf(cols))
}

for (const c of cases) {
  test(`receval pareto --json reproduces vector ${c.id}`, () => {
    const file = pointsFile(c)
    const run = (senses: string[], ref?: number[]) => receval(['pareto', file, ...senses.flatMap((s, j) => ['--objective', `m${j}:${s}`]), ...(ref ? ['--ref', ref.join(',')] : []), '--json'])
    if (c.expect.max_min) {
      assert.deepEqual((run(['max', 'min']).json as Json).frontier, c.expect.max_min)
      assert.deepEqual((run(['min', 'max']).json as Json).frontier, c.expect.min_max)
      return
    }
    const r = run(c.senses as string[], c.ref)
    assert.equal(r.code, 0, r.stderr)
    const j = r.json as Json
    assert.equal(j.points, c.points.length)
    const want = c.expect.frontier ?? c.expect.frontier_keep_duplicates
    if (want) assert.deepEqual(j.frontier, want)
    if (c.expect.hypervolume !== undefined) near(j.hypervolume, c.expect.hypervolume, 1e-12, 'hypervolume')
  })
}

test('receval pareto table mode: the JSON result shape', () => {
  const r = receval(['pareto', 'fixtures/pareto-runs.csv', '--objective', 'auc:max', '--objective', 'latency_ms:min', '--ref', '0.5,100', '--baseline', '0', '--json'])
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as Json
  assert.deepEqual(Object.keys(j).sort(), ['baseline', 'command', 'dropped_rows', 'file', 'frontier', 'hypervolume', 'hypervolume_points', 'knee', 'knee_distance', 'knee_plane', 'mode', 'notes', 'objectives', 'points', 'ref'].sort())
  assert.equal(j.command, 'pareto')
  assert.equal(j.mode, 'table')
  assert.equal(j.points, 30)
  assert.deepEqual(j.objectives, [{column: 'auc', sense: 'max'}, {column: 'latency_ms', sense: 'min'}])
  const frontier = j.frontier as number[]
  assert.deepEqual(frontier, [...frontier].sort((a, b) => a - b))
  assert.ok(frontier.includes(j.knee as number))
  assert.equal(typeof j.hypervolume, 'number')
  const b = j.baseline as Json
  assert.deepEqual(Object.keys(b).sort(), ['dominated_by', 'dominating_hypervolume', 'hypervolume_gain', 'on_frontier', 'row', 'values'].sort())
  assert.equal(b.row, 0)
  assert.deepEqual(b.values, {auc: 0.7257, latency_ms: 23.9})
  assert.equal(b.on_frontier, frontier.includes(0))
  // without --ref there is no hypervolume at all, and no gain
  const n = receval(['pareto', 'fixtures/pareto-runs.csv', '--objective', 'auc:max', '--objective', 'latency_ms:min', '--baseline', '0', '--json']).json as Json
  assert.equal(n.hypervolume, undefined)
  assert.equal((n.baseline as Json).hypervolume_gain, undefined)
  assert.equal(typeof (n.baseline as Json).dominating_hypervolume, 'number')
})

test('receval pareto on fixtures/pareto-runs.csv agrees with all-pairs dominance and the cell decomposition', () => {
  const rows = readFileSync(join(ROOT, 'fixtures/pareto-runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(1).map(Number))
  for (const [senses, ref] of [[['max', 'min'], [0.5, 100]], [['max', 'min', 'max'], [0.7, 80, 0.3]]] as const) {
    const d = senses.length
    const args = ['pareto', 'fixtures/pareto-runs.csv', ...['auc', 'latency_ms', 'recall_at_50'].slice(0, d).flatMap((c, j) => ['--objective', `${c}:${senses[j]}`]), '--ref', ref.join(','), '--json']
    const j = receval(args).json as Json
    const pts = rows.map((r) => r.slice(0, d))
    assert.deepEqual(j.frontier, bruteFrontier(pts, [...senses]))
    near(j.hypervolume, bruteHypervolume(pts, [...ref], [...senses]), 1e-12, `hypervolume ${d}-D`)
  }
})

test('receval pareto table mode prints the frontier rows, hypervolume, knee and baseline', () => {
  const r = receval(['pareto', 'fixtures/pareto-runs.csv', '--objective', 'auc:max', '--objective', 'latency_ms:min', '--objective', 'recall_at_50:max', '--ref', '0.5,100,0', '--baseline', '0'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^fixtures\/pareto-runs\.csv: 30 points, \d+ on the frontier; objectives auc \(max\), latency_ms \(min\), recall_at_50 \(max\)/)
  assert.match(r.stdout, /row\s+auc\s+latency_ms\s+recall_at_50\s+note/)
  assert.match(r.stdout, /hypervolume: [\d.]+ against ref \(0\.5, 100, 0\)/)
  assert.match(r.stdout, /knee: (row \d+|none)/)
  assert.match(r.stdout, /baseline: row 0 /)
})

test('receval pareto reads stdin and drops invalid rows with --drop-invalid', () => {
  const input = 'a,b\n1,2\n2,1\nx,5\n0,0\n'
  const r = receval(['pareto', '-', '--format', 'csv', '--objective', 'a:max', '--objective', 'b:max', '--drop-invalid', '--json'], {input})
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as Json
  assert.equal(j.points, 3)
  assert.equal(j.dropped_rows, 1)
  assert.deepEqual(j.frontier, [0, 1])
})

test('receval pareto sweep mode: the JSON result shape', () => {
  const r = receval([...SWEEP, '--steps', '10', '--baseline', '0.5,0.5', '--json'])
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as Json
  assert.deepEqual(Object.keys(j).sort(), ['baseline', 'command', 'dropped_rows', 'file', 'frontier', 'fusion', 'grid', 'group', 'hypervolume', 'hypervolume_points', 'knee', 'knee_distance', 'knee_plane', 'metric', 'mode', 'notes', 'ref', 'ref_source', 'rows', 'steps', 'tasks', 'times'].sort())
  assert.equal(j.mode, 'sweep')
  assert.equal(j.rows, 2000)
  assert.equal(j.metric, 'auc')
  assert.equal(j.fusion, 'product')
  const grid = j.grid as {weights: Record<string, number>; metrics: Record<string, number>; on_frontier: boolean}[]
  assert.equal(grid.length, 11)
  assert.deepEqual(Object.keys(grid[0]), ['weights', 'metrics', 'on_frontier'])
  assert.deepEqual(grid[3].weights, {ctr: 0.7, cvr: 0.3})
  assert.deepEqual(j.frontier, [0, 1, 2, 3, 4, 5])
  assert.deepEqual(grid.map((p) => p.on_frontier), grid.map((_, g) => g <= 5))
  assert.equal(j.knee, 2)
  assert.deepEqual(j.tasks, [
    {name: 'ctr', score: 'pctr', label: 'click', filter: null, rows: 2000, positives: 990},
    {name: 'cvr', score: 'pcvr', label: 'conversion', filter: 'click', rows: 990, positives: 579},
  ])
  const b = j.baseline as Json
  assert.deepEqual(Object.keys(b).sort(), ['dominated_by', 'dominating_hypervolume', 'grid_index', 'hypervolume_gain', 'metrics', 'on_frontier', 'weights'].sort())
  assert.equal(b.grid_index, 5)
  assert.equal(b.on_frontier, true)
  assert.equal(j.ref_source, 'baseline')
  // the baseline is on the frontier: nothing improves on it in both tasks
  assert.equal(j.hypervolume, 0)
})

test('receval pareto sweep mode prints the grid with frontier marks, the knee and the baseline', () => {
  const r = receval([...SWEEP, '--steps', '4', '--baseline', '0.25,0.75', '--ref', '0.5,0.5'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /fixtures\/multitask\.csv: 2000 rows; auc of product fusion; 5 weight vectors \(steps 4\), \d on the frontier/)
  assert.match(r.stdout, /task cvr: score pcvr, label conversion on rows where click is 1 \(990 rows, 579 positives\)/)
  assert.match(r.stdout, /#\s+w_ctr\s+w_cvr\s+ctr auc\s+cvr auc\s+frontier/)
  assert.match(r.stdout, /\n0\s+1\s+0\s+1\s+0\.635583\s+\*/)
  assert.match(r.stdout, /\n3\s+0\.25\s+0\.75\s.*baseline/)
  assert.match(r.stdout, /hypervolume: [\d.]+ against ref \(0\.500000, 0\.500000\)/)
  assert.match(r.stdout, /baseline #3: dominated by #2/)
})

test('receval pareto sweep with gauc, recall@K, --times and sum fusion', () => {
  const g = receval([...SWEEP, '--steps', '2', '--metric', 'gauc', '--json']).json as Json
  assert.equal(g.metric, 'gauc')
  assert.equal(g.group, 'user_id')
  const tasks = g.tasks as Json[]
  assert.equal(typeof tasks[0].groups, 'number')
  const r = receval([...SWEEP, '--steps', '2', '--metric', 'recall@3', '--group', 'user_id', '--fusion', 'sum', '--times', 'bid', '--json'])
  assert.equal(r.code, 0, r.stderr)
  const j = r.json as Json
  assert.equal(j.metric, 'recall@3')
  assert.equal(j.times, 'bid')
  // reference: fixtures/ref-pareto-sweep.py (sum fusion times bid, w_ctr = 0.5 is row 5 of its grid)
  const exp = JSON.parse(readFileSync(join(ROOT, 'fixtures/pareto-sweep.expected.json'), 'utf8')).sum_times[5] as number[]
  const m = ((j.grid as Json[])[1] as {metrics: Record<string, number>}).metrics
  near(m.ctr, exp[4], 1e-12, 'ctr recall@3')
  near(m.cvr, exp[5], 1e-12, 'cvr recall@3')
})

interface Bad {
  what: string
  args: string[]
  input?: string
  message: RegExp
}
const bad = writeFile(dir, 'bad.csv', 'a,b,s,y\n1,2,0.5,1\n2,abc,0.4,0\n3,1,0.3,0\n')
const neg = writeFile(dir, 'neg.csv', 'p,q,y,z,off\n0.5,0.5,1,0,0\n0.2,-0.1,0,1,0\n')
const cases2: Bad[] = [
  {what: 'an unknown objective column', args: [bad, '--objective', 'nope:max'], message: /bad\.csv: no column "nope" \(--objective\)/},
  {what: '--objective without a sense', args: [bad, '--objective', 'a'], message: /--objective takes COL:max or COL:min, not "a"/},
  {what: '--objective with a bad sense', args: [bad, '--objective', 'a:up'], message: /--objective takes COL:max or COL:min, not "a:up"/},
  {what: 'the same objective twice', args: [bad, '--objective', 'a:max', '--objective', 'a:min'], message: /"a" is given twice/},
  {what: '--ref with the wrong arity', args: [bad, '--objective', 'a:max', '--objective', 'b:max', '--ref', '0'], message: /--ref needs 2 values \(one per --objective, in order\), got 1/},
  {what: '--ref that is not numbers', args: [bad, '--objective', 'a:max', '--ref', 'zero'], message: /--ref takes comma-separated numbers/},
  {what: 'a non-numeric value', args: [bad, '--objective', 'a:max', '--objective', 'b:max'], message: /bad\.csv:3: column "b": "abc" is not a number/},
  {what: 'a table-mode baseline that is not a row', args: [bad, '--objective', 'a:max', '--baseline', '3'], message: /--baseline 3 is not a row: the file has 3 data rows \(indexes 0 to 2\)/},
  {what: 'a table-mode baseline that is not an index', args: [bad, '--objective', 'a:max', '--baseline', '0.5,0.5'], message: /--baseline takes a 0-based row index in table mode/},
  {what: 'a sweep flag in table mode', args: [bad, '--objective', 'a:max', '--times', 'b'], message: /--times applies to sweep mode/},
  {what: 'both modes at once', args: [bad, '--objective', 'a:max', '--task', 't=s:y'], message: /use --objective \(table mode\) or --task \(sweep mode\), not both/},
  {what: 'neither mode', args: [bad], message: /give --objective COL:max\|min \(table mode\) or --task/},
  {what: '--task without "="', args: [MT, '--task', 'pctr:click', '--task', 'b=pcvr:click'], message: /--task takes NAME=SCORE:LABEL\[@FILTER\].*not "pctr:click": no "="/},
  {what: '--task without a label', args: [MT, '--task', 'a=pctr', '--task', 'b=pcvr:click'], message: /not "a=pctr": no ":" between the score and the label column/},
  {what: '--task with an empty name', args: [MT, '--task', '=pctr:click', '--task', 'b=pcvr:click'], message: /empty task name/},
  {what: '--task with an empty filter', args: [MT, '--task', 'a=pctr:click@', '--task', 'b=pcvr:click'], message: /empty filter column after "@"/},
  {what: '--task naming an unknown column', args: [MT, '--task', 'a=pctr:clicks', '--task', 'b=pcvr:click'], message: /multitask\.csv: no column "clicks" \(--task\)/},
  {what: 'a single --task', args: [MT, '--task', 'a=pctr:click'], message: /at least two --task/},
  {what: '--steps 0', args: [...SWEEP, '--steps', '0'], message: /--steps must be a positive integer, not "0"/},
  {what: '--steps 2.5', args: [...SWEEP, '--steps', '2.5'], message: /--steps must be a positive integer, not "2\.5"/},
  {what: '--steps -3', args: [...SWEEP, '--steps=-3'], message: /--steps must be a positive integer, not "-3"/},
  {what: '--steps ten', args: [...SWEEP, '--steps', 'ten'], message: /--steps must be a positive integer, not "ten"/},
  {what: 'an unknown --metric', args: [...SWEEP, '--metric', 'ndcg'], message: /--metric takes auc, gauc or recall@K/},
  {what: '--metric recall@0', args: [...SWEEP, '--metric', 'recall@0'], message: /--metric takes auc, gauc or recall@K/},
  {what: '--group with --metric auc', args: [...SWEEP, '--group', 'user_id'], message: /--group applies to --metric gauc and recall@K only/},
  {what: 'an unknown --fusion', args: [...SWEEP, '--fusion', 'max'], message: /--fusion must be product or sum, not "max"/},
  {what: 'sweep --baseline of the wrong arity', args: [...SWEEP, '--baseline', '1'], message: /--baseline needs 2 weights \(one per --task, in order\), got 1/},
  {what: 'sweep --baseline off the simplex', args: [...SWEEP, '--baseline', '0.7,0.7'], message: /--baseline weights must sum to 1/},
  {what: 'sweep --ref of the wrong arity', args: [...SWEEP, '--ref', '0.5,0.5,0.5'], message: /--ref needs 2 values \(one per --task, in order\), got 3/},
  {what: 'a negative score with product fusion', args: [neg, '--task', 'a=p:y', '--task', 'b=q:z'], message: /neg\.csv:3: column "q": -0\.1 is negative; --fusion product needs scores >= 0/},
  {what: 'a negative --times factor', args: [neg, '--task', 'a=p:y', '--task', 'b=p:z', '--fusion', 'sum', '--times', 'q'], message: /neg\.csv:3: column "q": -0\.1 is negative; --times factors must be >= 0/},
  {what: 'a task with one class only', args: [MT, '--task', 'a=pctr:click', '--task', 'b=pcvr:click@click'], message: /multitask\.csv: column "click": task "b": no negatives among the 990 rows where click is 1, so auc is undefined/},
  {what: 'a filter that keeps one class', args: [neg, '--task', 'a=p:y', '--task', 'b=p:z@y', '--fusion', 'sum'], message: /neg\.csv: column "z": task "b": no positives among the 1 rows where y is 1, so auc is undefined/},
  {what: 'a filter that keeps no row', args: [neg, '--task', 'a=p:y', '--task', 'b=p:z@off', '--fusion', 'sum'], message: /neg\.csv: column "off": task "b": no rows where off is 1, nothing to evaluate/},
  {what: 'a label column that is not 0/1', args: [MT, '--task', 'a=pctr:bid', '--task', 'b=pcvr:click'], message: /multitask\.csv:2: column "bid"/},
]
for (const c of cases2) {
  test(`receval pareto with ${c.what} exits 2 with one clear line`, () => {
    const r = receval(c.args[0] === 'pareto' ? c.args : ['pareto', ...c.args], {input: c.input})
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`)
    assert.equal(r.stdout, '')
    const lines = r.stderr.trim().split('\n')
    assert.equal(lines.length, 1, r.stderr)
    assert.match(lines[0], c.message)
    assert.doesNotMatch(r.stderr, /\n\s+at /)
  })
}

test('receval pareto --json reports an input error as an error object on stdout', () => {
  const r = receval(['pareto', bad, '--objective', 'a:max', '--objective', 'b:max', '--json'])
  assert.equal(r.code, 2)
  const e = (r.json as {error: Json}).error
  assert.equal(e.code, 'INPUT_ERROR')
  assert.equal(e.line, 3)
  assert.equal(e.column, 'b')
})

test('receval pareto --help says which hypervolume sizes are fast', () => {
  const r = receval(['pareto', '--help'])
  assert.equal(r.code, 0)
  assert.match(r.stdout, /2-D and\s+3-D are O\(n log n\)/)
  assert.match(r.stdout, /WFG/)
})
