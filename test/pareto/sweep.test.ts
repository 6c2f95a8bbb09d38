import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {readTable, ColumnRequest, floatColumn, labelColumn, Table} from '../../src/io/index.js'
import {auc} from '../../src/metrics/auc.js'
import {parseMetric, parseTask} from '../../src/pareto/parse.js'
import {sweepWeights, SweepSpec} from '../../src/pareto/sweep.js'
import {bruteFrontier, bruteHypervolume} from './brute.js'

// scikit-learn 1.2 values for every grid point (fixtures/ref-pareto-sweep.py), rows w_ctr = 1, 0.9, ..., 0:
// [ctr auc, cvr auc, ctr gauc, cvr gauc, ctr recall@3, cvr recall@3]
const expected: Record<string, number[][]> = JSON.parse(readFileSync(join(ROOT, 'fixtures/pareto-sweep.expected.json'), 'utf8'))
const FILE = join(ROOT, 'fixtures/multitask.csv')
const tasks = [parseTask('ctr=pctr:click'), parseTask('cvr=pcvr:conversion@click')]

async function load(): Promise<Table> {
  const req: ColumnRequest[] = ['pctr', 'pcvr', 'bid'].map((name) => ({role: name, name, kind: 'float'}) as ColumnRequest)
  req.push(...['click', 'conversion'].map((name) => ({role: name, name, kind: 'label'}) as ColumnRequest), {role: 'group', name: 'user_id', kind: 'key'})
  return (await readTable(FILE, req, {progress: false})).table
}
const spec = (over: Partial<SweepSpec>): SweepSpec => ({file: FILE, tasks, metric: {kind: 'auc'}, fusion: 'product', steps: 10, ...over})

test('sweep on fixtures/multitask.csv: AUC of every grid point equals scikit-learn', async () => {
  const t = await load()
  for (const [key, over] of [['product', {}], ['sum_times', {fusion: 'sum', times: 'bid'}]] as const) {
    const r = await sweepWeights(t, spec(over as Partial<SweepSpec>))
    assert.equal(r.grid.length, 11)
    r.grid.forEach((p, g) => {
      assert.equal(p.weights.ctr, (10 - g) / 10)
      assert.equal(p.weights.cvr, g / 10)
      near(p.metrics.ctr, expected[key][g][0], 1e-12, `${key} #${g} ctr`)
      near(p.metrics.cvr, expected[key][g][1], 1e-12, `${key} #${g} cvr`)
    })
  }
})

test('sweep on fixtures/multitask.csv: GAUC and recall@3 per user equal the reference', async () => {
  const t = await load()
  for (const [key, over] of [['product', {}], ['sum_times', {fusion: 'sum', times: 'bid'}]] as const) {
    const g = await sweepWeights(t, spec({...(over as Partial<SweepSpec>), metric: parseMetric('gauc'), group: 'user_id'}))
    const rc = await sweepWeights(t, spec({...(over as Partial<SweepSpec>), metric: parseMetric('recall@3'), group: 'user_id'}))
    for (let i = 0; i < 11; i++) {
      near(g.grid[i].metrics.ctr, expected[key][i][2], 1e-12, `${key} #${i} ctr gauc`)
      near(g.grid[i].metrics.cvr, expected[key][i][3], 1e-12, `${key} #${i} cvr gauc`)
      near(rc.grid[i].metrics.ctr, expected[key][i][4], 1e-12, `${key} #${i} ctr recall@3`)
      near(rc.grid[i].metrics.cvr, expected[key][i][5], 1e-12, `${key} #${i} cvr recall@3`)
    }
    assert.equal(rc.metric, 'recall@3')
    assert.equal(rc.tasks[1].groups, 198)
  }
})

