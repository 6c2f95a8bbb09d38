/**
 * Sufficient statistics of a ratio metric sum(Y) / sum(X) over the units of one group (an arm,
 * an arm on one day), with an optional covariate Z for CUPED. Second moments are kept centered
 * (sums of squared deviations from the group means), which keeps their digits when the values
 * are large and their spread small; they merge exactly by Chan, Golub and LeVeque's update
 * ("Algorithms for computing the sample variance", 1983). A mean metric is the case X = 1.
 *
 *   n, sumY, sumX, sumZ
 *   cYY = sum (y - ybar)^2,  cXX = sum (x - xbar)^2,  cXY = sum (x - xbar)(y - ybar)
 *   cZZ, cYZ, cXZ likewise (zero without a covariate)
 *
 * Sample (n - 1) moments are cYY / (n - 1) and so on.
 */
export interface Moments {
  n: number
  sumY: number
  sumX: number
  sumZ: number
  cYY: number
  cXX: number
  cXY: number
  cZZ: number
  cYZ: number
  cXZ: number
}

/** Raw power sums as a warehouse query returns them (the --stats columns). */
export interface RawSums {
  n: number
  sumY: number
  sumY2: number
  sumX: number
  sumX2: number
  sumXY: number
  sumZ?: number
  sumZ2?: number
  sumYZ?: number
  sumXZ?: number
}

/** No units. */
export function emptyMoments(): Moments {
  return {n: 0, sumY: 0, sumX: 0, sumZ: 0, cYY: 0, cXX: 0, cXY: 0, cZZ: 0, cYZ: 0, cXZ: 0}
}

/**
 * Centered moments from raw power sums: cYY = sumY2 - sumY^2 / n, and so on. Not clamped: sums
 * that no data could produce (sumY2 < sumY^2 / n) pass through, for the caller to reject.
 * @example momentsFromSums({n: 2, sumY: 3, sumY2: 5, sumX: 2, sumX2: 2, sumXY: 3}).cYY // 0.5
 */
export function momentsFromSums(s: RawSums): Moments {
  const n = s.n
  if (n === 0) return emptyMoments()
  const sumZ = s.sumZ ?? 0
  return {
    n,
    sumY: s.sumY,
    sumX: s.sumX,
    sumZ,
    cYY: s.sumY2 - (s.sumY * s.sumY) / n,
    cXX: s.sumX2 - (s.sumX * s.sumX) / n,
    cXY: s.sumXY - (s.sumX * s.sumY) / n,
    cZZ: (s.sumZ2 ?? 0) - (sumZ * sumZ) / n,
    cYZ: (s.sumYZ ?? 0) - (s.sumY * sumZ) / n,
    cXZ: (s.sumXZ ?? 0) - (s.sumX * sumZ) / n,
  }
}

/**
 * The moments of the union of two disjoint groups (Chan et al. 1983).
 * @example mergeMoments(momentsFromSums({n: 1, sumY: 1, sumY2: 1, sumX: 1, sumX2: 1, sumXY: 1}), momentsFromSums({n: 1, sumY: 3, sumY2: 9, sumX: 1, sumX2: 1, sumXY: 3})).cYY // 2
 */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.n === 0) return {...b}
  if (b.n === 0) return {...a}
  const n = a.n + b.n
  const f = (a.n * b.n) / n
  const dy = b.sumY / b.n - a.sumY / a.n
  const dx = b.sumX / b.n - a.sumX / a.n
  const dz = b.sumZ / b.n - a.sumZ / a.n
  return {
    n,
    sumY: a.sumY + b.sumY,
    sumX: a.sumX + b.sumX,
    sumZ: a.sumZ + b.sumZ,
    cYY: a.cYY + b.cYY + dy * dy * f,
    cXX: a.cXX + b.cXX + dx * dx * f,
    cXY: a.cXY + b.cXY + dx * dy * f,
    cZZ: a.cZZ + b.cZZ + dz * dz * f,
    cYZ: a.cYZ + b.cYZ + dy * dz * f,
    cXZ: a.cXZ + b.cXZ + dx * dz * f,
  }
}

/**
 * Moments of Y = scale * y[i], X = x[i] (1 when `x` is null) and Z = z[i] (0 when null) for each
 * group g in [0, groups), over rows i (all rows, or the listed ones), in two passes: sums first,
 * then centered products. No allocation per row.
 * @param group the group of each row (negative: skip the row)
 * @example groupMoments(Int32Array.of(0, 0, 1, 1), 2, Float64Array.of(1, 3, 2, 2), 1, null, null)[0].cYY // 2
 */
