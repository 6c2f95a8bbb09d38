/**
 * Multiple-testing adjustments of m p-values, as statsmodels' multipletests computes them:
 *
 *   holm: step-down, p_(i) -> max_{j <= i} min(1, (m - j + 1) p_(j))   (family-wise error rate;
 *         Holm 1979)
 *   bh:   step-up,   p_(i) -> min_{j >= i} min(1, m p_(j) / j)          (false discovery rate;
 *         Benjamini and Hochberg 1995; statsmodels "fdr_bh")
 *   none: the p-values as they are
 *
 * p_(1) <= ... <= p_(m) are the sorted p-values; results come back in input order. Null entries
 * (undefined tests) are left null and do not count in m.
 */
export type Correction = 'none' | 'holm' | 'bh'

/**
 * Adjusted p-values in the order given.
 * @example adjustPValues([0.01, 0.04, 0.03], 'holm') // [0.03, 0.06, 0.06]
 */
export function adjustPValues(p: readonly (number | null)[], method: Correction): (number | null)[] {
  const idx: number[] = []
  p.forEach((v, i) => {
    if (v !== null && !Number.isNaN(v)) idx.push(i)
  })
  const out: (number | null)[] = p.map(() => null)
  const m = idx.length
  if (m === 0) return out
  if (method === 'none') {
    for (const i of idx) out[i] = p[i]
    return out
  }
  idx.sort((a, b) => (p[a] as number) - (p[b] as number))
  if (method === 'holm') {
    let running = 0
    idx.forEach((i, j) => {
      running = Math.max(running, Math.min(1, (m - j) * (p[i] as number)))
      out[i] = running
    })
  } else {
    let running = 1
    for (let j = m - 1; j >= 0; j--) {
      const i = idx[j]
      running = Math.min(running, Math.min(1, (m * (p[i] as number)) / (j + 1)))
      out[i] = running
    }
  }
  return out
}
