import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {momentsFromSums, RawSums} from '../../src/stats/moments.js'
import {ratioOf, ratioVariance} from '../../src/stats/delta-method.js'
import {compareEstimates, welchCompare} from '../../src/stats/two-sample.js'
import {welchDf} from '../../src/stats/welch.js'
import {tTwoSided} from '../../src/stats/student-t.js'
import {pairedDays} from '../../src/stats/paired.js'
import {confidenceSequence, sequentialRho} from '../../src/stats/sequential.js'

// fixtures/vectors/ab.json: published (GrowthBook, Spotify confidence) or cross-computed values.
// Cases that use another method than receval's are noted where they are skipped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const V: any = JSON.parse(readFileSync(join(ROOT, 'fixtures/vectors/ab.json'), 'utf8')).cases

/** A mean metric from n, sum and sum of squares (X = 1). */
const meanSums = (s: {n: number; sum: number; sum_sq: number}): RawSums => ({n: s.n, sumY: s.sum, sumY2: s.sum_sq, sumX: s.n, sumX2: s.n, sumXY: s.sum})
const ratioSums = (s: {n: number; sumM: number; sumM2: number; sumD: number; sumD2: number; sumMD: number}): RawSums => ({n: s.n, sumY: s.sumM, sumY2: s.sumM2, sumX: s.sumD, sumX2: s.sumD2, sumXY: s.sumMD})
const est = (r: RawSums) => {
  const m = momentsFromSums(r)
  return {value: ratioOf(m), variance: ratioVariance(m), n: m.n}
}
/** GrowthBook's proportion statistic: variance p(1 - p) per unit (no n - 1). */
const prop = (s: {n: number; x: number}) => {
  const p = s.x / s.n
  return {value: p, variance: (p * (1 - p)) / s.n, n: s.n}
}

test('V1 Welch t-test of means (GrowthBook TestTwoSidedTTest, 5 decimals)', () => {
  const c = est(meanSums(V.V1_welch_mean.A))
  const t = est(meanSums(V.V1_welch_mean.B))
  const r = welchCompare(c, t, 0.05)
  near(r.delta, V.V1_welch_mean.abs.est, 1e-5, 'delta')
  near(r.se, V.V1_welch_mean.abs.se, 1e-5, 'se')
  near(r.p_value, V.V1_welch_mean.abs.p, 1e-5, 'p')
  near(r.df, V.V1_welch_mean.welch_dof, 1e-9, 'df')
  const ci = r.delta_ci as [number, number]
  near(ci[0], V.V1_welch_mean.abs.ci95[0], 1e-5, 'ci lo')
  near(ci[1], V.V1_welch_mean.abs.ci95[1], 1e-5, 'ci hi')
  near(r.lift, V.V1_welch_mean.rel.est, 1e-5, 'lift')
  near(r.lift_se, V.V1_welch_mean.rel.se, 1e-5, 'lift se')
  near((r.lift_ci as [number, number])[0], V.V1_welch_mean.rel.ci95[0], 1e-5, 'lift ci lo')
  near((r.lift_ci as [number, number])[1], V.V1_welch_mean.rel.ci95[1], 1e-5, 'lift ci hi')
  // GrowthBook's relative p-value: lift / lift_se against the same Welch df
  near(tTwoSided((r.lift as number) / (r.lift_se as number), r.df), V.V1_welch_mean.rel.p, 1e-5, 'rel p')
})

test('V2 relative lift of proportions with p(1-p) variances (GrowthBook)', () => {
  const v = V.V2_proportion_rel
  const r = welchCompare(prop(v.A), prop(v.B), 0.05)
  near(r.lift, v.rel.est, 1e-4, 'lift')
  near(r.lift_se, v.rel.se, 1e-4, 'lift se')
  near((r.lift_ci as [number, number])[0], v.rel.ci95[0], 1e-5, 'ci lo')
  near((r.lift_ci as [number, number])[1], v.rel.ci95[1], 1e-5, 'ci hi')
  near(tTwoSided((r.lift as number) / (r.lift_se as number), r.df), v.rel.p, 1e-5, 'rel p')
})

