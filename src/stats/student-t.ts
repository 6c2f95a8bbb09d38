import jStat from 'jstat'
import {logBeta, regularizedBeta} from './beta.js'
import {normalCdf, normalPdf, normalQuantile} from './normal.js'

/**
 * Student's t distribution with nu > 0 degrees of freedom (nu need not be an integer; Welch's
 * nu rarely is), to about 1e-13 relative in the tails, for any nu up to Infinity (the normal).
 *
 *   P(T > |t|) = I_x(nu/2, 1/2) / 2,   x = nu / (nu + t^2)
 *
 * with the incomplete beta function of ./beta.ts. That continued fraction loses digits when nu is
 * large and x is close to 1, so for nu >= 1e4 and t^2 <= nu / 1000 the Cornish-Fisher expansion
 * of the quantile in powers of 1/nu (Abramowitz and Stegun 26.7.5, four terms; the next term is
 * below 1e-17 there) is used instead: t = z + g1(z)/nu + ... + g4(z)/nu^4, solved for z by
 * Newton's method, and P(T > t) = P(Z > z).
 * jStat's own t functions stop their continued fraction after 100 terms and are off by up to
 * 1e-8; here they only seed tQuantile. Cross-checked against mpmath at 40 digits (test/stats);
 * scipy 1.10's t.ppf is itself off by up to 1e-9.
 */

/** Degrees of freedom above which t is the standard normal to double precision. */
const NORMAL_NU = 1e20
/** Where the 1/nu expansion takes over from the continued fraction. */
const EXPANSION_NU = 1e4

function useExpansion(x: number, nu: number): boolean {
  return nu >= EXPANSION_NU && x * x <= nu * 1e-3
}

/** Cornish-Fisher: the t quantile whose normal deviate is z (A&S 26.7.5), and its derivative in z. */
function cornishFisher(z: number, nu: number): [number, number] {
  const z2 = z * z
  const g1 = (z * (z2 + 1)) / 4
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160
  const d1 = (3 * z2 + 1) / 4
  const d2 = ((25 * z2 + 48) * z2 + 3) / 96
  const d3 = (((21 * z2 + 95) * z2 + 51) * z2 - 15) / 384
  const d4 = ((((711 * z2 + 5432) * z2 + 7410) * z2 - 5760) * z2 - 945) / 92160
  const u = 1 / nu
  return [z + u * (g1 + u * (g2 + u * (g3 + u * g4))), 1 + u * (d1 + u * (d2 + u * (d3 + u * d4)))]
}

/** The normal deviate z whose Cornish-Fisher t quantile is t (t >= 0). */
function normalDeviateOf(t: number, nu: number): number {
  let z = t
  for (let i = 0; i < 20; i++) {
    const [tz, dz] = cornishFisher(z, nu)
    const step = (tz - t) / dz
    z -= step
    if (Math.abs(step) <= 1e-16 * Math.max(1, z)) break
  }
  return z
}

/** P(T > a) for a >= 0. */
function upperTail(a: number, nu: number): number {
  if (a === Infinity) return 0
  if (useExpansion(a, nu)) return normalCdf(-normalDeviateOf(a, nu))
  const t2 = a * a
  return 0.5 * regularizedBeta(nu / (nu + t2), nu / 2, 0.5, t2 / (nu + t2))
}

/**
 * P(T > t), the upper tail.
 * @example tSf(2.0, 10) // 0.03669401738537019
 */
export function tSf(t: number, nu: number): number {
  if (Number.isNaN(t) || !(nu > 0)) return NaN
  if (nu >= NORMAL_NU) return normalCdf(-t)
  return t >= 0 ? upperTail(t, nu) : 1 - upperTail(-t, nu)
}

/**
 * P(T <= t).
 * @example tCdf(2.0, 10) // 0.9633059826146299
 */
export function tCdf(t: number, nu: number): number {
  return tSf(-t, nu)
}

/**
 * Two-sided p-value P(|T| >= |t|).
 * @example tTwoSided(2.0, 10) // 0.07338803477074038
 */
export function tTwoSided(t: number, nu: number): number {
  if (Number.isNaN(t) || !(nu > 0)) return NaN
  if (nu >= NORMAL_NU) return Math.min(1, 2 * normalCdf(-Math.abs(t)))
  return Math.min(1, 2 * upperTail(Math.abs(t), nu))
}

/**
 * Density of t.
 * @example tPdf(0, 1) // 0.3183098861837907 (= 1/pi)
 */
export function tPdf(t: number, nu: number): number {
  if (nu >= NORMAL_NU) return normalPdf(t)
  return Math.exp(-logBeta(nu / 2, 0.5) - 0.5 * Math.log(nu) - ((nu + 1) / 2) * Math.log1p((t * t) / nu))
}

/**
 * The p-quantile of t, 0 < p < 1: the Cornish-Fisher expansion for large nu, else Newton steps on
 * tSf from jStat's estimate, each step kept inside the bracket found so far.
 * @example tQuantile(0.975, 10) // 2.228138851986274
 */
export function tQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1) || !(nu > 0)) {
    if (nu > 0 && p === 0) return -Infinity
    if (nu > 0 && p === 1) return Infinity
    return NaN
  }
  if (nu >= NORMAL_NU) return normalQuantile(p)
  if (p === 0.5) return 0
  // solve P(T > x) = q for x > 0, then use symmetry
  const q = p > 0.5 ? 1 - p : p
  const z = -normalQuantile(q)
  if (useExpansion(z * 1.01, nu)) {
    const x = cornishFisher(z, nu)[0]
    return p > 0.5 ? x : -x
  }
  let x = Math.abs(jStat.studentt.inv(1 - q, nu))
  if (!Number.isFinite(x) || x === 0) x = z
  let lo = 0
  let hi = Infinity
  for (let i = 0; i < 200; i++) {
    const f = upperTail(x, nu) - q
    if (f === 0) break
    if (f > 0) lo = x
    else hi = x
    let next = x + f / tPdf(x, nu)
    if (!(next > lo && next < hi)) next = hi === Infinity ? Math.max(2 * x, 1) : (lo + hi) / 2
    const done = Math.abs(next - x) <= 4e-16 * x
    x = next
    if (done) break
  }
  return p > 0.5 ? x : -x
}
