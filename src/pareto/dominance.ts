/**
 * Non-dominated (Pareto) sets.
 *
 * Point a dominates point b when a is at least as good as b in every objective and strictly
 * better in at least one. The non-dominated set (the frontier) is every point that no other point
 * dominates; points with identical objective values do not dominate each other, so duplicates of a
 * frontier point are all on the frontier.
 *
 * Points are rows of a row-major Float64Array (n rows of d objectives). Each objective is
 * maximised or minimised (`senses`); internally everything is turned into minimisation.
 *
 * Method: sort the points lexicographically (a dominator always sorts before the points it
 * dominates), collapse identical points, then sweep: 2-D keeps the running minimum of the second
 * objective, 3-D a Fenwick tree of prefix minima of the third objective over ranks of the second
 * (both O(n log n)); 4-D and up compares each point with the frontier found so far
 * (O(n * frontier * d)). Reference: Kung, Luccio & Preparata (1975), "On finding the maxima of a
 * set of vectors", J. ACM 22(4).
 */

import {sortFloat64} from '../metrics/radix-sort.js'

export type Sense = 'max' | 'min'

/** The objective values with maximised objectives negated, so that smaller is better in every one. */
export function toMinimization(values: Float64Array, d: number, senses?: readonly Sense[]): Float64Array {
  checkShape('toMinimization', values, d, senses)
  const m = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v)) throw new RangeError(`toMinimization: values must be finite, got ${v} at row ${Math.floor(i / d)}`)
    m[i] = senses !== undefined && senses[i % d] === 'max' ? -v : v
  }
  return m
}

function checkShape(fn: string, values: Float64Array, d: number, senses?: readonly Sense[]): void {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`${fn}: d must be a positive integer, got ${d}`)
  if (values.length % d !== 0) throw new RangeError(`${fn}: values length ${values.length} is not a multiple of d = ${d}`)
  if (senses !== undefined && senses.length !== d) throw new RangeError(`${fn}: ${senses.length} senses for ${d} objectives`)
}

/**
 * The frontier: 0-based indexes (ascending) of the points no other point dominates.
 *
 * @param values row-major points, n rows of d objectives
 * @param d number of objectives
 * @param senses 'max' or 'min' per objective (default: all 'min')
 * @returns ascending row indexes of the non-dominated points, identical points all kept
 * @throws RangeError when the shape does not fit or a value is not finite
 * @example nonDominated(Float64Array.of(1, 2, 2, 1, 5, 6, 7, 5), 2, ['max', 'min']) // Int32Array [1, 3]
 */
export function nonDominated(values: Float64Array, d: number, senses?: readonly Sense[]): Int32Array {
  return nonDominatedMin(toMinimization(values, d, senses), d, true)
}

/** Does row a of `m` (minimisation) dominate row b? */
export function dominatesMin(m: Float64Array, d: number, a: number, b: number): boolean {
  let strict = false
  for (let j = 0; j < d; j++) {
    const x = m[a * d + j]
    const y = m[b * d + j]
    if (x > y) return false
    if (x < y) strict = true
  }
  return strict
}

/**
 * Row indexes of `m` in lexicographic order of their values (ties by row index). A stable radix
 * sort on the first objective does the bulk; only runs tied in it are compared further.
 */
export function lexOrder(m: Float64Array, d: number): Int32Array {
  const n = m.length / d
  const order = new Int32Array(n)
  if (n < 2048) {
    for (let i = 0; i < n; i++) order[i] = i
    return order.sort(compareRows(m, d))
  }
  const keys = new Float64Array(n)
  for (let i = 0; i < n; i++) keys[i] = m[i * d]
  order.set(orderBy(keys))
  if (d === 1) return order
  const cmp = compareRows(m, d)
  for (let s = 0; s < n; ) {
    let e = s + 1
    while (e < n && keys[e] === keys[s]) e++
    if (e - s > 1) order.subarray(s, e).sort(cmp)
    s = e
  }
  return order
}

/**
 * Indexes that sort `keys` ascending, ties in index order (a stable radix sort; `keys` is sorted
 * in place as a side effect).
 */