export function groupMoments(
  group: Int32Array,
  groups: number,
  y: Float64Array,
  scale: number,
  x: Float64Array | null,
  z: Float64Array | null,
  rows?: Int32Array,
): Moments[] {
  const n = new Float64Array(groups)
  const sy = new Float64Array(groups)
  const sx = new Float64Array(groups)
  const sz = new Float64Array(groups)
  const count = rows ? rows.length : group.length
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k] : k
    const g = group[i]
    if (g < 0) continue
    n[g]++
    sy[g] += scale * y[i]
    if (x !== null) sx[g] += x[i]
    if (z !== null) sz[g] += z[i]
  }
  const my = new Float64Array(groups)
  const mx = new Float64Array(groups)
  const mz = new Float64Array(groups)
  for (let g = 0; g < groups; g++) {
    if (n[g] === 0) continue
    if (x === null) sx[g] = n[g]
    my[g] = sy[g] / n[g]
    mx[g] = sx[g] / n[g]
    mz[g] = sz[g] / n[g]
  }
  const cyy = new Float64Array(groups)
  const cxx = new Float64Array(groups)
  const cxy = new Float64Array(groups)
  const czz = new Float64Array(groups)
  const cyz = new Float64Array(groups)
  const cxz = new Float64Array(groups)
  if (x === null && z === null) {
    for (let k = 0; k < count; k++) {
      const i = rows ? rows[k] : k
      const g = group[i]
      if (g < 0) continue
      const dy = scale * y[i] - my[g]
      cyy[g] += dy * dy
    }
  } else if (z === null) {
    const xs = x as Float64Array
    for (let k = 0; k < count; k++) {
      const i = rows ? rows[k] : k
      const g = group[i]
      if (g < 0) continue
      const dy = scale * y[i] - my[g]
      const dx = xs[i] - mx[g]
      cyy[g] += dy * dy
      cxx[g] += dx * dx
      cxy[g] += dx * dy
    }
  } else {
    for (let k = 0; k < count; k++) {
      const i = rows ? rows[k] : k
      const g = group[i]
      if (g < 0) continue
      const dy = scale * y[i] - my[g]
      const dx = x === null ? 0 : x[i] - mx[g]
      const dz = z[i] - mz[g]
      cyy[g] += dy * dy
      cxx[g] += dx * dx
      cxy[g] += dx * dy
      czz[g] += dz * dz
      cyz[g] += dy * dz
      cxz[g] += dx * dz
    }
  }
  const out: Moments[] = []
  for (let g = 0; g < groups; g++) {
    out.push({n: n[g], sumY: sy[g], sumX: sx[g], sumZ: sz[g], cYY: cyy[g], cXX: cxx[g], cXY: cxy[g], cZZ: czz[g], cYZ: cyz[g], cXZ: cxz[g]})
  }
  return out
}

/**
 * A column stored interleaved with others: value i is data[i * stride + offset]. Per-unit
 * accumulators of several columns are kept this way so that adding one row touches one cache
 * line instead of one per column.
 */
export interface Strided {
  data: Float64Array
  stride: number
  offset: number
}

/** A column for metricMoments: a plain array or a strided view. */
export type ColumnData = Float64Array | Strided

/** One metric for metricMoments: Y = scale * y, X = x (1 when null), Z = z (0 when null). */
export interface MetricColumns {
  y: ColumnData
  scale: number
  x: ColumnData | null
  z: ColumnData | null
}

type SumKernel = (group: Int32Array, rows: Int32Array | null, count: Float64Array, ...arrays: Float64Array[]) => void
type ProductKernel = (group: Int32Array, rows: Int32Array | null, ...arrays: Float64Array[]) => void
interface Kernels {
  sums: SumKernel
  products: ProductKernel
  /** one pass: count, sums of deviations from a shift, plain sums, and products of the deviations */
  shifted: ProductKernel
}
const kernels = new Map<string, Kernels>()

/**
 * The two passes of metricMoments for the given columns (each with its stride and offset) and
 * products of deviations, as code written out for that shape (a loop over a runtime list of
 * columns costs twice as much on 10M rows). Only integers (indexes, strides, offsets) enter the
 * generated source, never user text.
 */
