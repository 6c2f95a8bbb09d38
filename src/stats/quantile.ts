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
