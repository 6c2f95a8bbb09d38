import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {metricDirection, previousWindow, weeklySummary, WeeklyRun, worsening} from '../../src/history/weekly.js'

const day = (d: number, h = 6) => new Date(Date.UTC(2024, 4, d, h)).toISOString()
let id = 0
const auc = (d: number, tags: Record<string, string>, pctr: number, logloss: number, calibration = 1): WeeklyRun => ({
  id: ++id,
  command: 'auc',
  created_at: day(d),
  tags,
  result: {command: 'auc', rows: 1000, alpha: 0.05, scores: {pctr: {auc: pctr, auc_se: 0.01, auc_ci: [pctr - 0.02, pctr + 0.02], logloss, calibration}}, comparisons: [{delta: 0.1}]},
})
// window: May 8 - 15; previous: May 1 - 8
const runs: WeeklyRun[] = [
  auc(2, {branch: 'main', commit: 'a1'}, 0.7, 0.3),
  auc(4, {branch: 'main', commit: 'a2'}, 0.72, 0.3),
  auc(9, {branch: 'main', commit: 'a3'}, 0.69, 0.31, 1.2),
  auc(11, {branch: 'main', commit: 'a4'}, 0.69, 0.29, 1.2),
  auc(10, {branch: 'exp', commit: 'b1'}, 0.8, 0.2),
  auc(20, {branch: 'main', commit: 'late'}, 0.1, 0.9),
  {id: ++id, command: 'ab', created_at: day(12), tags: {exp: 'ranker-v3'}, result: {command: 'ab', srm: {mismatch: false}, results: [{metric: 'ctr', delta: 0.001}]}},
  {id: ++id, command: 'ab', created_at: day(3), tags: {exp: 'old'}, result: {command: 'ab', results: []}},
]
const opts = {since: '2024-05-08T00:00:00.000Z', until: '2024-05-15T00:00:00.000Z', tolerance: 0.005}

test('previousWindow is the same length, just before', () => {
  assert.equal(previousWindow('2024-05-08T00:00:00.000Z', '2024-05-15T00:00:00.000Z'), '2024-05-01T00:00:00.000Z')
})

test('weeklySummary: series by non-volatile tags, commit left out', () => {
  const s = weeklySummary(runs, opts)
  assert.deepEqual(s.volatile_tags, ['commit'])
  assert.deepEqual(s.series.map((x) => [x.key, x.runs, x.previous_runs]), [['auc branch=exp', 1, 0], ['auc branch=main', 2, 2]])
  assert.deepEqual([s.runs, s.previous_runs], [4, 3])
})

test('weeklySummary: every numeric value outside arrays is a metric; _se and _ci ride along', () => {
  const main = weeklySummary(runs, opts).series[1]
  assert.deepEqual(main.metrics.map((m) => m.path), ['rows', 'alpha', 'scores.pctr.auc', 'scores.pctr.logloss', 'scores.pctr.calibration'])
  const a = main.metrics[2]
  assert.deepEqual(a.points.map((p) => [p.value, p.se, p.ci]), [[0.69, 0.01, [0.69 - 0.02, 0.69 + 0.02]], [0.69, 0.01, [0.69 - 0.02, 0.69 + 0.02]]])
  assert.equal(main.metrics[0].constant, true)
})

test('weeklySummary: change between window means, regressions in the worse direction only', () => {
  const s = weeklySummary(runs, opts)
  const [rows, , a, ll, cal] = s.series[1].metrics
  near(a.previous_mean, 0.71, 1e-15, 'previous mean')
  near(a.mean, 0.69, 1e-15, 'mean')
  near(a.change, -0.02, 1e-12, 'change')
  near(a.relative_change, -0.02 / 0.71, 1e-12, 'relative')
  assert.deepEqual([a.regression, a.improvement, a.last], [true, false, 0.69])
  // logloss mean 0.3 -> 0.3: no change
  assert.deepEqual([ll.regression, ll.improvement], [false, false])
  // calibration 1 -> 1.2: |c - 1| grew by 0.2
  assert.equal(cal.regression, true)
  assert.deepEqual([rows.direction, rows.regression], [null, false])
  // the most worsened first: calibration's distance from 1 grew by 0.2, AUC fell by 2.8%
  assert.deepEqual(s.regressions.map((r) => [r.series, r.path]), [['auc branch=main', 'scores.pctr.calibration'], ['auc branch=main', 'scores.pctr.auc']])
  near(s.regressions[1].worse_by, 0.02 / 0.71, 1e-12, 'worse_by')
  // the exp branch has no previous window: nothing to compare
  const exp = s.series[0].metrics[2]
  assert.deepEqual([exp.previous_mean, exp.change, exp.regression], [null, null, false])
})

test('weeklySummary: --by groups by the given tag keys', () => {
  const s = weeklySummary(runs, {...opts, by: ['commit']})
  assert.deepEqual(s.series.map((x) => x.key), ['auc commit=a1', 'auc commit=a2', 'auc commit=a3', 'auc commit=a4', 'auc commit=b1'])
  const none = weeklySummary(runs, {...opts, by: ['model']})
  assert.deepEqual(none.series.map((x) => x.key), ['auc model=(none)'])
})

test('weeklySummary: A/B runs in the window are listed, not trended', () => {
  const s = weeklySummary(runs, opts)
  assert.deepEqual(s.ab.map((r) => [r.tags.exp, r.created_at]), [['ranker-v3', day(12)]])
  assert.ok(s.series.every((x) => x.command !== 'ab'))
})

test('metricDirection and worsening', () => {
  assert.equal(metricDirection(['scores', 'p', 'auc']), 'higher')
  assert.equal(metricDirection(['at', '50', 'ndcg']), 'higher')
  assert.equal(metricDirection(['scores', 'p', 'logloss']), 'lower')
  assert.equal(metricDirection(['scores', 'p', 'calibration']), 'one')
  assert.equal(metricDirection(['rows']), null)
  near(worsening('higher', 0.8, 0.76), 0.05, 1e-12, 'auc down 5%')
  near(worsening('lower', 0.2, 0.19), -0.05, 1e-12, 'logloss down 5% is better')
  near(worsening('one', 0.9, 1.05), -0.05, 1e-12, 'calibration closer to 1')
  assert.equal(worsening('higher', 0, 0.1), null)
  assert.equal(worsening(null, 1, 2), null)
})
