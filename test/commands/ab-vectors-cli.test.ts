import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {csvOf, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {adjustPValues} from '../../src/stats/multiple-testing.js'
import {cupedAdjusted} from '../../src/stats/cuped.js'
import {momentsFromSums} from '../../src/stats/moments.js'
import {welchCompare} from '../../src/stats/two-sample.js'
import {recevalAsync as receval} from './cli-async.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

// The published A/B vectors (fixtures/vectors/ab.json, a copy of shared/vectors/ab.json) through
// the real `receval ab` CLI: test/stats/ab-vectors.test.ts checks V1-V8 on the pure functions,
// these run the command on the vectors' own data (unit rows, or their sums as --stats files).
// Not through the CLI, by method:
// - V2, V3, and the proportion cases of V8: GrowthBook's proportion variance p(1 - p) has no
//   n - 1; receval uses sample variances for every metric (shared/spec/cli.md), so the CLI's
//   numbers differ by the factor n / (n - 1) (the pure-function tests use GrowthBook's variance)
// - V9 (group-sequential z-test with alpha spending) and V10 (non-inferiority margins): methods
//   receval does not implement (its --sequential is V8's confidence sequence)
// - V5: its sums are synthetic and impossible; the CLI refuses them (checked below)
// - V12: the CLI cannot be given p-values; the adjustment is checked on adjustPValues below
// - V13: GrowthBook's CUPED theta is the slope over all units, receval's the pooled within-arm
//   slope (ANCOVA), and GrowthBook's relative lift divides by the observed control mean where
//   receval's divides the adjusted values; below, the CLI is checked against numpy for its own
//   definition, and the vector's theta in receval's CUPED functions reproduces the vector's
//   delta, se, p and interval
// - V14: GrowthBook's power uses the delta-method variance of the relative lift, which grows with
//   the effect, and no multiplicity adjustment; `receval power` plans for the absolute difference
//   with Bonferroni over the treatment arms (docs/power.md), so its MDE is another quantity
const V: any = JSON.parse(readFileSync(join(ROOT, 'fixtures/vectors/ab.json'), 'utf8')).cases
const dir = tempDir('receval-ab-vectors-')

async function ab(args: string[]): Promise<any> {
  const r = await receval(['ab', ...args, '--json'])
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout.slice(0, 300)} ${r.stderr}`)
  return r.json
}

/** A --stats file with a mean metric per arm from n, sum and sum of squares (X = 1). */
function meanStats(name: string, arms: Record<string, {n: number; sum: number; sum_sq: number}>): string {
  const a = Object.entries(arms)
  return writeFile(dir, name, csvOf({metric: a.map(() => 'm'), arm: a.map(([k]) => k), units: a.map(([, s]) => s.n), num_sum: a.map(([, s]) => s.sum), num_sum_sq: a.map(([, s]) => s.sum_sq), den_sum: a.map(([, s]) => s.n), den_sum_sq: a.map(([, s]) => s.n), num_den_sum: a.map(([, s]) => s.sum)}))
}

/** A --stats file with a ratio metric per arm from GrowthBook's sums (M numerator, D denominator). */
function ratioStats(name: string, arms: Record<string, {n: number; sumM: number; sumM2: number; sumD: number; sumD2: number; sumMD: number}>): string {
  const a = Object.entries(arms)
  return writeFile(dir, name, csvOf({metric: a.map(() => 'r'), arm: a.map(([k]) => k), units: a.map(([, s]) => s.n), num_sum: a.map(([, s]) => s.sumM), num_sum_sq: a.map(([, s]) => s.sumM2), den_sum: a.map(([, s]) => s.sumD), den_sum_sq: a.map(([, s]) => s.sumD2), num_den_sum: a.map(([, s]) => s.sumMD)}))
}

const pair = (got: [number, number], want: [number, number], tol: number, what: string) => {
  near(got[0], want[0], tol, `${what} lo`)
  near(got[1], want[1], tol, `${what} hi`)
}

describe('published A/B vectors through receval ab', {concurrency: 4}, () => {
  test('V1 Welch t-test of means (GrowthBook, 5 decimals) from --stats', async () => {
    const v = V.V1_welch_mean
    const r = (await ab(['--stats', meanStats('v1.csv', {A: v.A, B: v.B}), '--control', 'A'])).results[0]
    near(r.delta, v.abs.est, 1e-5, 'delta')
    near(r.se, v.abs.se, 1e-5, 'se')
    near(r.p_value, v.abs.p, 1e-5, 'p')
    near(r.df, v.welch_dof, 1e-9, 'df')
    pair(r.delta_ci, v.abs.ci95, 1e-5, 'delta ci')
    near(r.lift, v.rel.est, 1e-5, 'lift')
    near(r.lift_se, v.rel.se, 1e-5, 'lift se')
    pair(r.lift_ci, v.rel.ci95, 1e-5, 'lift ci')
  })

  test('V4 Welch t-test with 10 vs 150 units (Spotify confidence) from --stats', async () => {
    const v = V.V4_welch_small
    const r = (await ab(['--stats', meanStats('v4.csv', {C: v.C, T: v.T}), '--control', 'C'])).results[0]
    near(r.delta, v.abs.diff, 1e-12, 'diff')
    near(r.df, v.welch_dof, 1e-9, 'df')
    near(r.p_value, v.abs.p, 1e-6, 'p')
    pair(r.delta_ci, v.abs.ci95, 1e-6, 'ci')
  })

  test('V5 (GrowthBook RATIO_STATISTICS_DF): synthetic sums no data can have, which --stats refuses', async () => {
    // sumD2 = 810 < sumD^2 / n = 2601 and a negative sumMD: GrowthBook's unit test feeds them to the
    // formulas directly (so does test/stats/ab-vectors.test.ts); the command checks its input
    const v = V.V5_ratio_delta
    const r = await receval(['ab', '--stats', ratioStats('v5.csv', {C: v.C, T: v.T}), '--control', 'C'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /column "den_sum_sq": data row 1: den_sum_sq = 810 is less than the square of its sum divided by units; no data has these sums/)
  })

  test('V6 CTR and V7 CPM on the per-user rows, and V6 from its sums (--stats)', async () => {
    const rows = V.V6_ctr_user_level.rows
    const arms = ['control', 'treatment'] as const
    const col = (k: string) => arms.flatMap((a) => rows[a][k] as number[])
    const file = writeFile(dir, 'v6.csv', csvOf({user: col('clicks').map((_, i) => `u${i}`), arm: arms.flatMap((a) => rows[a].clicks.map(() => a)), impressions: col('impressions'), clicks: col('clicks'), revenue: col('revenue')}))
    const r = await ab([file, '--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*revenue/impressions', '--correction', 'none'])
    const v6 = V.V6_ctr_user_level
    const ctr = r.results[0]
    near(ctr.control, v6.ctr.C, 1e-9, 'ctr C')
    near(ctr.treatment, v6.ctr.T, 1e-9, 'ctr T')
    near(ctr.delta, v6.abs.est, 1e-10, 'ctr delta')
    near(ctr.se, v6.abs.se, 1e-9, 'ctr se')
    near(ctr.p_value, v6.abs.p, 1e-9, 'ctr p')
    pair(ctr.delta_ci, v6.abs.ci95_t, 1e-9, 'ctr delta ci')
    near(ctr.lift, v6.rel_delta.est, 1e-9, 'ctr lift')
    near(ctr.lift_se, v6.rel_delta.se, 1e-9, 'ctr lift se')
    pair(ctr.lift_ci, v6.rel_delta.ci95_t, 1e-9, 'ctr lift ci')
    const v7 = V.V7_cpm
    const cpm = r.results[1]
    near(cpm.control, v7.cpm.C, 1e-9, 'cpm C')
    near(cpm.treatment, v7.cpm.T, 1e-9, 'cpm T')
    near(cpm.delta, v7.abs.est, 1e-9, 'cpm delta')
    near(cpm.se, v7.abs.se, 1e-9, 'cpm se')
    near(cpm.p_value, v7.abs.p, 1e-9, 'cpm p')
    pair(cpm.delta_ci, v7.abs.ci95_t, 1e-9, 'cpm delta ci')
    near(cpm.lift, v7.rel.est, 1e-9, 'cpm lift')
    near(cpm.lift_se, v7.rel.se, 1e-9, 'cpm lift se')
    pair(cpm.lift_ci, v7.rel.ci95_t, 1e-9, 'cpm lift ci')
    const s = (await ab(['--stats', ratioStats('v6-stats.csv', {control: v6.C, treatment: v6.T})])).results[0]
    for (const k of ['delta', 'se', 'p_value', 'lift', 'lift_se', 'df']) near(s[k], ctr[k], 1e-12, `--stats ${k}`)
  })

  test('V8 asymptotic confidence sequence of a mean lift (GrowthBook TestSequentialTTest, N* = 1000) from --stats', async () => {
    const m = V.V8_sequential_gb.mean_Nstar1000
    const r = (await ab(['--stats', meanStats('v8.csv', {A: m.A, B: m.B}), '--control', 'A', '--sequential', '--sequential-tuning', '1000'])).results[0]
    near(r.lift, m.rel, 1e-5, 'rel')
    pair(r.lift_ci, m.cs, 1e-5, 'always-valid lift interval')
    assert.ok(r.fixed_horizon.lift_ci[0] > r.lift_ci[0], 'the confidence sequence is wider than the fixed-horizon interval')
  })

  test('V11 sample ratio mismatch (gbstats check_srm) from --stats, with the expected split', async () => {
    for (const [i, c] of V.V11_srm.cases.entries()) {
      const names = ['control', 'b', 'c'].slice(0, c.users.length)
      // any sums with some spread: SRM looks at the units only
      const arms = Object.fromEntries(names.map((a, k) => [a, {n: c.users[k], sum: c.users[k], sum_sq: 2 * c.users[k]}]))
      const split = names.map((a, k) => `${a}=${c.w[k]}`).join(',')
      const r = await ab(['--stats', meanStats(`v11-${i}.csv`, arms), '--expected-split', split])
      near(r.srm.p_value, c.p, 1e-9, `case ${i} p`)
      if (c.chisq !== undefined) near(r.srm.chi2, c.chisq, 1e-12, `case ${i} chi2`)
      assert.equal(r.srm.df, c.users.length - 1)
      assert.equal(r.srm.mismatch, c.p < 0.001, `case ${i} mismatch`)
    }
  })

  test('V13 CUPED on the per-user rows: receval pools theta within arms (ANCOVA), GrowthBook over all units; the rest agrees', async () => {
    const v = V.V13_cuped
    const units = (text: string) => [...text.matchAll(/\(([\d.]+),([\d.]+)\)/g)].map((m) => [Number(m[1]), Number(m[2])])
    const [, c, t] = /C=(.*); T=(.*)/.exec(v['per_user_(pre,post)']) as RegExpExecArray
    const arms = {C: units(c), T: units(t)}
    const rows = Object.entries(arms).flatMap(([a, us]) => us.map((u) => [a, ...u]))
    const file = writeFile(dir, 'v13.csv', csvOf({arm: rows.map((r) => r[0]), pre: rows.map((r) => r[1]), post: rows.map((r) => r[2])}))
    const r = (await ab([file, '--control', 'C', '--metric', 'y=post', '--covariate', 'y=pre'])).results[0]
    // receval's theta is the pooled within-arm slope, so delta is the treatment coefficient of the
    // OLS post ~ 1 + treatment + pre; numpy (/usr/bin/python3): np.cov per arm, lstsq, Welch t
    near(r.cuped.theta, 1.0818855546106183, 1e-12, 'theta (pooled within arms)')
    near(r.delta, 0.256724577815574, 1e-12, 'delta = OLS treatment coefficient')
    near(r.se, 0.10758037162899221, 1e-12, 'se')
    near(r.df, 16.753561668431818, 1e-10, 'df')
    near(r.p_value, 0.029101296126124068, 1e-10, 'p')
    const plain = (await ab([file, '--control', 'C', '--metric', 'y=post'])).results[0]
    near(plain.delta, v.unadjusted_abs.est, 1e-12, 'unadjusted delta')
    near(plain.se, v.unadjusted_abs.se, 1e-9, 'unadjusted se')
    near(plain.p_value, v.unadjusted_abs.p, 1e-9, 'unadjusted p')
    // GrowthBook's theta (the slope over all 20 units) in receval's CUPED formulas gives the vector
    const moments = (us: number[][]) => {
      const s = {n: us.length, sumY: 0, sumY2: 0, sumX: us.length, sumX2: us.length, sumXY: 0, sumZ: 0, sumZ2: 0, sumYZ: 0, sumXZ: 0}
      for (const [z, y] of us) {
        s.sumY += y
        s.sumY2 += y * y
        s.sumXY += y
        s.sumZ += z
        s.sumZ2 += z * z
        s.sumYZ += y * z
        s.sumXZ += z
      }
      return momentsFromSums(s)
    }
    const [mc, mt] = [moments(arms.C), moments(arms.T)]
    const zAll = (mc.sumZ + mt.sumZ) / (mc.n + mt.n)
    const [ac, at] = [cupedAdjusted(mc, v.theta_pooled, zAll), cupedAdjusted(mt, v.theta_pooled, zAll)]
    const g = welchCompare({...ac, n: mc.n}, {...at, n: mt.n}, 0.05)
    near(g.delta, v.abs.est, 1e-9, 'GrowthBook delta')
    near(g.se, v.abs.se, 1e-9, 'GrowthBook se')
    near(g.p_value, v.abs.p, 1e-9, 'GrowthBook p')
    pair(g.delta_ci as [number, number], v.abs.ci95_t, 1e-9, 'GrowthBook delta ci')
    // GrowthBook's relative lift is the adjusted delta over the observed control mean; receval's
    // is the ratio of the adjusted values minus 1 (docs/ab.md, CUPED)
    near(g.delta / (mc.sumY / mc.n), v.rel.est, 1e-9, 'GrowthBook lift')
    near(g.lift, at.value / ac.value - 1, 1e-15, 'receval lift')
  })

  test('V12 Holm and Benjamini-Hochberg (GrowthBook, tea-tasting) on the adjustment receval ab applies', () => {
    const v = V.V12_multiple_testing
    adjustPValues(v.holm_gb.p, 'holm').forEach((p, i) => near(p, v.holm_gb.adj[i], 1e-12, `holm ${i}`))
    adjustPValues(v.bh_gb.p, 'bh').forEach((p, i) => near(p, v.bh_gb.adj[i], 1e-12, `bh ${i}`))
    adjustPValues(v.bh_tea.p, 'bh').forEach((p, i) => near(p, v.bh_tea.adj[i], 1e-12, `bh tea ${i}`))
  })
})
