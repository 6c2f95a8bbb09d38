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
 * with x_(0) <= ... <= x_(n-1). Computed by quickselect on a copy, O(n) expected; the input is
 * not modified. NaN for an empty sample.
 * @example quantileLinear(Float64Array.of(1, 2, 3, 4), 0.999) // 3.997
 */
export function quantileLinear(values: Float64Array, q: number): number {
  const n = values.length
  if (n === 0) return NaN
  const h = (n - 1) * q
  let lo = Math.floor(h)
  if (lo < 0) lo = 0
  if (lo > n - 1) lo = n - 1
  const hi = Math.min(lo + 1, n - 1)
  const g = h - Math.floor(h)
  const a = values.slice()
  select(a, lo)
  const xa = a[lo]
  let xb = xa
  if (hi > lo) {
    xb = Infinity
    for (let i = lo + 1; i < n; i++) if (a[i] < xb) xb = a[i]
  }
  const diff = xb - xa
  return g >= 0.5 ? xb - diff * (1 - g) : xa + diff * g
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