function kernelsFor(layout: readonly [number, number][], pairs: readonly [number, number][]): Kernels {
  const key = `${layout.map((l) => l.join('.')).join(',')}:${pairs.map((p) => p.join('.')).join(',')}`
  let k = kernels.get(key)
  if (k) return k
  const cs = layout.map((_, c) => `c${c}`)
  const at = (c: number) => {
    const [stride, offset] = layout[c]
    const index = stride === 1 ? 'i' : `i * ${stride | 0}`
    return `c${c}[${index}${offset ? ` + ${offset | 0}` : ''}]`
  }
  const loop = (body: string) => `const total = rows === null ? group.length : rows.length;
for (let k = 0; k < total; k++) {
  const i = rows === null ? k : rows[k];
  const g = group[i];
  if (g < 0) continue;
  ${body}
}`
  const sumsBody = loop(`count[g]++;\n  ${cs.map((_, j) => `s${j}[g] += ${at(j)};`).join(' ')}`)
  const prodBody = loop(`${cs.map((_, j) => `const d${j} = ${at(j)} - m${j}[g];`).join(' ')}\n  ${pairs.map(([a, b], p) => `p${p}[g] += d${a} * d${b};`).join(' ')}`)
  const shiftBody = loop(`count[g]++;\n  ${cs.map((_, j) => `const v${j} = ${at(j)}; const d${j} = v${j} - m${j}[g]; s${j}[g] += d${j}; t${j}[g] += v${j};`).join(' ')}\n  ${pairs.map(([a, b], p) => `p${p}[g] += d${a} * d${b};`).join(' ')}`)
  const sums = new Function('group', 'rows', 'count', ...cs, ...cs.map((_, j) => `s${j}`), sumsBody) as SumKernel
  const products = new Function('group', 'rows', ...cs, ...cs.map((_, j) => `m${j}`), ...pairs.map((_, p) => `p${p}`), prodBody) as ProductKernel
  const shifted = new Function('group', 'rows', 'count', ...cs, ...cs.map((_, j) => `m${j}`), ...cs.map((_, j) => `s${j}`), ...cs.map((_, j) => `t${j}`), ...pairs.map((_, p) => `p${p}`), shiftBody) as ProductKernel
  k = {sums, products, shifted}
  kernels.set(key, k)
  return k
}

/** Rows sampled, evenly spread, to estimate each group's means for the shifted pass. */
const SHIFT_SAMPLES = 4096

/**
 * One pass of the shifted-data algorithm: deviations d = v - K from a per-group shift K (the mean
 * of up to SHIFT_SAMPLES rows spread evenly over the input), their sums and products; then
 * centred products = sum(d_a d_b) - sum(d_a) sum(d_b) / n. With K near the mean this loses
 * nothing against two passes (Chan, Golub and LeVeque 1983). The sums are the plain sums of v,
 * kept alongside: exact for whole numbers (counts), where sum(d) + n K is not (K is a fraction),
 * so a ratio of counts equals the ratio of the exact totals, as a warehouse's SUM gives it.
 */
function shiftedPass(k: Kernels, group: Int32Array, G: number, cols: Strided[], pairs: readonly [number, number][], rows: Int32Array | null): {count: Float64Array; sums: Float64Array[]; co: Float64Array[]; dev: Float64Array[]} {
  const total = rows === null ? group.length : rows.length
  const seen = new Float64Array(G)
  const shift = cols.map(() => new Float64Array(G))
  const step = Math.max(1, Math.floor(total / SHIFT_SAMPLES))
  for (let q = 0; q < total; q += step) {
    const i = rows === null ? q : rows[q]
    const g = group[i]
    if (g < 0) continue
    seen[g]++
    cols.forEach((c, j) => (shift[j][g] += c.data[i * c.stride + c.offset]))
  }
  for (const sh of shift) for (let g = 0; g < G; g++) if (seen[g] > 0) sh[g] /= seen[g]
  const count = new Float64Array(G)
  const dev = cols.map(() => new Float64Array(G))
  const sums = cols.map(() => new Float64Array(G))
  const co = pairs.map(() => new Float64Array(G))
  k.shifted(group, rows, count, ...cols.map((c) => c.data), ...shift, ...dev, ...sums, ...co)
  pairs.forEach(([a, b], p) => {
    for (let g = 0; g < G; g++) if (count[g] > 0) co[p][g] -= (dev[a][g] * dev[b][g]) / count[g]
  })
  return {count, sums, co, dev}
}

