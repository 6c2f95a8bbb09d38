import {normalCdf} from './normal.js'

export interface MarginZTest {
  /** the standard error of the difference, sqrt(se_a^2 + se_b^2) */
  se: number
  /** (difference - margin) / se; +Infinity when se is 0 and the difference exceeds the margin */
  z: number
  /** one-sided: P(Z >= z) under H0 */
  p_value: number
}

/**
 * One-sided z-test that a difference of two independent estimates exceeds a margin.
 *
 * H0: the true difference is at most `margin`; H1: it is larger. With estimates of standard
 * errors se_a and se_b of the two sides, se = sqrt(se_a^2 + se_b^2), z = (difference - margin) / se
 * and p = 1 - Phi(z) (normal approximation, e.g. DeLong's for AUC). Independence is assumed:
 * for two results on the same rows, whose errors are positively correlated, se is an
 * overestimate and the test conservative (a paired test, such as `auc --ci`'s DeLong
 * comparison, is sharper there).
 *
 * Reference: Wellek, Testing Statistical Hypotheses of Equivalence and Noninferiority (2010), ch. 2
 * (non-inferiority test against a margin).
 *
 * @param difference the estimated difference (e.g. baseline - candidate for a drop)
 * @param margin the tolerated difference
 * @param seA standard error of one side (>= 0)
 * @param seB standard error of the other side (>= 0)
 * @throws Error when a standard error is negative or not finite
 * @example marginZTest(0.03, 0.01, 0.006, 0.008) // {se: 0.01, z: 2, p_value: 0.0227501319481792}
 */
export function marginZTest(difference: number, margin: number, seA: number, seB: number): MarginZTest {
  if (!(seA >= 0 && seB >= 0 && Number.isFinite(seA) && Number.isFinite(seB))) throw new Error(`marginZTest: standard errors must be finite and >= 0, got ${seA} and ${seB}`)
  const se = Math.hypot(seA, seB)
  const excess = difference - margin
  const z = se > 0 ? excess / se : excess > 0 ? Infinity : excess < 0 ? -Infinity : 0
  return {se, z, p_value: se > 0 || excess !== 0 ? normalCdf(-z) : 0.5}
}
