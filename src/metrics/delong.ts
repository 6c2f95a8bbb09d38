import {ScoreHistogram} from './histogram.js'
import {normalCdf, normalQuantile} from '../stats/normal.js'

/**
 * DeLong, DeLong & Clarke-Pearson (1988) variance of the empirical AUC, computed with the
 * midrank placements of Sun & Xu (2014) in O(n log n): each positive's placement is the share of
 * negatives it outranks (ties 1/2), each negative's the share of positives that outrank it.
 *
 *   V10(x) = (negatives below x + negatives at x / 2) / N      for a positive scored x
 *   V01(y) = (positives above y + positives at y / 2) / P      for a negative scored y
 *   S10 = sum over positives (V10 - AUC)^2 / (P - 1), S01 likewise over negatives with N - 1
 *   Var(AUC) = S10 / P + S01 / N
 *
 * Placements depend only on the score value, so they come from the score histogram. Matches
 * pROC 1.18 `var(roc, method = "delong")` and `roc.test(method = "delong", paired = TRUE)`.
 * Unweighted only: DeLong is not defined for sample weights.
 */
export interface Placements {
  /** V10 at each distinct value (for positives) */
  v10: Float64Array
  /** V01 at each distinct value (for negatives) */
  v01: Float64Array
}

export function placements(h: ScoreHistogram): Placements {
  const d = h.values.length
  const v10 = new Float64Array(d)
  const v01 = new Float64Array(d)
  let below = 0
  for (let k = 0; k < d; k++) {
    v10[k] = (below + 0.5 * h.neg[k]) / h.N
    below += h.neg[k]
  }
  let above = 0
  for (let k = d - 1; k >= 0; k--) {
    v01[k] = (above + 0.5 * h.pos[k]) / h.P
    above += h.pos[k]
  }
  return {v10, v01}
}

/** DeLong variance of the AUC of one score; NaN when P < 2 or N < 2. */
export function delongVariance(h: ScoreHistogram, pl: Placements, aucValue: number): number {
  if (h.P < 2 || h.N < 2) return NaN
  let s10 = 0
  let s01 = 0
  for (let k = 0; k < h.values.length; k++) {
    const a = pl.v10[k] - aucValue
    const b = pl.v01[k] - aucValue
    s10 += h.pos[k] * a * a
    s01 += h.neg[k] * b * b
  }
  return s10 / (h.P - 1) / h.P + s01 / (h.N - 1) / h.N
}

/** Index of `x` in ascending distinct `values` (x is known to be present). */
function indexOf(values: Float64Array, x: number): number {
  let lo = 0
  let hi = values.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

export interface ScoreWithPlacements {
  scores: Float64Array
  h: ScoreHistogram
  pl: Placements
  auc: number
}

/** DeLong covariance of the AUCs of two scores on the same rows (paired design). */
export function delongCovariance(labels: Uint8Array, a: ScoreWithPlacements, b: ScoreWithPlacements): number {
  const P = a.h.P
  const N = a.h.N
  if (P < 2 || N < 2) return NaN
  let s10 = 0
  let s01 = 0
  for (let i = 0; i < labels.length; i++) {
    const ka = indexOf(a.h.values, a.scores[i] === 0 ? 0 : a.scores[i])
    const kb = indexOf(b.h.values, b.scores[i] === 0 ? 0 : b.scores[i])
    if (labels[i] === 1) s10 += (a.pl.v10[ka] - a.auc) * (b.pl.v10[kb] - b.auc)
    else s01 += (a.pl.v01[ka] - a.auc) * (b.pl.v01[kb] - b.auc)
  }
  return s10 / (P - 1) / P + s01 / (N - 1) / N
}

/** Normal-approximation interval AUC +- z(1 - alpha/2) * SE, clipped to [0, 1] (pROC ci.auc). */
export function aucInterval(aucValue: number, se: number, alpha: number): [number, number] {
  const z = normalQuantile(1 - alpha / 2)
  return [Math.max(0, aucValue - z * se), Math.min(1, aucValue + z * se)]
}

/** Paired DeLong test of AUC_b - AUC_a: z = delta / sqrt(Var_a + Var_b - 2 Cov), two-sided p. */
export function delongTest(aucA: number, varA: number, aucB: number, varB: number, cov: number): {delta: number; se: number; z: number; p_value: number} {
  const delta = aucB - aucA
  const se = Math.sqrt(varA + varB - 2 * cov)
  const z = se > 0 ? delta / se : delta === 0 ? 0 : Math.sign(delta) * Infinity
  return {delta, se, z, p_value: se > 0 ? 2 * normalCdf(-Math.abs(z)) : delta === 0 ? 1 : 0}
}
