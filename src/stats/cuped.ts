import {Moments} from './moments.js'

/**
 * CUPED (Deng, Xu, Kohavi and Walker 2013, "Improving the Sensitivity of Online Controlled
 * Experiments by Utilizing Pre-Experiment Data") for a ratio metric R = sum(Y) / sum(X) with a
 * pre-period covariate Z per unit. Through the delta method R is, to first order, the mean of the
 * linearized unit values L = (y - R x) / xbar, and CUPED regresses that mean on the mean of Z:
 *
 *   R_cv = R - theta (zbar - zbar_all)
 *   Var(R_cv) = (s_L^2 - 2 theta s_LZ + theta^2 s_Z^2) / n,   s_LZ = (s_YZ - R s_XZ) / xbar
 *
 * theta is pooled over all arms (one theta per metric, so every comparison with the control uses
 * the same adjusted control):
 *
 *   theta = sum_arms (cYZ - R cXZ) / xbar  /  sum_arms cZZ
 *
 * and zbar_all is the mean of Z over all units. Because Z was measured before randomization its
 * arm means differ only by chance, so R_cv is unbiased and its variance is smaller by the share of
 * variance Z explains. For a mean metric (X = 1) theta is the pooled within-arm regression slope.
 */

/**
 * The pooled theta over the arms' moments (0 when Z has no variance).
 * @example cupedTheta([{n: 3, sumY: 6, sumX: 3, sumZ: 3, cYY: 8, cXX: 0, cXY: 0, cZZ: 2, cYZ: 4, cXZ: 0}]) // 2
 */
export function cupedTheta(arms: readonly Moments[]): number {
  let num = 0
  let den = 0
  for (const m of arms) {
    if (m.n < 2 || m.sumX === 0) continue
    const r = m.sumY / m.sumX
    const xbar = m.sumX / m.n
    num += (m.cYZ - r * m.cXZ) / xbar
    den += m.cZZ
  }
  return den > 0 ? num / den : 0
}

/** The mean of Z over all units of the given arms. */
export function pooledCovariateMean(arms: readonly Moments[]): number {
  let s = 0
  let n = 0
  for (const m of arms) {
    s += m.sumZ
    n += m.n
  }
  return n > 0 ? s / n : 0
}

/**
 * The CUPED-adjusted ratio and its delta-method variance.
 * @example cupedAdjusted({n: 3, sumY: 6, sumX: 3, sumZ: 3, cYY: 8, cXX: 0, cXY: 0, cZZ: 2, cYZ: 4, cXZ: 0}, 2, 1) // {value: 2, variance: 0}
 */
export function cupedAdjusted(m: Moments, theta: number, zMeanAll: number): {value: number; variance: number} {
  const r = m.sumY / m.sumX
  const xbar = m.sumX / m.n
  const sLL = Math.max(0, m.cYY - 2 * r * m.cXY + r * r * m.cXX) / (xbar * xbar)
  const sLZ = (m.cYZ - r * m.cXZ) / xbar
  const v = Math.max(0, sLL - 2 * theta * sLZ + theta * theta * m.cZZ) / (m.n - 1) / m.n
  return {value: r - theta * (m.sumZ / m.n - zMeanAll), variance: v}
}