// The fixture is built so the frontier follows by hand (fixtures/pareto.md):
// click = [pctr > 0.5], so at w_ctr = 1 ctr AUC is exactly 1, and a (click, no-click) pair that
// w ln pctr + (1-w) ln pcvr misorders stays misordered as w_ctr falls: ctr AUC never rises as
// w_ctr falls. conversion = [click and pctr*pcvr > 0.3], so at (0.5, 0.5) the fused score ranks by
// pctr*pcvr and cvr AUC is exactly 1; moving w_ctr away from 0.5 either way only adds misordered
// pairs. Hence w_ctr in 1.0 .. 0.5 (grid #0..#5) trade ctr against cvr, and every w_ctr < 0.5 is
// beaten by #5 on both tasks.
test('sweep on fixtures/multitask.csv (product fusion, AUC): the frontier is w_ctr >= 0.5, as derived by hand', async () => {
  const r = await sweepWeights(await load(), spec({}))
  const ctr = r.grid.map((p) => p.metrics.ctr)
  const cvr = r.grid.map((p) => p.metrics.cvr)
  assert.equal(ctr[0], 1)
  assert.equal(cvr[5], 1)
  for (let g = 1; g < 11; g++) assert.ok(ctr[g] < ctr[g - 1], `ctr AUC falls with w_ctr at #${g}`)
  for (let g = 1; g <= 5; g++) assert.ok(cvr[g] > cvr[g - 1], `cvr AUC rises toward #5 at #${g}`)
  for (let g = 6; g < 11; g++) assert.ok(cvr[g] < cvr[g - 1], `cvr AUC falls past #5 at #${g}`)
  assert.deepEqual(r.frontier, [0, 1, 2, 3, 4, 5])
  assert.deepEqual(r.grid.map((p) => p.on_frontier), [true, true, true, true, true, true, false, false, false, false, false])
  assert.deepEqual(r.frontier, bruteFrontier(r.grid.map((p) => [p.metrics.ctr, p.metrics.cvr]), ['max', 'max']))
  // knee: normalized over the frontier, (u_ctr + u_cvr - 1)/sqrt(2) is largest at #2 (w_ctr 0.8)
  const u = (g: number) => (ctr[g] - ctr[5]) / (1 - ctr[5]) + (cvr[g] - cvr[0]) / (1 - cvr[0]) - 1
  assert.equal(r.knee, 2)
  near(r.knee_distance, u(2) / Math.SQRT2, 1e-12, 'knee distance')
  for (const g of [0, 1, 3, 4, 5]) assert.ok(u(g) < u(2))
  // no --ref and no --baseline: the nadir of the grid
  assert.equal(r.ref_source, 'nadir')
  assert.deepEqual(r.ref, [Math.min(...ctr), Math.min(...cvr)])
  near(r.hypervolume, bruteHypervolume(r.grid.map((p) => [p.metrics.ctr, p.metrics.cvr]), r.ref, ['max', 'max']), 1e-12, 'hypervolume')
})

