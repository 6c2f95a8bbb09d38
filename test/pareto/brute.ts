/**
 * Brute-force references for the pareto tests: dominance by comparing every pair, hypervolume by
 * cutting space into the grid cells between the distinct coordinates and adding up the cells
 * some point dominates. Slow (O(n^2 d) and O(n * cells)) and obviously right.
 */
export type Sense = 'max' | 'min'

function better(a: number, b: number, s: Sense): boolean {
  return s === 'max' ? a > b : a < b
}

export function bruteFrontier(points: number[][], senses: Sense[]): number[] {
  const out: number[] = []
  for (let i = 0; i < points.length; i++) {
    let dominated = false
    for (let j = 0; j < points.length && !dominated; j++) {
      if (i === j) continue
      const a = points[j]
      const b = points[i]
      const noWorse = a.every((v, k) => !better(b[k], v, senses[k]))
      const strict = a.some((v, k) => better(v, b[k], senses[k]))
      if (noWorse && strict) dominated = true
    }
    if (!dominated) out.push(i)
  }
  return out
}

export function bruteHypervolume(points: number[][], ref: number[], senses: Sense[]): number {
  const d = ref.length
  // to minimisation
  const m = points.map((p) => p.map((v, k) => (senses[k] === 'max' ? -v : v)))
  const r = ref.map((v, k) => (senses[k] === 'max' ? -v : v))
  const inside = m.filter((p) => p.every((v, k) => v < r[k]))
  if (inside.length === 0) return 0
  const coords = r.map((rk, k) => [...new Set([...inside.map((p) => p[k]), rk])].sort((a, b) => a - b))
  let total = 0
  const idx = new Array(d).fill(0)
  const dims = coords.map((c) => c.length - 1)
  for (;;) {
    const lo = idx.map((i, k) => coords[k][i])
    if (inside.some((p) => p.every((v, k) => v <= lo[k]))) {
      let vol = 1
      for (let k = 0; k < d; k++) vol *= coords[k][idx[k] + 1] - coords[k][idx[k]]
      total += vol
    }
    let k = 0
    while (k < d && ++idx[k] >= dims[k]) idx[k++] = 0
    if (k === d) break
  }
  return total
}
