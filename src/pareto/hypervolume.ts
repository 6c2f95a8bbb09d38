import {lexOrder, nonDominatedMin, orderBy, Sense, toMinimization} from './dominance.js'
import {RankSet} from './rank-set.js'

/**
 * Hypervolume (the S-metric): the Lebesgue measure of the region of objective space that the
 * points dominate and that is bounded by the reference point `ref`,
 *
 *   HV(P, r) = vol( union over p in P of the box between p and r )
 *
 * Only points strictly better than `ref` in every objective count; any other point is left out
 * (it bounds no volume, or lies beyond the reference). Exact methods, by dimension:
 *
 * - 1-D: |r - best|.
 * - 2-D: sort by the first objective and sum the slabs of the staircase, O(n log n).
 * - 3-D: HV3D dimension sweep (Fonseca, Paquete & López-Ibáñez 2006, "An improved
 *   dimension-sweep algorithm for the hypervolume indicator", IEEE CEC): points by the third
 *   objective, the 2-D staircase of the points seen so far kept in a rank set keyed by the first
 *   objective, its area updated by the exact increment of each insertion, O(n log n).
 * - 4-D and up: WFG (While, Bradstreet & Barone 2012, "A fast way of calculating exact
 *   hypervolumes", IEEE TEC 16(1)): the sum of exclusive contributions, each the box of a point
 *   minus the hypervolume of its limit set (the earlier points pushed back to it); with points
 *   sorted by the last objective the limit set lives in d-1 dimensions, so the recursion ends in
 *   the 3-D sweep.
 *
 * @param values row-major points, n rows of d objectives
 * @param d number of objectives
 * @param ref the reference point, one value per objective
 * @param senses 'max' or 'min' per objective (default: all 'min')
 * @returns the hypervolume (0 when no point is strictly better than `ref`)
 * @throws RangeError when the shape does not fit or a value is not finite
 * @example hypervolume(Float64Array.of(0, 2, 1, 1, 2, 0), 2, [3, 3]) // 6
 */
export function hypervolume(values: Float64Array, d: number, ref: readonly number[], senses?: readonly Sense[]): number {
  return hypervolumeOf(values, d, ref, senses).hypervolume
}

/** The hypervolume and how many points (rows) were strictly better than `ref` in every objective. */
export function hypervolumeOf(values: Float64Array, d: number, ref: readonly number[], senses?: readonly Sense[]): {hypervolume: number; used: number} {
  if (ref.length !== d) throw new RangeError(`hypervolume: ref has ${ref.length} values for ${d} objectives`)
  for (const r of ref) if (!Number.isFinite(r)) throw new RangeError(`hypervolume: ref values must be finite, got ${r}`)
  const m = toMinimization(values, d, senses)
  const r = Float64Array.from(ref, (v, j) => (senses !== undefined && senses[j] === 'max' ? -v : v))
  const n = m.length / d
  let used = 0
  const inside = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    let ok = true
    for (let j = 0; j < d; j++)
      if (!(m[i * d + j] < r[j])) {
        ok = false
        break
      }
    if (ok) {
      inside[i] = 1
      used++
    }
  }
  const p = new Float64Array(used * d)
  for (let i = 0, k = 0; i < n; i++) if (inside[i]) p.set(m.subarray(i * d, i * d + d), d * k++)
  return {hypervolume: hvMin(p, d, r), used}
}

/**
 * Hypervolume of minimisation points that are all strictly below `r` in every objective.
 * Dominated and duplicate points are allowed.
 */
export function hvMin(p: Float64Array, d: number, r: Float64Array): number {
  const n = p.length / d
  if (n === 0) return 0
  if (d === 1) {
    let best = Infinity
    for (let i = 0; i < n; i++) if (p[i] < best) best = p[i]
    return r[0] - best
  }
  if (d === 2) return hv2(p, r[0], r[1])
  if (d === 3) return hv3(p, r[0], r[1], r[2])
  return wfg(p, d, r)
}

/** 2-D staircase: by x ascending, each point that lowers the running minimum of y adds a slab. */
function hv2(p: Float64Array, rx: number, ry: number): number {
  const order = lexOrder(p, 2)
  let area = 0
  let y = ry
  for (let k = 0; k < order.length; k++) {
    const i = order[k]
    const py = p[2 * i + 1]
    if (py < y) {
      area += (rx - p[2 * i]) * (y - py)
      y = py
    }
  }
  return area
}