test('V3 GrowthBook on the Spotify two-proportion data (the pooled chi-square is not receval\'s method)', () => {
  const v = V.V3_two_prop_chisq
  const g = v.growthbook_same_data_computed
  const r = welchCompare(prop(v.C), prop(v.T), 0.05)
  near(r.p_value, g.abs_p, 1e-9, 'abs p')
  near((r.delta_ci as [number, number])[0], g.abs_ci[0], 1e-9, 'abs ci lo')
  near((r.delta_ci as [number, number])[1], g.abs_ci[1], 1e-9, 'abs ci hi')
  near(r.lift, g.rel, 1e-9, 'rel')
  near((r.lift_ci as [number, number])[0], g.rel_ci[0], 1e-9, 'rel ci lo')
  near((r.lift_ci as [number, number])[1], g.rel_ci[1], 1e-9, 'rel ci hi')
  near(tTwoSided((r.lift as number) / (r.lift_se as number), r.df), g.rel_p, 1e-9, 'rel p')
})

test('V4 Welch t-test with 10 vs 150 units (Spotify confidence, rtol 1e-3)', () => {
  const v = V.V4_welch_small
  const r = welchCompare(est(meanSums(v.C)), est(meanSums(v.T)), 0.05)
  near(r.delta, v.abs.diff, 1e-12, 'diff')
  near(r.df, v.welch_dof, 1e-9, 'df')
  near(r.p_value, v.abs.p, 1e-6, 'p')
  near((r.delta_ci as [number, number])[0], v.abs.ci95[0], 1e-6, 'ci lo')
  near((r.delta_ci as [number, number])[1], v.abs.ci95[1], 1e-6, 'ci hi')
})

test('V5 ratio metric by the delta method (GrowthBook RATIO_STATISTICS_DF, 9 decimals) and prob_better', () => {
  const v = V.V5_ratio_delta
  const c = est(ratioSums(v.C))
  const t = est(ratioSums(v.T))
  near(c.value, v.ratio.C, 1e-9, 'ratio C')
  near(t.value, v.ratio.T, 1e-9, 'ratio T')
  const r = welchCompare(c, t, 0.05)
  near(r.lift, v.freq_rel.est, 1e-9, 'lift')
  near(r.lift_se, v.freq_rel.se_computed, 1e-9, 'lift se')
  near((r.lift_ci as [number, number])[0], v.freq_rel.ci95_computed[0], 1e-9, 'ci lo')
  near((r.lift_ci as [number, number])[1], v.freq_rel.ci95_computed[1], 1e-9, 'ci hi')
  near(tTwoSided((r.lift as number) / (r.lift_se as number), r.df), v.freq_rel.p, 1e-9, 'rel p')
  // prob_better is GrowthBook's improper-prior chance to win: Phi(lift / se_lift)
  near(r.prob_better, v.bayes_improper.chanceToWin, 1e-9, 'prob_better')
})

test('V6 CTR at user level, and the naive impression-level z it replaces', () => {
  const v = V.V6_ctr_user_level
  const c = est(ratioSums(v.C))
  const t = est(ratioSums(v.T))
  near(c.variance, v.unit_var_ratio.C / v.C.n, 1e-9, 'Var(R) C')
  near(t.variance, v.unit_var_ratio.T / v.T.n, 1e-9, 'Var(R) T')
  const r = welchCompare(c, t, 0.05)
  near(r.delta, v.abs.est, 1e-10, 'delta')
  near(r.se, v.abs.se, 1e-9, 'se')
  near(r.p_value, v.abs.p, 1e-9, 'p')
  near((r.delta_ci as [number, number])[0], v.abs.ci95_t[0], 1e-9, 'ci lo')
  near((r.lift_ci as [number, number])[1], v.rel_delta.ci95_t[1], 1e-9, 'lift ci hi')
  near(r.lift_se, v.rel_delta.se, 1e-9, 'lift se')
  // the naive pooled two-proportion z over impressions, for contrast (docs/ab.md)
  const pc = v.C.sumM / v.C.sumD
  const pt = v.T.sumM / v.T.sumD
  const pp = (v.C.sumM + v.T.sumM) / (v.C.sumD + v.T.sumD)
  const z = (pt - pc) / Math.sqrt(pp * (1 - pp) * (1 / v.C.sumD + 1 / v.T.sumD))
  near(z, v.naive_impression_pooled_z.z, 1e-9, 'naive z')
})

