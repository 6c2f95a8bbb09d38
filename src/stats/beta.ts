import {logGamma} from './gamma.js'

/**
 * The log-beta function and the regularized incomplete beta function I_x(a, b), to about 1e-14
 * even when one parameter is huge (Student's t with millions of degrees of freedom).
 *
 * logBeta(a, b) = lnGamma(a) + lnGamma(b) - lnGamma(a + b); when the larger parameter is >= 10
 * the difference lnGamma(a) - lnGamma(a + b) is taken from Stirling's series directly, which
 * avoids subtracting two large nearly equal numbers.
 * I_x(a, b) is evaluated by its continued fraction (modified Lentz; Numerical Recipes 3rd ed.,
 * section 6.4), on I_x(a, b) or on 1 - I_{1-x}(b, a), whichever converges fast. The caller may
 * pass both x and y = 1 - x so that a tail close to 1 keeps its digits. Accuracy is about 1e-14;
 * when one parameter is very large (1e6 and more) and x lies close to the mean a / (a + b) the
 * continued fraction cancels and keeps only about 1e-16 * sqrt(a) (student-t.ts uses an
 * expansion there).
 */

/** Stirling's series remainder: lnGamma(z) - [(z - 1/2) ln z - z + ln sqrt(2 pi)], z >= 10. */
function stirlingCorrection(z: number): number {
  const z2 = 1 / (z * z)
  return (1 / z) * (1 / 12 - z2 * (1 / 360 - z2 * (1 / 1260 - z2 * (1 / 1680 - z2 * (1 / 1188 - z2 * (691 / 360360))))))
}

/**
 * ln B(a, b) for a, b > 0.
 * @example logBeta(2, 3) // -2.4849066497879986 (= ln(1/12))
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0 && b > 0)) return NaN
  const big = Math.max(a, b)
  const small = Math.min(a, b)
  if (big < 10) return logGamma(a) + logGamma(b) - logGamma(a + b)
  // lnGamma(big) - lnGamma(big + small) by Stirling:
  //   -(big - 1/2) ln(1 + small/big) - small ln(big + small) + small + corr(big) - corr(big + small)
  const diff = -(big - 0.5) * Math.log1p(small / big) - small * Math.log(big + small) + small + stirlingCorrection(big) - stirlingCorrection(big + small)
  return logGamma(small) + diff
}

const EPS = 1e-16
const TINY = 1e-300
const MAX_ITER = 1_000_000

/** The continued fraction of I_x(a, b) (without its prefactor). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return h
}

/**
 * The regularized incomplete beta function I_x(a, b) for 0 <= x <= 1, a, b > 0.
 * @param y 1 - x, when the caller knows it more precisely than 1 - x can be computed
 * @example regularizedBeta(0.5, 2, 3) // 0.6875
 */
export function regularizedBeta(x: number, a: number, b: number, y = 1 - x): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) return NaN
  if (x === 0) return 0
  if (y === 0) return 1
  // ln of x^a y^b / B(a, b), each logarithm from the side that keeps its digits
  const lnx = x > 0.5 ? Math.log1p(-y) : Math.log(x)
  const lny = y > 0.5 ? Math.log1p(-x) : Math.log(y)
  const front = Math.exp(a * lnx + b * lny - logBeta(a, b))
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a
  return 1 - (front * betaContinuedFraction(y, b, a)) / b
}

/**
 * 1 - I_x(a, b), computed directly (no cancellation when I_x(a, b) is close to 1).
 * @example regularizedBetaComplement(0.5, 2, 3) // 0.3125
 */
export function regularizedBetaComplement(x: number, a: number, b: number, y = 1 - x): number {
  return regularizedBeta(y, b, a, x)
}