/**
 * HV3D: sweep the points by z ascending; between consecutive z values the dominated region has
 * the constant cross-section of the 2-D staircase of the points seen so far. The staircase is
 * stored by rank in (x, y) lexicographic order, so a point's predecessor has x <= its x and its
 * successors x >= its x. Inserting a point adds the area between it and the old staircase, a sum
 * of non-negative rectangles, so the area never suffers cancellation.
 */
function hv3(p: Float64Array, rx: number, ry: number, rz: number): number {
  const n = p.length / 3
  const zs = new Float64Array(n)
  for (let i = 0; i < n; i++) zs[i] = p[3 * i + 2]
  const byZ = orderBy(zs)
  const xy = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    xy[2 * i] = p[3 * i]
    xy[2 * i + 1] = p[3 * i + 1]
  }
  const byX = lexOrder(xy, 2)
  const rank = new Int32Array(n)
  const xs = new Float64Array(n)
  const ys = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    rank[byX[k]] = k
    xs[k] = xy[2 * byX[k]]
    ys[k] = xy[2 * byX[k] + 1]
  }
  const stair = new RankSet(n)
  let area = 0
  let volume = 0
  let z = p[3 * byZ[0] + 2]
  for (let k = 0; k < n; k++) {
    const i = byZ[k]
    const pz = p[3 * i + 2]
    volume += area * (pz - z)
    z = pz
    const rp = rank[i]
    const px = xs[rp]
    const py = ys[rp]
    const q = stair.predecessor(rp)
    if (q >= 0 && ys[q] <= py) continue // dominated in (x, y) by a point already in the staircase
    // the height covered above px before this point: the predecessor's y, else the reference
    let coveredY = q >= 0 ? ys[q] : ry
    let left = px
    let s = stair.successor(rp)
    while (s >= 0 && ys[s] >= py) {
      // s is dominated by the new point: the strip [left, x_s) gains height coveredY - py
      area += (xs[s] - left) * (coveredY - py)
      left = xs[s]
      coveredY = ys[s]
      const next = stair.successor(s)
      stair.delete(s)
      s = next
    }
    area += ((s >= 0 ? xs[s] : rx) - left) * (coveredY - py)
    stair.add(rp)
  }
  volume += area * (rz - z)
  return volume
}

/**
 * WFG with the points sorted by the last objective ascending: point k's exclusive contribution
 * against the points before it is (r_last - p_k,last) times the (d-1)-dimensional volume of its
 * box minus the volume of its limit set {max(p_i, p_k) : i < k} projected to the first d-1
 * objectives (every limit point has last objective p_k,last). Limit sets are reduced to their
 * distinct non-dominated points before recursing.
 */
function wfg(p: Float64Array, d: number, r: Float64Array): number {
  const distinct = nonDominatedMin(p, d, false)
  const n = distinct.length
  const last = d - 1
  const lastValues = new Float64Array(n)
  for (let k = 0; k < n; k++) lastValues[k] = p[distinct[k] * d + last]
  const order = orderBy(lastValues).map((k) => distinct[k])
  const pts = new Float64Array(n * d)
  for (let k = 0; k < n; k++) pts.set(p.subarray(order[k] * d, order[k] * d + d), k * d)
  const e = d - 1
  const rr = r.subarray(0, e)
  const limit = new Float64Array(n * e)
  let total = 0
  for (let k = 0; k < n; k++) {
    const ok = k * d
    let box = 1
    for (let j = 0; j < e; j++) box *= r[j] - pts[ok + j]
    for (let i = 0; i < k; i++) {
      const oi = i * d
      for (let j = 0; j < e; j++) {
        const a = pts[oi + j]
        const b = pts[ok + j]
        limit[i * e + j] = a > b ? a : b
      }
    }
    const lim = limit.subarray(0, k * e)
    const kept = k > 1 ? nonDominatedMin(lim, e, false) : null
    let inner: number
    if (kept === null || kept.length === k) inner = hvMin(lim, e, rr)
    else {
      const reduced = new Float64Array(kept.length * e)
      for (let t = 0; t < kept.length; t++) reduced.set(lim.subarray(kept[t] * e, kept[t] * e + e), t * e)
      inner = hvMin(reduced, e, rr)
    }
    total += (r[last] - pts[ok + last]) * (box - inner)
  }
  return total
}
