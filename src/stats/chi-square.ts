import {gammaQ} from './gamma.js'

/**
 * Upper tail P(X > x) of the chi-square distribution with k degrees of freedom:
 * Q(k/2, x/2), the regularized upper incomplete gamma function.
 * @example chiSquareSf(3.841458820694124, 1) // 0.05000000000000011
 */
export function chiSquareSf(x: number, k: number): number {
  if (!(k > 0)) return NaN
  if (x <= 0) return 1
  return gammaQ(k / 2, x / 2)
}
