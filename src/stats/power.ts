import {normalCdf, normalPdf, normalQuantile} from './normal.js'

/**
 * Sample size for a two-sided test of a relative change `mde` in a metric with baseline mean mu
 * and per-unit variance sigma^2 (for a ratio metric, the variance of the linearized unit value,
 * see unitVariance in ./delta-method.ts), with equal allocation over the arms and each treatment
 * arm compared with the control at alpha / comparisons (Bonferroni):
 *
 *   n per arm = 2 s^2 sigma^2 / (mde mu)^2,   alpha' = alpha / comparisons
 *
 * where s is the standardized effect the two-sided z-test detects with probability `power`:
 * Phi(s - z) + Phi(-s - z) = power, z = z(1 - alpha'/2), so s ~ z + z(power) (the second term,
 * rejecting in the wrong direction, changes n by about 1e-6; it is kept, as statsmodels'
 * NormalIndPower keeps it). The normal approximation of the two-sample test; reference: any
 * power-analysis text, e.g. Kohavi, Tang and Xu 2020, "Trustworthy Online Controlled Experiments",
 * ch. 17.
 * @example unitsPerArm({mean: 0.05, variance: 0.0475, mde: 0.1, alpha: 0.05, power: 0.8}) // 29825.66993543954
 */
export function unitsPerArm(o: {mean: number; variance: number; mde: number; alpha: number; power: number; comparisons?: number}): number {
  const s = detectableEffect(o.alpha / (o.comparisons ?? 1), o.power)
  const d = o.mde * o.mean
  return (s * s * 2 * o.variance) / (d * d)
}

/** The standardized effect s with Phi(s - z) + Phi(-s - z) = power, z = z(1 - alpha/2) (Newton from z + z(power)). */
export function detectableEffect(alpha: number, power: number): number {
  const z = normalQuantile(1 - alpha / 2)
  let s = z + normalQuantile(power)
  for (let i = 0; i < 50; i++) {
    const f = normalCdf(s - z) + normalCdf(-s - z) - power
    const step = f / (normalPdf(s - z) - normalPdf(s + z))
    s -= step
    if (Math.abs(step) < 1e-15 * s) break
  }
  return s
}

/**
 * The relative MDE detectable with `n` units per arm: the inverse of unitsPerArm.
 * @example relativeMde({mean: 0.05, variance: 0.0475, unitsPerArm: 29826, alpha: 0.05, power: 0.8}) // 0.09999944668163079
 */
export function relativeMde(o: {mean: number; variance: number; unitsPerArm: number; alpha: number; power: number; comparisons?: number}): number {
  const s = detectableEffect(o.alpha / (o.comparisons ?? 1), o.power)
  return (s * Math.sqrt((2 * o.variance) / o.unitsPerArm)) / Math.abs(o.mean)
}
