/**
 * Sample quantile of sorted values by linear interpolation between order statistics (R's
 * default, `quantile(x, type = 7)`, and numpy's default): with h = (n - 1) p,
 *
 *   Q(p) = x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])   (0-based x)
 *
 * Reference: Hyndman & Fan (1996), "Sample quantiles in statistical packages", definition 7.
 * @param sorted values in ascending order
 * @param p probability in [0, 1]
 * @returns the quantile, or NaN for an empty array
 * @throws when p is outside [0, 1]
 * @example quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error('quantileSorted: p must be in [0, 1]')
  const n = sorted.length
  if (n === 0) return NaN
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, n - 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

/**
 * The q-quantile of a sample by linear interpolation between order statistics, numpy's default
 * (`np.quantile(x, q)`, method "linear", Hyndman and Fan type 7), bit for bit:
 *
 *   h = (n - 1) q,   lo = floor(h),  g = h - lo
 *   Q = x_(lo) + g (x_(lo+1) - x_(lo))   (numpy's form b - (b - a)(1 - g) when g >= 0.5)
 *
 * with x_(0) <= ... <= x_(n-1). The two order statistics come from orderStatistics: O(n), and
 * without copying a large input. The input is not modified. NaN for an empty sample.
 * @example quantileLinear(Float64Array.of(1, 2, 3, 4), 0.999) // 3.997
 */
export function quantileLinear(values: Float64Array, q: number): number {
  const n = values.length
  if (n === 0) return NaN
  const {lo, hi, g} = quantileRanks(n, q)
  const [xa, xb] = orderStatistics(values, lo, hi)
  return interpolateRanks(xa, xb, g)
}

/**
 * The two order statistics (0-based ranks lo <= hi <= lo + 1) and the weight g between them that
 * quantileLinear interpolates for the q-quantile of n values: h = (n - 1) q, lo = floor(h).
 * For an engine that finds the order statistics itself (receval ab --engine duckdb).
 * @example quantileRanks(4, 0.999) // {lo: 2, hi: 3, g: 0.997}
 */
export function quantileRanks(n: number, q: number): {lo: number; hi: number; g: number} {
  const h = (n - 1) * q
  let lo = Math.floor(h)
  if (lo < 0) lo = 0
  if (lo > n - 1) lo = n - 1
  return {lo, hi: Math.min(lo + 1, n - 1), g: h - Math.floor(h)}
}

/**
 * quantileLinear's interpolation between the order statistics xa <= xb with weight g, in numpy's
 * form (b - (b - a)(1 - g) when g >= 0.5), bit for bit.
 * @example interpolateRanks(3, 4, 0.997) // 3.997
 */
export function interpolateRanks(xa: number, xb: number, g: number): number {
  const diff = xb - xa
  return g >= 0.5 ? xb - diff * (1 - g) : xa + diff * g
}

/** Inputs up to this size are copied and quickselected; larger ones are narrowed by histograms. */
const COPY_LIMIT = 1 << 20
const BINS = 1 << 16

/**
 * The k1-th and k2-th smallest values (0-based, k1 <= k2 <= k1 + 1) of `values`, not modified.
 * Small inputs: quickselect on a copy. Large ones: count the values of the current range [lo, hi]
 * into 65536 equal-width bins (keeping each bin's min and max), narrow the range to the bins that
 * hold the two ranks, and repeat until they hold at most 2^20 values, which are then copied and
 * selected; each pass divides the range by about 65536, and a range of equal values ends at once.
 * Memory stays O(bins + 2^20) instead of a copy of the input.
 * @example orderStatistics(Float64Array.of(5, 1, 4, 2, 3), 1, 2) // [2, 3]
 */
export function orderStatistics(values: Float64Array, k1: number, k2: number): [number, number] {
  const n = values.length
  if (n <= COPY_LIMIT) return selectPair(values.slice(), k1, k2)
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  const counts = new Float64Array(BINS)
  const binMin = new Float64Array(BINS)
  const binMax = new Float64Array(BINS)
  let below = 0 // values < lo
  for (;;) {
    if (lo === hi) return [lo, lo]
    counts.fill(0)
    binMin.fill(Infinity)
    binMax.fill(-Infinity)
    const scale = BINS / (hi - lo)
    let inRange = 0
    below = 0
    for (let i = 0; i < n; i++) {
      const v = values[i]
      if (v < lo) below++
      else if (v <= hi) {
        let b = Math.floor((v - lo) * scale)
        if (b >= BINS) b = BINS - 1
        counts[b]++
        if (v < binMin[b]) binMin[b] = v
        if (v > binMax[b]) binMax[b] = v
        inRange++
      }
    }
    // bins holding ranks k1 and k2
    let b1 = -1
    let b2 = -1
    let seen = below
    for (let b = 0; b < BINS; b++) {
      const next = seen + counts[b]
      if (b1 < 0 && k1 < next) b1 = b
      if (k2 < next) {
        b2 = b
        break
      }
      seen = next
    }
    let cand = 0
    for (let b = b1; b <= b2; b++) cand += counts[b]
    let newLo = Infinity
    let newHi = -Infinity
    for (let b = b1; b <= b2; b++) {
      if (binMin[b] < newLo) newLo = binMin[b]
      if (binMax[b] > newHi) newHi = binMax[b]
    }
    if (cand <= COPY_LIMIT || cand === inRange) {
      const a = new Float64Array(cand)
      let k = 0
      let under = 0
      for (let i = 0; i < n; i++) {
        const v = values[i]
        if (v < newLo) under++
        else if (v <= newHi) a[k++] = v
      }
      return selectPair(a.subarray(0, k), k1 - under, k2 - under)
    }
    lo = newLo
    hi = newHi
  }
}

/** The k1-th and k2-th smallest of `a` (k2 is k1 or k1 + 1), rearranging `a`. */
function selectPair(a: Float64Array, k1: number, k2: number): [number, number] {
  select(a, k1)
  const x1 = a[k1]
  if (k2 === k1) return [x1, x1]
  let x2 = Infinity
  for (let i = k1 + 1; i < a.length; i++) if (a[i] < x2) x2 = a[i]
  return [x1, x2]
}

/** Rearrange `a` so that a[k] is the k-th smallest, smaller values before it and larger after. */
function select(a: Float64Array, k: number): void {
  let left = 0
  let right = a.length - 1
  while (right > left) {
    // median of three as the pivot keeps sorted and constant inputs linear
    const mid = (left + right) >>> 1
    let p = a[mid]
    const l = a[left]
    const r = a[right]
    if ((l <= p && p <= r) || (r <= p && p <= l)) {
      // p is the median
    } else if ((p <= l && l <= r) || (r <= l && l <= p)) p = l
    else p = r
    // three-way partition (Dijkstra): [left, lt) < p, [lt, gt] == p, (gt, right] > p
    let lt = left
    let gt = right
    let i = left
    while (i <= gt) {
      const v = a[i]
      if (v < p) {
        a[i] = a[lt]
        a[lt] = v
        lt++
        i++
      } else if (v > p) {
        a[i] = a[gt]
        a[gt] = v
        gt--
      } else i++
    }
    if (k < lt) right = lt - 1
    else if (k > gt) left = gt + 1
    else return
  }
}
