import {GroupIndex, scatterByGroup} from './gauc.js'

/**
 * Per-group recall at K: inside each group (a user's request, a session), the share of the
 * group's positives that rank in its top K by score, averaged over the groups with at least one
 * positive (groups without positives are skipped and counted):
 *
 *   recall@K = mean over groups g with P_g > 0 of  captured_g / P_g
 *
 * A group with K rows or fewer captures all its positives (recall 1). Scores tied across the
 * K-th place are counted by expectation under a uniformly random order of the tie: with a rows
 * strictly above the K-th score and t rows tied at it, of which p_t positive, the tie contributes
 * p_t * (K - a) / t positives (the top-K analogue of AUC counting tied pairs as 1/2).
 * Reference: Manning, Raghavan & Schütze (2008), "Introduction to Information Retrieval", ch. 8.
 *
 * @param index rows by group and label (`groupIndex(ids, groups, labels)`)
 * @param labels 0/1 per row
 * @param scores higher ranks first; -Infinity allowed, NaN not
 * @param k the cut-off K, a positive integer
 * @returns recall (null when no group has a positive), groups used and skipped
 * @example groupRecallAtK(groupIndex(Int32Array.of(0, 0, 0, 1, 1), 2, Uint8Array.of(1, 0, 1, 0, 1)), Uint8Array.of(1, 0, 1, 0, 1), Float64Array.of(0.9, 0.8, 0.1, 0.5, 0.4), 1) // {recall: 0.25, groups: 2, skipped: 0}
 */
export function groupRecallAtK(index: GroupIndex, labels: Uint8Array, scores: Float64Array, k: number): {recall: number | null; groups: number; skipped: number} {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`groupRecallAtK: k must be a positive integer, got ${k}`)
  // the index lays each group out positives first, so labels are implied by the slot
  void labels
  const {start, npos, groups} = index
  const gs = scatterByGroup(index, scores)
  let maxSize = 0
  for (let g = 0; g < groups; g++) maxSize = Math.max(maxSize, start[g + 1] - start[g])
  const buf = new Float64Array(maxSize)
  let sum = 0
  let used = 0
  let skipped = 0
  for (let g = 0; g < groups; g++) {
    const a = start[g]
    const m = a + npos[g]
    const b = start[g + 1]
    if (b === a) continue
    const P = m - a
    if (P === 0) {
      skipped++
      continue
    }
    used++
    const n = b - a
    if (n <= k) {
      sum += 1
      continue
    }
    for (let r = a; r < b; r++) buf[r - a] = gs[r]
    sortAscending(buf, n)
    // the K-th largest score
    const v = buf[n - k]
    let above = 0
    let tied = 0
    let posAbove = 0
    let posTied = 0
    for (let r = a; r < b; r++) {
      const s = gs[r]
      if (s > v) {
        above++
        if (r < m) posAbove++
      } else if (s === v) {
        tied++
        if (r < m) posTied++
      }
    }
    sum += (posAbove + (posTied * (k - above)) / tied) / P
  }
  return {recall: used > 0 ? sum / used : null, groups: used, skipped}
}

function sortAscending(a: Float64Array, n: number): void {
  if (n > 32) {
    a.subarray(0, n).sort()
    return
  }
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
