/**
 * Group AUC (GAUC): the AUC computed inside each group (a user, a session) and averaged over the
 * groups that have both a positive and a negative, each group weighted by its rows (its weight
 * sum with weights):
 *
 *   gauc            = sum_g n_g * AUC_g / sum_g n_g
 *   gauc_unweighted = mean_g AUC_g
 *
 * Groups with one class only are skipped and counted. Reference: Zhu et al. 2017, "Optimized
 * Cost per Click in Taobao Display Advertising" (GAUC); torchrec GAUCMetric (unweighted mean).
 */
export interface GroupAucResult {
  gauc: number | null
  gauc_unweighted: number | null
  gauc_groups: number
  gauc_groups_skipped: number
  /** AUC of each used group, in group-id order */
  perGroup: Float64Array
}

/** Rows ordered by group: a counting sort of dense group ids (computed once, shared by every score). */
export interface GroupIndex {
  /** rows of group g are order[start[g] .. start[g+1]) */
  start: Int32Array
  order: Int32Array
  groups: number
}

export function groupIndex(ids: Int32Array, groups: number): GroupIndex {
  const start = new Int32Array(groups + 1)
  for (let i = 0; i < ids.length; i++) start[ids[i] + 1]++
  for (let g = 0; g < groups; g++) start[g + 1] += start[g]
  const fill = start.slice(0, groups)
  const order = new Int32Array(ids.length)
  for (let i = 0; i < ids.length; i++) order[fill[ids[i]]++] = i
  return {start, order, groups}
}

function insertionSort(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i]
    let j = i - 1
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j]
      j--
    }
    a[j + 1] = v
  }
}

function sortPrefix(a: Float64Array, n: number): void {
  if (n <= 32) insertionSort(a, n)
  else a.subarray(0, n).sort()
}

/** Sort (score, weight) pairs of length n by score (insertion for small, index sort otherwise). */
function sortPairs(s: Float64Array, w: Float64Array, n: number): void {
  if (n <= 32) {
    for (let i = 1; i < n; i++) {
      const v = s[i]
      const x = w[i]
      let j = i - 1
      while (j >= 0 && s[j] > v) {
        s[j + 1] = s[j]
        w[j + 1] = w[j]
        j--
      }
      s[j + 1] = v
      w[j + 1] = x
    }
    return
  }
  const idx = Array.from({length: n}, (_, i) => i).sort((a, b) => s[a] - s[b])
  const s2 = idx.map((i) => s[i])
  const w2 = idx.map((i) => w[i])
  for (let i = 0; i < n; i++) {
    s[i] = s2[i]
    w[i] = w2[i]
  }
}

export function groupAuc(index: GroupIndex, labels: Uint8Array, scores: Float64Array, weights?: Float64Array): GroupAucResult {
  const {start, order, groups} = index
  let maxSize = 0
  for (let g = 0; g < groups; g++) maxSize = Math.max(maxSize, start[g + 1] - start[g])
  const sp = new Float64Array(maxSize)
  const sn = new Float64Array(maxSize)
  const wp = weights ? new Float64Array(maxSize) : undefined
  const wn = weights ? new Float64Array(maxSize) : undefined
  const per: number[] = []
  let num = 0
  let den = 0
  let sumAuc = 0
  let skipped = 0
  for (let g = 0; g < groups; g++) {
    const a = start[g]
    const b = start[g + 1]
    if (b === a) continue
    let np = 0
    let nn = 0
    let W = 0
    for (let k = a; k < b; k++) {
      const i = order[k]
      const s = scores[i] === 0 ? 0 : scores[i]
      const w = weights ? weights[i] : 1
      if (weights && w === 0) continue
      W += w
      if (labels[i] === 1) {
        if (wp) wp[np] = w
        sp[np++] = s
      } else {
        if (wn) wn[nn] = w
        sn[nn++] = s
      }
    }
    if (np === 0 || nn === 0) {
      skipped++
      continue
    }
    let sum = 0
    let P = 0
    let N = 0
    if (!wp || !wn) {
      sortPrefix(sp, np)
      sortPrefix(sn, nn)
      // for each positive: negatives below + half the tied ones
      let j = 0
      let t = 0
      for (let i = 0; i < np; i++) {
        const v = sp[i]
        while (j < nn && sn[j] < v) j++
        t = j
        while (t < nn && sn[t] === v) t++
        sum += j + 0.5 * (t - j)
      }
      P = np
      N = nn
    } else {
      sortPairs(sp, wp, np)
      sortPairs(sn, wn, nn)
      let j = 0
      let below = 0
      for (let i = 0; i < np; i++) {
        const v = sp[i]
        while (j < nn && sn[j] < v) below += wn[j++]
        let tied = 0
        for (let t = j; t < nn && sn[t] === v; t++) tied += wn[t]
        sum += wp[i] * (below + 0.5 * tied)
        P += wp[i]
      }
      for (let k = 0; k < nn; k++) N += wn[k]
    }
    const aucG = sum / (P * N)
    per.push(aucG)
    const weightG = weights ? W : b - a
    num += weightG * aucG
    den += weightG
    sumAuc += aucG
  }
  const used = per.length
  return {
    gauc: used > 0 ? num / den : null,
    gauc_unweighted: used > 0 ? sumAuc / used : null,
    gauc_groups: used,
    gauc_groups_skipped: skipped,
    perGroup: Float64Array.from(per),
  }
}
