/**
 * Welch-Satterthwaite degrees of freedom for the difference of two independent estimates with
 * variances vA (from nA units) and vB (from nB units):
 *
 *   nu = (vA + vB)^2 / (vA^2 / (nA - 1) + vB^2 / (nB - 1))
 *
 * Reference: Welch 1947; Satterthwaite 1946. With vA = sA^2 / nA this is the usual Welch t-test.
 * @example welchDf(1 / 10, 10, 4 / 20, 20) // 27.981818181818184
 */
export function welchDf(vA: number, nA: number, vB: number, nB: number): number {
  const num = (vA + vB) * (vA + vB)
  const den = (vA * vA) / (nA - 1) + (vB * vB) / (nB - 1)
  return num / den
}