test('sweep with sum fusion times the bid: ctr falls and cvr rises along the grid, so every point is on the frontier', async () => {
  const r = await sweepWeights(await load(), spec({fusion: 'sum', times: 'bid'}))
  assert.deepEqual(r.frontier, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  assert.equal(r.times, 'bid')
})

test('sweep vertices rank by the raw score: their AUC is the AUC of that score column', async () => {
  const t = await load()
  const r = await sweepWeights(t, spec({}))
  const labels = labelColumn(t, 'click')
  const pcvr = floatColumn(t, 'pcvr')
  near(r.grid[10].metrics.ctr, auc(labels, pcvr), 1e-15, 'ctr AUC of pcvr alone')
})

test('sweep with a baseline off the grid evaluates it and compares it with the frontier', async () => {
  const r = await sweepWeights(await load(), spec({baseline: [0.25, 0.75]}))
  const b = r.baseline
  assert.ok(b)
  assert.equal(b.grid_index, null)
  assert.deepEqual(b.weights, {ctr: 0.25, cvr: 0.75})
  // w_ctr 0.25 lies between #7 and #8, below 0.5: #5 beats it on both tasks (the reasoning above)
  assert.ok(b.dominated_by.includes(5))
  assert.equal(b.on_frontier, false)
  assert.equal(r.ref_source, 'baseline')
  assert.deepEqual(r.ref, [b.metrics.ctr, b.metrics.cvr])
  near(b.dominating_hypervolume, r.hypervolume, 1e-15, 'hypervolume against the baseline')
  near(r.hypervolume, bruteHypervolume(r.frontier.map((g) => [r.grid[g].metrics.ctr, r.grid[g].metrics.cvr]), r.ref, ['max', 'max']), 1e-12, 'hv')
  assert.ok(r.hypervolume > 0)
})

test('sweep with a baseline on the grid and a ref: grid_index and hypervolume gain', async () => {
  const r = await sweepWeights(await load(), spec({baseline: [0.3, 0.7], ref: [0.5, 0.5]}))
  const b = r.baseline
  assert.ok(b)
  assert.equal(b.grid_index, 7)
  assert.deepEqual(b.metrics, r.grid[7].metrics)
  // #7 is off the frontier; the frontier points that beat it, by an all-pairs check
  const pts3 = r.grid.map((p) => [p.metrics.ctr, p.metrics.cvr])
  const beats = r.frontier.filter((g) => pts3[g][0] >= pts3[7][0] && pts3[g][1] >= pts3[7][1] && (pts3[g][0] > pts3[7][0] || pts3[g][1] > pts3[7][1]))
  assert.deepEqual(b.dominated_by, beats)
  assert.ok(beats.includes(5))
  const pts = r.frontier.map((g) => [r.grid[g].metrics.ctr, r.grid[g].metrics.cvr])
  near(b.hypervolume_gain, bruteHypervolume(pts, [0.5, 0.5], ['max', 'max']) - (b.metrics.ctr - 0.5) * (b.metrics.cvr - 0.5), 1e-12, 'gain')
  near(b.dominating_hypervolume, bruteHypervolume(pts, [b.metrics.ctr, b.metrics.cvr], ['max', 'max']), 1e-12, 'dominating')
})

test('sweepWeights refuses undefined metrics and bad specs', async () => {
  const t = await load()
  await assert.rejects(() => sweepWeights(t, spec({tasks: [tasks[0]]})), /at least two --task/)
  await assert.rejects(() => sweepWeights(t, spec({tasks: [tasks[0], tasks[0]]})), /used twice/)
  await assert.rejects(() => sweepWeights(t, spec({baseline: [0.5, 0.6]})), /sum to 1/)
  await assert.rejects(() => sweepWeights(t, spec({baseline: [1]})), /needs 2 weights/)
  await assert.rejects(() => sweepWeights(t, spec({baseline: [1.5, -0.5]})), />= 0/)
  await assert.rejects(() => sweepWeights(t, spec({ref: [0.5]})), /--ref needs 2 values/)
  await assert.rejects(() => sweepWeights(t, spec({metric: {kind: 'gauc'}})), /needs --group/)
  await assert.rejects(() => sweepWeights(t, spec({steps: 100000})), /more than 100000/)
  // every clicked row is a click: no negatives, AUC undefined whatever the weights
  await assert.rejects(() => sweepWeights(t, spec({tasks: [tasks[0], parseTask('x=pctr:click@click')]})), /task "x": no negatives among the 990 rows where click is 1, so auc is undefined/)
})

test('sweep in two threads gives exactly the one-thread result (seeded fixture, gauc and auc)', async () => {
  const t = await load()
  for (const over of [{}, {metric: parseMetric('gauc'), group: 'user_id'}, {metric: parseMetric('recall@2'), group: 'user_id', fusion: 'sum' as const, times: 'bid'}]) {
    const one = await sweepWeights(t, spec({...over, steps: 7, parallel: false}))
    const two = await sweepWeights(t, spec({...over, steps: 7, parallel: true}))
    assert.deepEqual(two, one)
  }
})
