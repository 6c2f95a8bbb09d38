import jStat from 'jstat'

/**
 * Standard normal distribution to full double precision.
 *
 * normalCdf: Marsaglia's series Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/15 + ...) for |x| <= 3,
 * and the continued fraction Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))) in the tails
 * (Marsaglia 2004, "Evaluating the Normal Distribution", J. Stat. Softw. 11(4)).
 * normalQuantile: jStat's estimate refined by Halley steps on normalCdf.
 */

const INV_SQRT_2PI = 0.3989422804014327

export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x)
}

/** Upper tail Q(x) = P(Z > x) for x > 0 by Lentz's continued fraction. */
function upperTail(x: number): number {
  // Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...))))
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let k = 1; k < 500; k++) {
    d = x + k * d
    d = d === 0 ? tiny : 1 / d
    c = x + k / c
    if (c === 0) c = tiny
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return normalPdf(x) / f
}

/** P(Z <= x) for a standard normal Z. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x === Infinity) return 1
  if (x === -Infinity) return 0
  if (x > 3) return 1 - upperTail(x)
  if (x < -3) return upperTail(-x)
  let term = x
  let sum = x
  const x2 = x * x
  for (let k = 3; Math.abs(term) > 1e-17 * Math.abs(sum); k += 2) {
    term *= x2 / k
    sum += term
  }
  return 0.5 + normalPdf(x) * sum
}

/** The p-quantile of the standard normal, 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity
    if (p === 1) return Infinity
    return NaN
  }
  let x = jStat.normal.inv(p, 0, 1)
  for (let i = 0; i < 4; i++) {
    // e = Phi(x) - p, computed from the tail that keeps its digits
    const e = p <= 0.5 ? normalCdf(x) - p : 1 - p - upperTailOf(x)
    const u = e / normalPdf(x)
    const step = u / (1 + (x * u) / 2)
    x -= step
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break
  }
  return x
}

function upperTailOf(x: number): number {
  return x > 3 ? upperTail(x) : 1 - normalCdf(x)
}