/**
 * Whether every shift was within 100 standard deviations of its group mean, so the shifted sums
 * kept at least 12 of their 16 digits; otherwise (a group absent from the sample, or a file whose
 * first rows look nothing like the rest) metricMoments redoes the exact two passes.
 */
function shiftWasClose(count: Float64Array, dev: Float64Array[], co: Float64Array[], pairs: readonly [number, number][]): boolean {
  for (let j = 0; j < dev.length; j++) {
    const p = pairs.findIndex(([a, b]) => a === j && b === j)
    if (p < 0) continue
    for (let g = 0; g < count.length; g++) {
      const n = count[g]
      if (n === 0) continue
      const off = dev[j][g] / n // mean - shift
      if (off * off * n > 1e4 * Math.max(co[p][g], 0) && off !== 0) return false
    }
  }
  return true
}

/**
 * groupMoments for several metrics at once, sharing their columns: every distinct column and every
 * needed product of deviations is accumulated in one pass over the rows (the shifted-data
 * algorithm, with a guarded fallback to two exact passes), so k metrics over c columns cost one
 * pass instead of 2k. Returns
 * moments[metric][group], equal to groupMoments per metric up to rounding (scales are applied to
 * the column moments afterwards). Columns may be strided views of one interleaved array.
 * @example metricMoments(Int32Array.of(0, 0, 1, 1), 2, [{y: Float64Array.of(1, 3, 2, 2), scale: 1, x: null, z: null}])[0][0].cYY // 2
 */
export function metricMoments(group: Int32Array, groups: number, metrics: readonly MetricColumns[], rows?: Int32Array): Moments[][] {
  const cols: Strided[] = []
  const colOf = (c: ColumnData) => {
    const v = c instanceof Float64Array ? {data: c, stride: 1, offset: 0} : c
    const k = cols.findIndex((o) => o.data === v.data && o.stride === v.stride && o.offset === v.offset)
    return k >= 0 ? k : cols.push(v) - 1
  }
  const pairs: [number, number][] = []
  const pairOf = (i: number, j: number) => {
    const a = Math.min(i, j)
    const b = Math.max(i, j)
    const k = pairs.findIndex((p) => p[0] === a && p[1] === b)
    return k >= 0 ? k : pairs.push([a, b]) - 1
  }
  const plan = metrics.map((m) => {
    const y = colOf(m.y)
    const x = m.x ? colOf(m.x) : -1
    const z = m.z ? colOf(m.z) : -1
    return {
      y,
      x,
      z,
      yy: pairOf(y, y),
      xx: x >= 0 ? pairOf(x, x) : -1,
      xy: x >= 0 ? pairOf(x, y) : -1,
      zz: z >= 0 ? pairOf(z, z) : -1,
      yz: z >= 0 ? pairOf(y, z) : -1,
      xz: x >= 0 && z >= 0 ? pairOf(x, z) : -1,
    }
  })
  const G = groups
  const k = kernelsFor(
    cols.map((c) => [c.stride, c.offset]),
    pairs,
  )
  const data = cols.map((c) => c.data)
  const first = shiftedPass(k, group, G, cols, pairs, rows ?? null)
  let {count, sums, co} = first
  if (!shiftWasClose(count, first.dev, co, pairs)) {
    // exact two passes: sums, then products of deviations from the group means
    count = new Float64Array(G)
    sums = cols.map(() => new Float64Array(G))
    k.sums(group, rows ?? null, count, ...data, ...sums)
    const means = sums.map((v) => v.map((x, g) => (count[g] > 0 ? x / count[g] : 0)))
    co = pairs.map(() => new Float64Array(G))
    k.products(group, rows ?? null, ...data, ...means, ...co)
  }
  return plan.map((m, mi) => {
    const s = metrics[mi].scale
    const out: Moments[] = []
    for (let g = 0; g < G; g++) {
      const n = count[g]
      out.push({
        n,
        sumY: s * sums[m.y][g],
        sumX: m.x >= 0 ? sums[m.x][g] : n,
        sumZ: m.z >= 0 ? sums[m.z][g] : 0,
        cYY: s * s * co[m.yy][g],
        cXX: m.xx >= 0 ? co[m.xx][g] : 0,
        cXY: m.xy >= 0 ? s * co[m.xy][g] : 0,
        cZZ: m.zz >= 0 ? co[m.zz][g] : 0,
        cYZ: m.yz >= 0 ? s * co[m.yz][g] : 0,
        cXZ: m.xz >= 0 ? co[m.xz][g] : 0,
      })
    }
    return out
  })
}
