import {normalQuantile} from './normal.js'

/**
 * Sample size for a two-sided test of a relative change `mde` in a metric with baseline mean mu
 * and per-unit variance sigma^2 (for a ratio metric, the variance of the linearized unit value,
 * see unitVariance in ./delta-method.ts), with equal allocation over the arms and each treatment
 * arm compared with the control at alpha / comparisons (Bonferroni):
 *
 *   n per arm = (z(1 - alpha' / 2) + z(power))^2 * 2 sigma^2 / (mde mu)^2,   alpha' = alpha / comparisons
 *
 * the normal approximation of the two-sample test (it ignores the far tail, which at 80% power
 * changes n by less than 1e-6 relative; statsmodels NormalIndPower includes it). Reference: any
 * power-analysis text, e.g. Kohavi, Tang and Xu 2020, "Trustworthy Online Controlled Experiments",
 * ch. 17.
 * @example unitsPerArm({mean: 0.05, variance: 0.0475, mde: 0.1, alpha: 0.05, power: 0.8}) // 29826.2...
 */
export function unitsPerArm(o: {mean: number; variance: number; mde: number; alpha: number; power: number; comparisons?: number}): number {
  const a = o.alpha / (o.comparisons ?? 1)
  const z = normalQuantile(1 - a / 2) + normalQuantile(o.power)
  const d = o.mde * o.mean
  return (z * z * 2 * o.variance) / (d * d)
}

/**
 * The relative MDE detectable with `n` units per arm: the inverse of unitsPerArm.
 * @example relativeMde({mean: 0.05, variance: 0.0475, unitsPerArm: 29826.2, alpha: 0.05, power: 0.8}) // 0.1...
 */
export function relativeMde(o: {mean: number; variance: number; unitsPerArm: number; alpha: number; power: number; comparisons?: number}): number {
  const a = o.alpha / (o.comparisons ?? 1)
  const z = normalQuantile(1 - a / 2) + normalQuantile(o.power)
  return (z * Math.sqrt((2 * o.variance) / o.unitsPerArm)) / Math.abs(o.mean)
}