test('V7 CPM by the delta method and the paired t-test over days', () => {
  const v = V.V7_cpm
  const rows = V.V6_ctr_user_level.rows
  const sums = (arm: {impressions: number[]; revenue: number[]}): RawSums => {
    const s = {n: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0}
    arm.impressions.forEach((x, i) => {
      const y = 1000 * arm.revenue[i]
      s.n++
      s.sumY += y
      s.sumY2 += y * y
      s.sumX += x
      s.sumX2 += x * x
      s.sumXY += x * y
    })
    return s
  }
  const r = welchCompare(est(sums(rows.control)), est(sums(rows.treatment)), 0.05)
  near(r.delta, v.abs.est, 1e-9, 'delta')
  near(r.se, v.abs.se, 1e-9, 'se')
  near(r.p_value, v.abs.p, 1e-9, 'p')
  near(r.lift_se, v.rel.se, 1e-9, 'lift se')
  const d = v.day_level_paired
  const p = pairedDays(Float64Array.from(d.cpm_C), Float64Array.from(d.cpm_T), 0.05)
  near(p.delta, d.mean_diff, 1e-10, 'mean diff')
  near(p.se * Math.sqrt(7), d.sd, 1e-9, 'sd')
  near(p.statistic, d.t, 1e-9, 't')
  assert.equal(p.df, d.df)
  near(p.p_value, d.p, 1e-9, 'p')
  near((p.delta_ci as [number, number])[0], d.ci95[0], 1e-9, 'ci lo')
  near((p.delta_ci as [number, number])[1], d.ci95[1], 1e-9, 'ci hi')
  // ignoring the pairing (Welch on the daily values) loses the day-to-day swings' cancellation
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length
  const varOf = (a: number[]) => a.reduce((s, x) => s + (x - mean(a)) ** 2, 0) / (a.length - 1) / a.length
  const u = welchCompare({value: mean(d.cpm_C), variance: varOf(d.cpm_C), n: 7}, {value: mean(d.cpm_T), variance: varOf(d.cpm_T), n: 7}, 0.05)
  near(u.p_value, d.unpaired_welch_p, 1e-9, 'unpaired p')
  near(welchDf(varOf(d.cpm_C), 7, varOf(d.cpm_T), 7), u.df, 1e-15)
})

test('V8 asymptotic confidence sequences (GrowthBook TestSequentialTTest)', () => {
  const v = V.V8_sequential_gb
  const m = v.mean_Nstar1000
  const c = est(meanSums(m.A))
  const t = est(meanSums(m.B))
  const r = welchCompare(c, t, 0.05)
  const n = m.A.n + m.B.n
  near(r.lift, m.rel, 1e-5, 'rel')
  const cs = confidenceSequence(r.lift as number, (r.lift_se as number) ** 2, n, 0.05, 1000)
  near(cs.ci[0], m.cs[0], 1e-5, 'cs lo')
  near(cs.ci[1], m.cs[1], 1e-5, 'cs hi')
  near(cs.p_value, m.p, 1e-12, 'p')
  const pr = v.prop_Nstar5000
  const rp = welchCompare(prop(pr.A), prop(pr.B), 0.05)
  near(rp.lift, pr.rel, 1e-5, 'prop rel')
  const csp = confidenceSequence(rp.lift as number, (rp.lift_se as number) ** 2, pr.A.n + pr.B.n, 0.05, 5000)
  near(csp.ci[0], pr.cs[0], 1e-5, 'prop cs lo')
  near(csp.ci[1], pr.cs[1], 1e-5, 'prop cs hi')
  near(csp.p_value / 5.17e-44, 1, 2e-3, 'prop p')
  const cv = v.cvr_Nstar5000_computed
  near(sequentialRho(0.05, 5000) ** 2, cv.rho2, 1e-9, 'rho^2')
  const rc = welchCompare(prop(cv.A), prop(cv.B), 0.05)
  near(rc.p_value, cv.fixed_horizon_abs_p, 1e-6, 'fixed-horizon p')
  const ncv = cv.A.n + cv.B.n
  const abs = confidenceSequence(rc.delta, rc.se ** 2, ncv, 0.05, 5000)
  near(abs.ci[0], cv.abs_cs[0], 1e-9, 'abs cs lo')
  near(abs.ci[1], cv.abs_cs[1], 1e-9, 'abs cs hi')
  near(abs.p_value, cv.abs_p, 1e-9, 'abs p')
  const rel = confidenceSequence(rc.lift as number, (rc.lift_se as number) ** 2, ncv, 0.05, 5000)
  near(rel.ci[0], cv.rel_cs[0], 1e-9, 'rel cs lo')
  near(rel.ci[1], cv.rel_cs[1], 1e-9, 'rel cs hi')
  near(rel.p_value, cv.rel_p, 1e-9, 'rel p')
})

test('compareEstimates: undefined pieces are null (zero variance, zero control)', () => {
  const r = compareEstimates({control: 0, treatment: 1, varDelta: 0, varControl: 0, varTreatment: 0, df: 10, alpha: 0.05})
  assert.equal(r.p_value, null)
  assert.equal(r.delta_ci, null)
  assert.equal(r.lift, null)
  assert.equal(r.prob_better, null)
  assert.equal(r.mde, null)
})
