import {chiSquareSf} from './chi-square.js'

/**
 * Sample ratio mismatch: Pearson's chi-square goodness-of-fit test of the units per arm against
 * the expected shares (normalized to sum to 1), df = arms - 1, as scipy.stats.chisquare:
 *
 *   chi2 = sum_a (n_a - E_a)^2 / E_a,   E_a = N share_a
 *
 * `mismatch` when p < threshold (0.001: an SRM check must not cry wolf on every experiment, and a
 * real assignment bug gives p far below it). Reference: Fabijan et al. 2019, "Diagnosing Sample
 * Ratio Mismatch in Online Controlled Experiments".
 * @example srmTest([5000, 5100], [1, 1]).p_value // 0.31971817681286996
 */
export function srmTest(counts: readonly number[], shares: readonly number[], threshold = 0.001): {chi2: number; df: number; p_value: number; mismatch: boolean; expected: number[]} {
  const total = counts.reduce((s, c) => s + c, 0)
  const shareSum = shares.reduce((s, c) => s + c, 0)
  const expected = shares.map((s) => (total * s) / shareSum)
  let chi2 = 0
  counts.forEach((c, i) => {
    const d = c - expected[i]
    chi2 += (d * d) / expected[i]
  })
  const df = counts.length - 1
  const p = chiSquareSf(chi2, df)
  return {chi2, df, p_value: p, mismatch: p < threshold, expected}
}
