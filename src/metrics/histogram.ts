import {sortFloat64} from './radix-sort.js'

/**
 * The sufficient statistic of every ranking metric of one score: for each distinct score value
 * (ascending), the positive and negative counts (weight sums with weights). AUC, average
 * precision, DeLong variances, ROC / PR curves and confusion matrices at any threshold all follow
 * from it, and histograms of disjoint shards merge by adding counts per value.
 */
export interface ScoreHistogram {
  values: Float64Array
  pos: Float64Array
  neg: Float64Array
  /** total positive (negative) count or weight */
  P: number
  N: number
}

/**
 * Build the histogram of `scores` split by `labels` (0/1), optionally weighted.
 * Rows with weight 0 are left out. Cost: two radix sorts (positives, negatives) and a merge.
 */
export function scoreHistogram(scores: Float64Array, labels: Uint8Array, weights?: Float64Array): ScoreHistogram {
  const n = scores.length
  let np = 0
  for (let i = 0; i < n; i++) np += labels[i]
  const nn = n - np
  const sp = new Float64Array(np)
  const sn = new Float64Array(nn)
  const wp = weights ? new Float64Array(np) : undefined
  const wn = weights ? new Float64Array(nn) : undefined
  let a = 0
  let b = 0
  for (let i = 0; i < n; i++) {
    if (labels[i] === 1) {
      if (wp) wp[a] = (weights as Float64Array)[i]
      sp[a++] = scores[i]
    } else {
      if (wn) wn[b] = (weights as Float64Array)[i]
      sn[b++] = scores[i]
    }
  }
  const tmp = new Float64Array(Math.max(np, nn))
  const ptmp = weights ? new Float64Array(Math.max(np, nn)) : undefined
  sortFloat64(sp, tmp, wp, ptmp)
  sortFloat64(sn, tmp, wn, ptmp)
  return mergeSorted(sp, wp, sn, wn)
}

/** Merge sorted positive and negative score arrays (with optional weights) into a histogram. */
export function mergeSorted(sp: Float64Array, wp: Float64Array | undefined, sn: Float64Array, wn: Float64Array | undefined): ScoreHistogram {
  const np = sp.length
  const nn = sn.length
  // pass 1: count distinct values; pass 2: fill
  let d = 0
  for (let i = 0, j = 0; i < np || j < nn; d++) {
    const v = j >= nn || (i < np && sp[i] <= sn[j]) ? sp[i] : sn[j]
    while (i < np && sp[i] === v) i++
    while (j < nn && sn[j] === v) j++
  }
  const values = new Float64Array(d)
  const pos = new Float64Array(d)
  const neg = new Float64Array(d)
  let P = 0
  let N = 0
  let k = 0
  for (let i = 0, j = 0; i < np || j < nn; k++) {
    const v = j >= nn || (i < np && sp[i] <= sn[j]) ? sp[i] : sn[j]
    let cp = 0
    let cn = 0
    if (wp) while (i < np && sp[i] === v) cp += wp[i++]
    else
      while (i < np && sp[i] === v) {
        cp++
        i++
      }
    if (wn) while (j < nn && sn[j] === v) cn += wn[j++]
    else
      while (j < nn && sn[j] === v) {
        cn++
        j++
      }
    values[k] = v
    pos[k] = cp
    neg[k] = cn
    P += cp
    N += cn
  }
  return dropEmpty({values, pos, neg, P, N})
}

/** Remove values whose positive and negative weights are both zero (zero-weight rows). */
function dropEmpty(h: ScoreHistogram): ScoreHistogram {
  let keep = 0
  for (let k = 0; k < h.values.length; k++) if (h.pos[k] !== 0 || h.neg[k] !== 0) keep++
  if (keep === h.values.length) return h
  const values = new Float64Array(keep)
  const pos = new Float64Array(keep)
  const neg = new Float64Array(keep)
  for (let k = 0, m = 0; k < h.values.length; k++) {
    if (h.pos[k] === 0 && h.neg[k] === 0) continue
    values[m] = h.values[k]
    pos[m] = h.pos[k]
    neg[m++] = h.neg[k]
  }
  return {values, pos, neg, P: h.P, N: h.N}
}

/** Add histograms of disjoint shards (the warehouse merge). */
export function mergeHistograms(hs: readonly ScoreHistogram[]): ScoreHistogram {
  const all = new Map<number, [number, number]>()
  for (const h of hs)
    for (let k = 0; k < h.values.length; k++) {
      const v = h.values[k] === 0 ? 0 : h.values[k]
      const e = all.get(v)
      if (e) {
        e[0] += h.pos[k]
        e[1] += h.neg[k]
      } else all.set(v, [h.pos[k], h.neg[k]])
    }
  const values = Float64Array.from(all.keys()).sort()
  const pos = new Float64Array(values.length)
  const neg = new Float64Array(values.length)
  let P = 0
  let N = 0
  values.forEach((v, k) => {
    const e = all.get(v) as [number, number]
    pos[k] = e[0]
    neg[k] = e[1]
    P += e[0]
    N += e[1]
  })
  return {values, pos, neg, P, N}
}
