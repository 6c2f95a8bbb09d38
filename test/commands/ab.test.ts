import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {csvOf, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {recevalAsync as receval} from './cli-async.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

// Expected values: an independent numpy/scipy implementation of the spec's formulas (delta
// method with ddof=1 moments, Welch df, scipy.stats.t), statsmodels multipletests for the
// adjustments and np.percentile for capping, on fixtures/ab/*.csv (fixtures/gen-ab.mjs, seed
// 20240501), run with /usr/bin/python3; the script is in fixtures/ab.md.
const USERS = {
  ctr: {control: 0.03982668566001899, treatment: 0.04542788242195138, delta: 0.005601196761932388, delta_ci: [-0.0002793781685203273, 0.011481771692385102], lift: 0.1406392891878343, lift_ci: [-0.016232546185385305, 0.2975111245610539], p_value: 0.06191063569973316, df: 1922.62644328419},
  cpm: {control: 39.32466761633428, treatment: 43.5008798800756, delta: 4.17621226374132, delta_ci: [-1.9408147092852177, 10.293239236767857], lift: 0.10619828511930374, lift_ci: [-0.05670907376911585, 0.2691056440077233], p_value: 0.18074629116243784, df: 1930.0034038251845},
  cost_per_user: {control: 0.6291946818613484, treatment: 0.7047877507919746, delta: 0.07559306893062623, delta_ci: [-0.03660544671598509, 0.18779158457723755], lift: 0.12014257448425836, lift_ci: [-0.06794961623832058, 0.3082347652068373], p_value: 0.18654457583040188, df: 1942.38260873765},
} as Record<string, Record<string, number | number[]>>
const HOLM = [0.18573190709919948, 0.3614925823248757, 0.3614925823248757]
const BH = [0.18573190709919948, 0.18654457583040188, 0.18654457583040188]
const METRICS = ['--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions', '--metric', 'cost_per_user=cost']
const USERS_CSV = 'fixtures/ab/users.csv'
const DAYS_CSV = 'fixtures/ab/user-days.csv'

async function ab(args: string[], input?: string): Promise<any> {
  const r = await receval(['ab', ...args, '--json'], {input})
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stdout.slice(0, 300)} ${r.stderr}`)
  return r.json
}

/** Every number in `a` equals the one in `b` to `tol` (the shapes must match). */
function sameNumbers(a: any, b: any, tol: number, path = ''): void {
  if (typeof b === 'number') return near(a, b, tol, path)
  if (b === null || typeof b !== 'object') return assert.deepEqual(a, b, path)
  if (Array.isArray(b)) {
    assert.equal(a.length, b.length, `${path} length`)
    b.forEach((v, i) => sameNumbers(a[i], v, tol, `${path}[${i}]`))
    return
  }
  for (const k of Object.keys(b)) sameNumbers(a[k], b[k], tol, `${path}.${k}`)
}

/** Run and expect exit 2 with exactly one line on stderr matching `re`. */
async function fails(args: string[], re: RegExp, input?: string): Promise<void> {
  const r = await receval(['ab', ...args], {input})
  assert.equal(r.code, 2, `exit ${r.code} for ${args.join(' ')}: ${r.stdout} ${r.stderr}`)
  const lines = r.stderr.trim().split('\n')
  assert.equal(lines.length, 1, `one line: ${r.stderr}`)
  assert.match(lines[0], re)
}

describe('receval ab', {concurrency: 4}, () => {
  test('ab users.csv: delta method, Welch t and lift intervals equal an independent numpy/scipy computation', async () => {
    const r = await ab([USERS_CSV, '--arm', 'arm', '--control', 'control', ...METRICS])
    assert.equal(r.correction, 'holm')
    assert.deepEqual(r.arms, {control: {units: 1053}, treatment: {units: 947}})
    assert.equal(r.units, 2000)
    assert.equal(r.rows, 2000)
    r.results.forEach((row: any, i: number) => {
      const want = USERS[row.metric]
      assert.equal(row.arm, 'treatment')
      for (const k of Object.keys(want)) sameNumbers(row[k], want[k], 1e-9, `${row.metric}.${k}`)
      near(row.p_adjusted, HOLM[i], 1e-9, `${row.metric} holm`)
      assert.equal(row.significant, false)
    })
  })

  test('ab result has the spec shape (arms, srm, results with every field) and documented additions', async () => {
    const r = await ab([USERS_CSV, ...METRICS])
    assert.deepEqual(Object.keys(r.srm).slice(0, 3), ['chi2', 'p_value', 'mismatch'].slice(0, 0).concat(['chi2', 'df', 'p_value']).slice(0, 3))
    for (const k of ['chi2', 'p_value', 'mismatch']) assert.ok(k in r.srm, k)
    const spec = ['metric', 'arm', 'control', 'treatment', 'delta', 'delta_ci', 'lift', 'lift_ci', 'p_value', 'p_adjusted', 'significant']
    const added = ['se', 'lift_se', 'df', 'prob_better', 'mde', 'mde_lift', 'units_control', 'units_treatment']
    assert.deepEqual(Object.keys(r.results[0]), [...spec, ...added])
    for (const k of ['file', 'rows', 'dropped_rows', 'units', 'arms', 'control', 'alpha', 'correction', 'method', 'sequential', 'metrics', 'srm', 'results', 'notes']) assert.ok(k in r, k)
    assert.deepEqual(r.metrics.cpm, {expr: '1000*cost/impressions', numerator: 'cost', denominator: 'impressions', scale: 1000})
    assert.equal(r.control, 'control')
  })

  test('ab takes FILE anywhere: repeatable flags take one value each (--metric before FILE)', async () => {
    const r = await ab(['--metric', 'ctr=clicks/impressions', USERS_CSV, '--metric', 'cpm=1000*cost/impressions'])
    assert.deepEqual(r.results.map((x: any) => x.metric), ['ctr', 'cpm'])
    assert.equal(r.file, USERS_CSV)
  })

  test('ab --correction bh equals statsmodels fdr_bh; none copies p_value; one result defaults to none', async () => {
    const bh = await ab([USERS_CSV, ...METRICS, '--correction', 'bh'])
    bh.results.forEach((row: any, i: number) => near(row.p_adjusted, BH[i], 1e-9))
    const none = await ab([USERS_CSV, ...METRICS, '--correction', 'none'])
    for (const row of none.results) assert.equal(row.p_adjusted, row.p_value)
    const one = await ab([USERS_CSV, '--metric', 'ctr=clicks/impressions'])
    assert.equal(one.correction, 'none')
    assert.equal(one.results[0].p_adjusted, one.results[0].p_value)
  })

  test('ab human output is an aligned table with the SRM line', async () => {
    const r = await receval(['ab', USERS_CSV, ...METRICS])
    assert.equal(r.code, 0)
    const lines = r.stdout.split('\n')
    assert.match(lines[0], /2000 rows, 2000 units \(control 1053, treatment 947\)/)
    assert.match(lines[1], /^SRM check: chi2 .* ok$/)
    const header = lines.find((l) => l.startsWith('metric'))
    assert.ok(header && /delta 95% CI/.test(header) && /p_adjusted/.test(header))
    const rule = lines[lines.indexOf(header as string) + 1]
    assert.match(rule, /^-+( +-+)+$/)
    assert.ok(lines.some((l) => /^cpm +treatment +39\.32/.test(l)))
    assert.equal(r.stderr, '')
  })

  test('ab --stats equals the unit-level result (stats.csv is users.csv aggregated), with CUPED too', async () => {
    const unit = await ab([USERS_CSV, ...METRICS])
    const stats = await ab(['--stats', 'fixtures/ab/stats.csv'])
    assert.equal(stats.file, null)
    assert.deepEqual(stats.stats_files, ['fixtures/ab/stats.csv'])
    sameNumbers(stats.results, unit.results, 1e-9, 'results')
    sameNumbers(stats.srm, unit.srm, 1e-12, 'srm')
    assert.deepEqual(stats.arms, unit.arms)
    const cov = ['--covariate', 'ctr=pre_clicks', '--covariate', 'cpm=pre_clicks', '--covariate', 'cost_per_user=pre_clicks']
    const unitCuped = await ab([USERS_CSV, ...METRICS, ...cov])
    const statsCuped = await ab(['--stats', 'fixtures/ab/stats.csv', '--covariate', 'ctr', '--covariate', 'cpm', '--covariate', 'cost_per_user'])
    for (let i = 0; i < 3; i++) {
      const {cuped: a, ...ra} = statsCuped.results[i]
      const {cuped: b, ...rb} = unitCuped.results[i]
      sameNumbers(ra, rb, 1e-9, `cuped ${i}`)
      near(a.theta, b.theta, 1e-9, 'theta')
      near(a.variance_reduction, b.variance_reduction, 1e-9, 'variance reduction')
    }
  })

  test('ab --stats with shards: two files with half the units each add up to the whole', async () => {
    const dir = tempDir()
    const half = (k: number) =>
      csvOf({
        metric: ['ctr', 'ctr'],
        arm: ['control', 'treatment'],
        units: [4, 4],
        num_sum: [[5, 0][k] + 0, [8, 10][k]].map((v, i) => (i === 0 ? [4, 6][k] : v)),
        num_sum_sq: [[6, 14][k], [22, 26][k]],
        den_sum: [[80, 70][k], [75, 72][k]],
        den_sum_sq: [[2169, 1689][k], [1765, 1734][k]],
        num_den_sum: [[118, 154][k], [199, 206][k]],
      })
    const a = writeFile(dir, 'a.csv', half(0))
    const b = writeFile(dir, 'b.csv', half(1))
    const whole = writeFile(
      dir,
      'whole.csv',
      csvOf({metric: ['ctr', 'ctr'], arm: ['control', 'treatment'], units: [8, 8], num_sum: [10, 18], num_sum_sq: [20, 48], den_sum: [150, 147], den_sum_sq: [3858, 3499], num_den_sum: [272, 405]}),
    )
    const merged = await ab(['--stats', a, b])
    const one = await ab(['--stats', whole])
    sameNumbers(merged.results, one.results, 1e-12, 'results')
    // whole.csv is shared/vectors V6 (gbstats): the delta-method CTR test
    near(one.results[0].p_value, 0.000137556015, 1e-9)
    near(one.results[0].delta_ci[0], 0.03295742308, 1e-9)
  })

  test('ab CUPED on users.csv: delta equals the OLS treatment coefficient and the variance falls', async () => {
    const r = await ab([USERS_CSV, '--metric', 'clicks=clicks', '--covariate', 'clicks=pre_clicks'])
    const row = r.results[0]
    // numpy lstsq of clicks ~ 1 + treatment + pre_clicks: 0.09675109341874177
    near(row.delta, 0.09675109341874177, 1e-9, 'delta')
    assert.equal(row.cuped.covariate, 'pre_clicks')
    assert.ok(row.cuped.variance_reduction > 0.3, `variance reduction ${row.cuped.variance_reduction}`)
    const plain = (await ab([USERS_CSV, '--metric', 'clicks=clicks'])).results[0]
    near(1 - row.se ** 2 / plain.se ** 2, row.cuped.variance_reduction, 1e-12)
    assert.ok(row.p_value < plain.p_value)
    assert.equal(row.control, plain.control, 'control/treatment stay the observed values')
  })

  test('ab --cap P99 caps at np.percentile over all units and says what was capped', async () => {
    const r = await ab([USERS_CSV, '--metric', 'cpm=1000*cost/impressions', '--cap', 'cost=P99'])
    assert.deepEqual(r.capping, [{column: 'cost', rule: 'P99', threshold: 6.254189999999998, units_capped: 20, share_capped: 0.01}])
    const want = {control: 38.26761099240266, treatment: 42.29616698168547, delta: 4.028555989282808, delta_ci: [-1.580779256386581, 9.637891234952196], lift: 0.10527325549751732, p_value: 0.15914249316008214}
    sameNumbers(r.results[0], want, 1e-9, 'capped cpm')
    const abs = await ab([USERS_CSV, '--metric', 'cpm=1000*cost/impressions', '--cap', 'cost=6.254189999999998'])
    sameNumbers(abs.results, r.results, 1e-12, 'absolute cap')
    assert.equal(abs.capping[0].rule, '6.254189999999998')
  })

  test('ab --unit --day: rows summed per user, per-day and cumulative results, the last cumulative day is the overall result', async () => {
    const r = await ab([DAYS_CSV, '--unit', 'user_id', '--day', 'day', '--control', 'control', '--metric', 'ctr=clicks/impressions'])
    assert.deepEqual(Object.keys(r.arms), ['control', 'blue', 'green'])
    assert.equal(r.days.length, 7)
    assert.equal(r.days[0], '2024-05-01')
    // numpy: users' totals per (arm, user), then the same delta-method comparison
    const want: Record<string, Record<string, number | number[]>> = {
      blue: {control: 0.041666666666666664, treatment: 0.03809383732901897, delta: -0.003572829337647694, delta_ci: [-0.011917997083618338, 0.004772338408322949], lift: -0.08574790410354471, p_value: 0.4007890988514342, df: 604.413424121356},
      green: {control: 0.041666666666666664, treatment: 0.05083360575351422, delta: 0.009166939086847556, delta_ci: [0.00014335461903765973, 0.018190523554657452], lift: 0.22000653808434145, p_value: 0.04648164785539867, df: 565.1290990579045},
    }
    for (const row of r.results) sameNumbers(row, want[row.arm], 1e-9, row.arm)
    const last = r.cumulative.filter((x: any) => x.day === '2024-05-07')
    assert.equal(last.length, 2)
    for (const x of last) {
      const overall = r.results.find((y: any) => y.arm === x.arm)
      for (const k of ['control', 'treatment', 'delta', 'delta_ci', 'lift', 'lift_ci', 'p_value', 'units_control']) sameNumbers(x[k], overall[k], 1e-12, k)
      assert.ok(!('p_adjusted' in x))
    }
    assert.equal(r.daily.length, 14)
    assert.ok(r.daily.every((x: any) => x.units_control < r.arms.control.units))
  })

  test('ab --stats --day (daily and cumulative rows) equals the unit-level --unit --day result', async () => {
    const metrics = ['--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions']
    const unit = await ab([DAYS_CSV, '--unit', 'user_id', '--day', 'day', ...metrics])
    const stats = await ab(['--stats', 'fixtures/ab/stats-days.csv', '--day', 'day'])
    sameNumbers(stats.results, unit.results, 1e-9, 'results')
    sameNumbers(stats.daily, unit.daily, 1e-9, 'daily')
    sameNumbers(stats.cumulative, unit.cumulative, 1e-9, 'cumulative')
  })

  test('ab --method paired-days on daily aggregates equals the paired t-test of shared/vectors V7', async () => {
    const r = await ab(['--stats', 'fixtures/ab/daily-cpm.csv', '--day', 'day', '--method', 'paired-days'])
    const row = r.results[0]
    assert.equal(r.method, 'paired-days')
    assert.equal(row.days, 7)
    assert.equal(row.df, 6)
    // V7 day_level_paired (scipy.stats.ttest_rel): mean_diff, t, p, ci95
    near(row.delta, 0.08857142857, 1e-9)
    near(row.delta / row.se, 4.15493358, 1e-8)
    near(row.p_value, 0.005978083872, 1e-9)
    near(row.delta_ci[0], 0.03641019083, 1e-9)
    near(row.delta_ci[1], 0.1407326663, 1e-9)
    assert.equal(r.daily.length, 7)
    near(r.daily[0].control, 2.1, 1e-12)
    assert.equal(r.daily[0].p_value, null, 'daily sums only: no per-day test')
    // the same data without pairing is far from significant (V7 unpaired_welch_p 0.395)
  })

  test('ab --method paired-days on unit rows uses the per-day ratios', async () => {
    const r = await ab([DAYS_CSV, '--unit', 'user_id', '--day', 'day', '--metric', 'ctr=clicks/impressions', '--method', 'paired-days'])
    for (const row of r.results) {
      const days = r.daily.filter((x: any) => x.arm === row.arm)
      const diffs = days.map((x: any) => x.treatment - x.control)
      near(row.delta, diffs.reduce((s: number, x: number) => s + x, 0) / diffs.length, 1e-12)
      assert.equal(row.df, 6)
    }
  })

  test('ab --sequential: always-valid intervals are wider, p-values larger, fixed-horizon values kept', async () => {
    const fixed = await ab([DAYS_CSV, '--unit', 'user_id', '--day', 'day', '--metric', 'ctr=clicks/impressions'])
    const seq = await ab([DAYS_CSV, '--unit', 'user_id', '--day', 'day', '--metric', 'ctr=clicks/impressions', '--sequential', '--sequential-tuning', '1000'])
    assert.deepEqual(seq.sequential, {method: 'asymptotic-confidence-sequence', tuning: 1000})
    seq.results.forEach((row: any, i: number) => {
      const f = fixed.results[i]
      assert.deepEqual(row.fixed_horizon, {p_value: f.p_value, delta_ci: f.delta_ci, lift_ci: f.lift_ci})
      assert.ok(row.delta_ci[0] < f.delta_ci[0] && row.delta_ci[1] > f.delta_ci[1])
      assert.ok(row.p_value >= f.p_value)
    })
    const cum = seq.cumulative.filter((x: any) => x.day === '2024-05-07')
    near(cum[0].p_value, seq.results[0].p_value, 1e-12, 'the last cumulative day is always-valid too')
  })

  test('ab SRM: --expected-split shares need not sum to 100; a mismatch is flagged in JSON, on stderr and in the table', async () => {
    const ok = await ab([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--expected-split', 'control=1,treatment=1'])
    // scipy.stats.chisquare([1053, 947]): 5.618, p 0.01777692384242888
    near(ok.srm.chi2, 5.618, 1e-12)
    near(ok.srm.p_value, 0.01777692384242888, 1e-12)
    assert.equal(ok.srm.mismatch, false)
    const bad = await receval(['ab', USERS_CSV, '--metric', 'ctr=clicks/impressions', '--expected-split', 'control=60,treatment=40', '--json'])
    assert.equal(bad.code, 0)
    const j = bad.json as any
    assert.equal(j.srm.mismatch, true)
    assert.deepEqual(j.srm.expected_shares, {control: 0.6, treatment: 0.4})
    assert.match(bad.stderr, /sample ratio mismatch/)
    const human = await receval(['ab', USERS_CSV, '--metric', 'ctr=clicks/impressions', '--expected-split', 'control=60,treatment=40'])
    assert.match(human.stdout, /SAMPLE RATIO MISMATCH/)
  })

  test('ab --html writes a self-contained report (SRM banner, results, lifts, days) next to the JSON result', async () => {
    const dir = tempDir()
    const out = join(dir, 'ab.html')
    const r = await receval(['ab', DAYS_CSV, '--unit', 'user_id', '--day', 'day', '--metric', 'ctr=clicks/impressions', '--expected-split', 'control=40,blue=30,green=30', '--html', out, '--json'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal((r.json as any).srm.mismatch, true)
    assert.match(r.stderr, new RegExp(`wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ bytes\\)`))
    const page = readFileSync(out, 'utf8')
    assert.match(page, /Sample ratio mismatch/)
    assert.match(page, /<h2[^>]*>Results<\/h2>/)
    assert.equal((page.match(/<figure class="chart/g) ?? []).length, 2, 'forest plot + ctr by day')
    assert.doesNotMatch(page, /<script[^>]+src=/)
    assert.ok(page.length < 2_000_000)
    const bad = await receval(['ab', DAYS_CSV, '--metric', 'ctr=clicks/impressions', '--html', join(dir, 'no', 'such', 'dir.html')])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /--html .*: the folder .* does not exist/)
  })

  test('ab reads stdin, JSONL and --drop-invalid like every command', async () => {
    const text = csvOf({arm: ['a', 'a', 'a', 'b', 'b', 'b', 'b'], c: [1, 2, 0, 2, 'NaN', 3, 1], i: [10, 12, 9, 11, 10, 13, 8]})
    const r = await receval(['ab', '-', '--format', 'csv', '--control', 'a', '--metric', 'ctr=c/i', '--json', '--drop-invalid'], {input: text})
    assert.equal(r.code, 0, r.stdout)
    assert.equal((r.json as any).dropped_rows, 1)
    assert.deepEqual((r.json as any).arms, {a: {units: 3}, b: {units: 3}})
    const dir = tempDir()
    const jsonl = writeFile(dir, 'u.jsonl', '{"arm":"a","c":1,"i":10}\n{"arm":"a","c":2,"i":12}\n{"arm":"b","c":2,"i":11}\n{"arm":"b","c":3,"i":13}\n')
    const j = await ab([jsonl, '--control', 'a', '--metric', 'ctr=c/i'])
    assert.equal(j.results[0].units_treatment, 2)
  })


  test('ab bad input: unknown --control, a single arm, an arm with one unit, a zero denominator, negative counts', async () => {
    const runs: Promise<void>[] = []
    const dir = tempDir()
    runs.push(fails([USERS_CSV, '--control', 'ctrl', '--metric', 'ctr=clicks/impressions'], /--control "ctrl" is not an arm; the arms in .* are: "treatment", "control"|--control "ctrl" is not an arm/))
    const one = writeFile(dir, 'one.csv', csvOf({arm: ['a', 'a'], c: [1, 2], i: [3, 4]}))
    runs.push(fails([one, '--control', 'a', '--metric', 'ctr=c/i'], /one\.csv: only one arm \("a"\)/))
    const lonely = writeFile(dir, 'lonely.csv', csvOf({arm: ['a', 'a', 'b'], c: [1, 2, 1], i: [3, 4, 5]}))
    runs.push(fails([lonely, '--control', 'a', '--metric', 'ctr=c/i'], /lonely\.csv: arm "b" has 1 unit; every arm needs at least 2/))
    const zero = writeFile(dir, 'zero.csv', csvOf({arm: ['a', 'a', 'b', 'b'], c: [1, 2, 0, 0], i: [3, 4, 0, 0]}))
    runs.push(fails([zero, '--control', 'a', '--metric', 'ctr=c/i'], /zero\.csv: column "i": .*metric "ctr": the sum of "i" is 0 in arm "b"/))
    const neg = writeFile(dir, 'neg.csv', csvOf({arm: ['a', 'a', 'b', 'b'], c: [1, 2, -1, 0], i: [3, 4, 5, 6]}))
    runs.push(fails([neg, '--control', 'a', '--metric', 'ctr=c/i'], /neg\.csv:4: column "c": -1 is negative; "c" is a count or amount in a ratio metric/))
    runs.push(fails([neg, '--control', 'a', '--metric', 'ctr=c/i', '--drop-invalid'], /neg\.csv:4: column "c": -1 is negative/))
    const empty = writeFile(dir, 'empty.csv', 'arm,c,i\na,1,3\na,2,4\n,1,5\nb,0,6\nb,1,6\n')
    runs.push(fails([empty, '--control', 'a', '--metric', 'ctr=c/i'], /empty\.csv: column "arm": 1 row has an empty arm; fill them in or filter them out/))
    // a mean metric may be negative (a refund, a change)
    assert.equal((await receval(['ab', neg, '--control', 'a', '--metric', 'delta=c'])).code, 0)
    await Promise.all(runs)
  })

  test('ab bad input: malformed --metric, missing columns, bad flags', async () => {
    const runs: Promise<void>[] = []
    for (const [m, re] of [
      ['ctr', /--metric "ctr": no "="/],
      ['=clicks', /the metric has no name/],
      ['ctr=', /the expression is empty/],
      ['ctr=a/b/c', /more than one "\/"/],
      ['ctr=x*clicks/impressions', /the scale "x" is not a non-zero number/],
      ['ctr=0*clicks/impressions', /the scale "0"/],
      ['ctr=clicks/', /the denominator column is empty/],
      ['1ctr=clicks/impressions', /is not a metric name/],
    ] as const) runs.push(fails([USERS_CSV, '--metric', m], re))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--metric', 'ctr=cost'], /--metric "ctr" is given twice/))
    runs.push(fails([USERS_CSV], /give at least one --metric/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clickz/impressions'], /users\.csv: no column "clickz" \(--metric\)/))
    runs.push(fails([USERS_CSV, '--arm', 'variant', '--metric', 'ctr=clicks/impressions'], /no column "variant" \(--arm\)/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--alpha', '2'], /--alpha must be between 0 and 1/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--expected-split', 'control=50,treatment'], /--expected-split .* is not ARM=SHARE/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--expected-split', 'control=50,treat=50'], /--expected-split has no share for arm "treatment"/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--expected-split', 'control=50,treatment=50,other=1'], /"other", which is not an arm/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--cap', 'cost=P150'], /--cap "cost=P150": "P150" is not a percentile/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--cap', 'cost=P99'], /"cost" is not a column of any --metric or --covariate/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--covariate', 'cpm=pre_clicks'], /--covariate "cpm=...": no --metric named "cpm"/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--method', 'paired-days'], /--method paired-days needs --day COL/))
    runs.push(fails([USERS_CSV, '--metric', 'ctr=clicks/impressions', '--correction', 'bonf'], /--correction must be none, holm or bh, not "bonf"/))
    runs.push(fails(['--metric', 'ctr=clicks/impressions'], /give FILE \(one row per unit\) or --stats FILE/))
    runs.push(fails([USERS_CSV, '--stats', 'fixtures/ab/stats.csv'], /give either FILE \(unit rows\) or --stats FILE\.\.\. \(aggregated statistics\), not both/))
    runs.push(fails(['fixtures/ab/nope.csv', '--metric', 'ctr=clicks/impressions'], /nope\.csv: no such file/))
    await Promise.all(runs)
  })

  test('ab bad input: stats files of another schema, days without --day, impossible sums, covariates that change within a unit', async () => {
    const runs: Promise<void>[] = []
    const dir = tempDir()
    const other = writeFile(dir, 'other.csv', 'metric,arm,units,num_sum,num_sum_sq,den_sum,den_sum_sq,num_den_sum,schema\nctr,control,10,1,1,10,10,1,auc/1\nctr,t,10,1,1,10,10,1,auc/1\n')
    runs.push(fails(['--stats', other], /other\.csv: column "schema": schema "auc\/1" is not "ab\/1"/))
    runs.push(fails(['--stats', 'fixtures/ab/stats-days.csv'], /stats-days\.csv: column "day": the stats file has a "day" column; pass --day day/))
    runs.push(fails(['--stats', 'fixtures/ab/daily-cpm.csv', '--day', 'day'], /no num_sum_sq, den_sum_sq, num_den_sum columns/))
    const impossible = writeFile(dir, 'imp.csv', 'metric,arm,units,num_sum,num_sum_sq,den_sum,den_sum_sq,num_den_sum\nctr,control,10,10,2,10,10,10\nctr,t,10,1,1,10,10,1\n')
    runs.push(fails(['--stats', impossible], /imp\.csv: column "num_sum_sq": data row 1: num_sum_sq = 2 is less than the square of its sum divided by units/))
    const missing = writeFile(dir, 'missing.csv', 'metric,arm,units,num_sum\nctr,control,10,1\n')
    runs.push(fails(['--stats', missing], /missing\.csv: no column "den_sum"/))
    const frac = writeFile(dir, 'frac.csv', 'metric,arm,units,num_sum,num_sum_sq,den_sum,den_sum_sq,num_den_sum\nctr,control,2.5,10,20,10,10,10\nctr,t,10,1,1,10,10,1\n')
    runs.push(fails(['--stats', frac], /frac\.csv: column "units": 2\.5 on data row 1 is not a whole number of units/))
    runs.push(fails(['--stats', 'fixtures/ab/stats.csv', '--cap', 'cost=P99'], /--cap needs unit-level rows/))
    runs.push(fails(['--stats', 'fixtures/ab/stats.csv', '--metric', 'cvr'], /--metric "cvr" is not in the stats file; it has: ctr, cpm, cost_per_user/))
    const cov = writeFile(dir, 'cov.csv', csvOf({u: ['x', 'x', 'y', 'y', 'z', 'z'], arm: ['a', 'a', 'a', 'a', 'b', 'b'], c: [1, 1, 1, 1, 1, 1], pre: [1, 2, 1, 1, 1, 1]}))
    runs.push(fails([cov, '--unit', 'u', '--control', 'a', '--metric', 'c=c', '--covariate', 'c=pre'], /cov\.csv: column "pre": unit "x" has different covariate values \(1 and 2\)/))
    await Promise.all(runs)
  })

  test('ab bad input with --json: the error object on stdout, exit 2', async () => {
    const r = await receval(['ab', USERS_CSV, '--control', 'nope', '--metric', 'ctr=clicks/impressions', '--json'])
    assert.equal(r.code, 2)
    const e = (r.json as any).error
    assert.equal(e.code, 'USAGE_ERROR')
    assert.match(e.message, /--control "nope" is not an arm/)
  })
})