export function orderBy(keys: Float64Array): Int32Array {
  const n = keys.length
  const idx = new Float64Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  sortFloat64(keys, undefined, idx)
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = idx[i]
  return out
}

function compareRows(m: Float64Array, d: number): (a: number, b: number) => number {
  return (a, b) => {
    const oa = a * d
    const ob = b * d
    for (let j = 0; j < d; j++) {
      const diff = m[oa + j] - m[ob + j]
      if (diff !== 0) return diff
    }
    return a - b
  }
}

function sameRow(m: Float64Array, d: number, a: number, b: number): boolean {
  for (let j = 0; j < d; j++) if (m[a * d + j] !== m[b * d + j]) return false
  return true
}

/**
 * Non-dominated rows of `m`, every objective minimised (see `toMinimization`).
 * With `keepDuplicates` every row of a non-dominated point is returned; without it, one row per
 * distinct non-dominated point (the first in file order). Indexes are ascending either way.
 */
export function nonDominatedMin(m: Float64Array, d: number, keepDuplicates: boolean): Int32Array {
  checkShape('nonDominatedMin', m, d)
  const n = m.length / d
  if (n === 0) return new Int32Array(0)
  const order = lexOrder(m, d)
  // distinct points in lexicographic order: reps[u] is the first row of group u (rows order[groupStart[u] .. groupStart[u+1]))
  const groupStart = new Int32Array(n + 1)
  let u = 0
  for (let k = 0; k < n; k++) if (k === 0 || !sameRow(m, d, order[k - 1], order[k])) groupStart[u++] = k
  groupStart[u] = n
  const groups = u
  const keep = new Uint8Array(groups)
  const rep = (g: number) => order[groupStart[g]]
  if (d === 1) keep[0] = 1
  else if (d === 2) {
    let best = Infinity
    for (let g = 0; g < groups; g++) {
      const y = m[rep(g) * 2 + 1]
      if (y < best) {
        keep[g] = 1
        best = y
      }
    }
  } else if (d === 3) sweep3(m, groups, rep, keep)
  else {
    const front: number[] = []
    for (let g = 0; g < groups; g++) {
      const p = rep(g)
      let dominated = false
      for (const f of front)
        if (dominatesMin(m, d, f, p)) {
          dominated = true
          break
        }
      if (!dominated) {
        front.push(p)
        keep[g] = 1
      }
    }
  }
  let count = 0
  for (let g = 0; g < groups; g++) if (keep[g]) count += keepDuplicates ? groupStart[g + 1] - groupStart[g] : 1
  const out = new Int32Array(count)
  let o = 0
  for (let g = 0; g < groups; g++) {
    if (!keep[g]) continue
    if (keepDuplicates) for (let k = groupStart[g]; k < groupStart[g + 1]; k++) out[o++] = order[k]
    else out[o++] = rep(g)
  }
  return out.sort()
}

/**
 * 3-D sweep over distinct points in lexicographic order: a point is dominated exactly when an
 * earlier point has second and third objectives <= its own, i.e. when the minimum third objective
 * over earlier points with second objective <= its own is <= its third objective.
 */
function sweep3(m: Float64Array, groups: number, rep: (g: number) => number, keep: Uint8Array): void {
  const ys = new Float64Array(groups)
  for (let g = 0; g < groups; g++) ys[g] = m[rep(g) * 3 + 1]
  const sortedY = ys.slice().sort()
  const fen = new Float64Array(groups + 1).fill(Infinity)
  for (let g = 0; g < groups; g++) {
    const p = rep(g)
    const z = m[p * 3 + 2]
    // 1-based rank of the last sorted y equal to ys[g]
    let lo = 0
    let hi = groups
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (sortedY[mid] <= ys[g]) lo = mid + 1
      else hi = mid
    }
    let best = Infinity
    for (let r = lo; r > 0; r -= r & -r) if (fen[r] < best) best = fen[r]
    if (best > z) keep[g] = 1
    for (let r = lo; r <= groups; r += r & -r) if (z < fen[r]) fen[r] = z
  }
}
