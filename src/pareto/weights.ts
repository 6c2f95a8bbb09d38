/**
 * Weight grids on the probability simplex: every vector (a_1/s, ..., a_k/s) whose numerators are
 * non-negative integers summing to s (the weak compositions of s into k parts). There are
 * C(s + k - 1, k - 1) of them; each weight is the double nearest to a_i / s, so the vertices are
 * exactly 0 and 1 and no point is lost to floating-point accumulation (the grid is built from
 * integers, not by stepping a float).
 *
 * Order: lexicographically descending in the numerators, so the first point puts all weight on
 * the first task and the last all weight on the last.
 * Reference: https://en.wikipedia.org/wiki/Composition_(combinatorics)
 */
export interface WeightGrid {
  /** number of tasks (weights per point) */
  k: number
  steps: number
  /** number of grid points */
  count: number
  /** integer numerators, row-major: point g has parts[g * k .. g * k + k), summing to steps */
  parts: Int32Array
  /** parts / steps */
  weights: Float64Array
}

/** C(steps + k - 1, k - 1), the number of grid points (Infinity past 2^53). */
export function gridSize(k: number, steps: number): number {
  let c = 1
  for (let i = 1; i < k; i++) c = (c * (steps + i)) / i
  return Math.round(c)
}

/**
 * @param k number of tasks, >= 1
 * @param steps grid resolution s, a positive integer: weights are multiples of 1/s
 * @throws RangeError when k or steps is not a positive integer
 * @example weightGrid(2, 2).weights // Float64Array [1, 0, 0.5, 0.5, 0, 1]
 */
export function weightGrid(k: number, steps: number): WeightGrid {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`weightGrid: k must be a positive integer, got ${k}`)
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`weightGrid: steps must be a positive integer, got ${steps}`)
  const count = gridSize(k, steps)
  const parts = new Int32Array(count * k)
  const cur = new Int32Array(k)
  let g = 0
  const fill = (j: number, left: number) => {
    if (j === k - 1) {
      cur[j] = left
      parts.set(cur, g++ * k)
      return
    }
    for (let a = left; a >= 0; a--) {
      cur[j] = a
      fill(j + 1, left - a)
    }
  }
  fill(0, steps)
  const weights = new Float64Array(count * k)
  for (let i = 0; i < parts.length; i++) weights[i] = parts[i] / steps
  return {k, steps, count, parts, weights}
}
