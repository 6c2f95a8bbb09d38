/**
 * Always-valid inference for continuous monitoring: the asymptotic confidence sequences of
 * Waudby-Smith, Arnold, Wu, Ramdas et al. ("Time-uniform central limit theory and asymptotic
 * confidence sequences", 2023, eq. 9 with the mixture tuning of its appendix), as GrowthBook
 * uses them. With N the units observed so far (both arms), V the variance of the estimate and
 * N* the tuning parameter (the sample size at which the sequence is tightest):
 *
 *   rho^2 = (-2 ln alpha + ln(1 - 2 ln alpha)) / N*
 *   half-width = sqrt(N V) sqrt( 2 (N rho^2 + 1) / (N^2 rho^2) * ln( sqrt(N rho^2 + 1) / alpha ) )
 *   p = min(1, 1 / E),  E = exp( rho^2 N est^2 / (2 V (N rho^2 + 1)) ) / sqrt(N rho^2 + 1)
 *
 * (E is the mixture e-value of the same paper; 1/E is an always-valid p-value.)
 *
 * The interval covers the true effect at every look simultaneously with probability >= 1 - alpha
 * (asymptotically), so a team may look every day and stop whenever it excludes 0 without
 * inflating the false-positive rate; the price is a wider interval than the fixed-horizon one.
 */

/** GrowthBook's default N*. */
export const DEFAULT_TUNING = 5000

/**
 * rho for a given alpha and tuning parameter N*.
 * @example sequentialRho(0.05, 5000) // 0.03984006677137368
 */
export function sequentialRho(alpha: number, tuning: number): number {
  const l = -2 * Math.log(alpha)
  return Math.sqrt((l + Math.log(l + 1)) / tuning)
}

/**
 * The always-valid confidence interval and p-value of an estimate with variance `variance` after
 * `n` units.
 * @example confidenceSequence(0.0025, 0.00000951, 20000, 0.05, 5000) // {ci: [-0.007143484622862449, 0.01214348462286245], p_value: 1}
 */
export function confidenceSequence(estimate: number, variance: number, n: number, alpha: number, tuning = DEFAULT_TUNING): {ci: [number, number]; p_value: number} {
  const rho = sequentialRho(alpha, tuning)
  const r2 = rho * rho
  const tr2p1 = n * r2 + 1
  const s2 = variance * n
  const width = Math.sqrt(s2) * Math.sqrt(((2 * tr2p1) / (n * n * r2)) * Math.log(Math.sqrt(tr2p1) / alpha))
  const st2 = (estimate * estimate * n) / variance
  const logE = (r2 * st2) / (2 * tr2p1) - 0.5 * Math.log(tr2p1)
  return {ci: [estimate - width, estimate + width], p_value: Math.min(1, Math.exp(-logE))}
}
