import {Moments} from './moments.js'

/**
 * The delta method for a ratio of sums R = sum(Y) / sum(X) over n independent units (Deng,
 * Knoblich and Lu 2018, "Applying the Delta Method in Metric Analytics"), with sample (n - 1)
 * moments:
 *
 *   Var(R) = (s_y^2 - 2 R s_xy + R^2 s_x^2) / (n xbar^2)
 *
 * Units are the randomization units (users), so the variance accounts for the correlation of
 * everything one user does. A mean per unit is the case X = 1: Var = s_y^2 / n.
 */

/**
 * R = sum(Y) / sum(X).
 * @example ratioOf({n: 2, sumY: 1, sumX: 4, sumZ: 0, cYY: 0, cXX: 0, cXY: 0, cZZ: 0, cYZ: 0, cXZ: 0}) // 0.25
 */
export function ratioOf(m: Moments): number {
  return m.sumY / m.sumX
}

/**
 * Var(R) by the delta method (NaN for fewer than 2 units or a zero denominator sum).
 * @example ratioVariance({n: 3, sumY: 3, sumX: 3, sumZ: 0, cYY: 2, cXX: 0, cXY: 0, cZZ: 0, cYZ: 0, cXZ: 0}) // 0.3333333333333333 (s^2 / n)
 */
export function ratioVariance(m: Moments): number {
  if (m.n < 2 || m.sumX === 0) return NaN
  const r = m.sumY / m.sumX
  const xbar = m.sumX / m.n
  const num = Math.max(0, m.cYY - 2 * r * m.cXY + r * r * m.cXX) / (m.n - 1)
  return num / (m.n * xbar * xbar)
}

/**
 * The per-unit variance of the linearized ratio, s_L^2 = (s_y^2 - 2 R s_xy + R^2 s_x^2) / xbar^2,
 * so that Var(R) = s_L^2 / n. `receval power` plans sample sizes with it.
 * @example unitVariance({n: 3, sumY: 3, sumX: 3, sumZ: 0, cYY: 2, cXX: 0, cXY: 0, cZZ: 0, cYZ: 0, cXZ: 0}) // 1
 */
export function unitVariance(m: Moments): number {
  return ratioVariance(m) * m.n
}
