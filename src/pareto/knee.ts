import {Sense, toMinimization} from './dominance.js'

export interface Knee {
  /** row index of the knee point, or null when the frontier has none (see `reason`) */
  index: number | null
  /** its normalized distance from the line (plane) through the extremes, positive toward the ideal point */
  distance: number | null
  /**
   * the hyperplane measured from: through the extreme points, or (3+ objectives whose extremes do
   * not span one) through the unit points of the normalized box, sum of normalized values = 1
   */
  plane?: 'extremes' | 'unit'
  reason?: string
}

const EPS = 1e-12

/**
 * The knee of a frontier: the point farthest from the line through the two extreme points (in
 * 2-D), on the side of the ideal point, after normalizing each objective to [0, 1] over the
 * frontier (1 = the frontier's best value, 0 = its worst). In d dimensions the line becomes the
 * hyperplane through the d extreme points (the frontier point best in each objective; ties go to
 * the larger sum of normalized values, then the lower row), as in Das (1999), "On characterizing
 * the 'knee' of the Pareto curve based on normal-boundary intersection", Structural Optimization
 * 18; Deb & Gupta (2011), "Understanding knee points in bicriteria problems".
 *
 *   2-D: with normalized values u, distance(p) = (u_1(p) + u_2(p) - 1) / sqrt(2)
 *
 * Objectives constant over the frontier are left out. There is no knee (index null, with a
 * reason) when no frontier point lies strictly on the ideal side (a straight or concave
 * frontier, or only the two extremes). With 3+ varying objectives the extremes may not span a
 * hyperplane (one point is best in two objectives, common when objectives correlate); then the
 * distance is measured from the hyperplane sum_j u_j = 1 through the unit points of the
 * normalized box instead (`plane: 'unit'`), which in 2-D is the line through the extremes. A
 * frontier of one distinct point is its own knee (distance 0). Ties go to the lower row index.
 *
 * @param values row-major points, n rows of d objectives
 * @param frontier the frontier's row indexes (from `nonDominated`)
 * @example kneePoint(Float64Array.of(0, 1, 0.8, 0.8, 1, 0), 2, Int32Array.of(0, 1, 2), ['max', 'max']) // {index: 1, distance: 0.42426...}
 */
export function kneePoint(values: Float64Array, d: number, frontier: Int32Array, senses?: readonly Sense[]): Knee {
  if (frontier.length === 0) return {index: null, distance: null, reason: 'the frontier is empty'}
  const m = toMinimization(values, d, senses)
  const best = new Float64Array(d).fill(Infinity)
  const worst = new Float64Array(d).fill(-Infinity)
  for (const i of frontier)
    for (let j = 0; j < d; j++) {
      const v = m[i * d + j]
      if (v < best[j]) best[j] = v
      if (v > worst[j]) worst[j] = v
    }
  const J: number[] = []
  for (let j = 0; j < d; j++) if (worst[j] > best[j]) J.push(j)
  if (J.length === 0) return {index: Math.min(...frontier), distance: 0}
  const k = J.length
  const f = frontier.length
  // u[t * k + c]: normalized value of frontier point t in varying objective c (1 = best)
  const u = new Float64Array(f * k)
  for (let t = 0; t < f; t++)
    J.forEach((j, c) => {
      u[t * k + c] = (worst[j] - m[frontier[t] * d + j]) / (worst[j] - best[j])
    })
  const sum = (t: number) => {
    let s = 0
    for (let c = 0; c < k; c++) s += u[t * k + c]
    return s
  }
  // extremes: for each varying objective the point with u = 1 there
  const E = new Float64Array(k * k)
  for (let c = 0; c < k; c++) {
    let bestT = -1
    for (let t = 0; t < f; t++) {
      if (u[t * k + c] !== 1) continue
      if (bestT < 0 || sum(t) > sum(bestT) || (sum(t) === sum(bestT) && frontier[t] < frontier[bestT])) bestT = t
    }
    E.set(u.subarray(bestT * k, bestT * k + k), c * k)
  }
  // hyperplane a . u = 1 through the extremes, else through the unit points (a = 1)
  let a = solve(E, k)
  let plane: 'extremes' | 'unit' = 'extremes'
  let side = -1
  if (a !== null) for (let c = 0; c < k; c++) side += a[c]
  if (a === null || Math.abs(side) < EPS) {
    a = new Float64Array(k).fill(1)
    plane = 'unit'
    side = k - 1
  }
  let norm = 0
  for (let c = 0; c < k; c++) norm += a[c] * a[c]
  const sign = side > 0 ? 1 : -1
  norm = Math.sqrt(norm)
  let knee = -1
  let far = -Infinity
  for (let t = 0; t < f; t++) {
    let dot = -1
    for (let c = 0; c < k; c++) dot += a[c] * u[t * k + c]
    const dist = (sign * dot) / norm
    if (knee < 0 || dist > far + EPS || (dist >= far - EPS && frontier[t] < frontier[knee])) {
      knee = t
      far = dist
    }
  }
  if (!(far > EPS)) return {index: null, distance: null, plane, reason: `no frontier point lies beyond the ${k === 2 ? 'line' : 'plane'} through the ${plane === 'extremes' ? 'extremes' : 'normalized unit points'} toward the ideal point`}
  return {index: frontier[knee], distance: far, plane}
}

/** Solve E a = 1 (k x k, row-major) by Gaussian elimination with partial pivoting; null when singular. */
function solve(E: Float64Array, k: number): Float64Array | null {
  const A = Float64Array.from(E)
  const b = new Float64Array(k).fill(1)
  for (let c = 0; c < k; c++) {
    let piv = c
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r * k + c]) > Math.abs(A[piv * k + c])) piv = r
    if (Math.abs(A[piv * k + c]) < EPS) return null
    if (piv !== c) {
      for (let j = 0; j < k; j++) [A[c * k + j], A[piv * k + j]] = [A[piv * k + j], A[c * k + j]]
      ;[b[c], b[piv]] = [b[piv], b[c]]
    }
    for (let r = c + 1; r < k; r++) {
      const g = A[r * k + c] / A[c * k + c]
      if (g === 0) continue
      for (let j = c; j < k; j++) A[r * k + j] -= g * A[c * k + j]
      b[r] -= g * b[c]
    }
  }
  const x = new Float64Array(k)
  for (let c = k - 1; c >= 0; c--) {
    let s = b[c]
    for (let j = c + 1; j < k; j++) s -= A[c * k + j] * x[j]
    x[c] = s / A[c * k + c]
  }
  return x
}
