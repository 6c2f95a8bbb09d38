/**
 * Score fusion: the one ranking score a multi-task ranker serves, from its task scores s_i and
 * weights w_i (on the simplex), optionally times a fixed per-row factor b (a bid: eCPM ranking).
 *
 *   product: sum_i w_i ln s_i (+ ln b)   the same ranking as prod_i s_i^w_i (* b)
 *   sum:     (sum_i w_i s_i) (* b)
 *
 * Product fusion needs s_i >= 0 and b >= 0. A zero score is exact, not clipped: s^w = 0 for w > 0
 * (ln 0 = -Infinity, all such rows tie at the bottom) and s^0 = 1 (a task with weight 0 is left
 * out, so 0 * -Infinity never occurs). At a vertex of the simplex (one task has all the weight)
 * the fused score is that task's own score (times b), so its ranking is exactly the ranking of
 * the raw score.
 */
export type Fusion = 'product' | 'sum'

export interface FusionInputs {
  fusion: Fusion
  /** the task score columns */
  scores: Float64Array[]
  /** the factor column (--times), when given */
  times?: Float64Array
}

/** The per-row terms fusion adds up, computed once: ln s (product) or s (sum), and ln b for product. */
export interface PreparedFusion extends FusionInputs {
  terms: Float64Array[]
  timesTerm?: Float64Array
}

export function prepareFusion(inputs: FusionInputs): PreparedFusion {
  if (inputs.fusion === 'sum') return {...inputs, terms: inputs.scores, timesTerm: inputs.times}
  const ln = (a: Float64Array) => {
    const out = new Float64Array(a.length)
    for (let r = 0; r < a.length; r++) out[r] = Math.log(a[r])
    return out
  }
  return {...inputs, terms: inputs.scores.map(ln), timesTerm: inputs.times ? ln(inputs.times) : undefined}
}

/**
 * The fused score of every row for weights `w`, written into `out` (or, at a vertex without a
 * factor, the task's own score column itself).
 * @example fuse(new Float64Array(2), prepareFusion({fusion: 'sum', scores: [Float64Array.of(1, 0), Float64Array.of(0, 1)]}), [0.25, 0.75]) // Float64Array [0.25, 0.75]
 */
export function fuse(out: Float64Array, p: PreparedFusion, w: ArrayLike<number>): Float64Array {
  const n = out.length
  const nz: number[] = []
  for (let i = 0; i < p.scores.length; i++) if (w[i] !== 0) nz.push(i)
  if (nz.length === 1) {
    const s = p.scores[nz[0]]
    if (!p.times) return s
    const b = p.times
    for (let r = 0; r < n; r++) out[r] = s[r] * b[r]
    return out
  }
  const t0 = p.terms[nz[0]]
  const w0 = w[nz[0]]
  for (let r = 0; r < n; r++) out[r] = w0 * t0[r]
  for (let k = 1; k < nz.length; k++) {
    const t = p.terms[nz[k]]
    const wk = w[nz[k]]
    for (let r = 0; r < n; r++) out[r] += wk * t[r]
  }
  const f = p.timesTerm
  if (f) {
    if (p.fusion === 'product') for (let r = 0; r < n; r++) out[r] += f[r]
    else for (let r = 0; r < n; r++) out[r] *= f[r]
  }
  return out
}
