
/**
 * Retrieved lists for top-K evaluation: each key's rows in rank order, duplicates kept once at
 * their best position, excluded (key, item) pairs removed (shared/spec/cli.md, `receval recall`).
 *
 * Order: ascending by `order.values` (ranks), or descending (scores) with `order.descending`,
 * else file order. The sort is stable: rows with equal values keep their file order.
 *
 * Work is linear in the rows plus a sort inside each key: rows are grouped by key with one
 * counting sort (no per-key objects), a list that is already in order is not sorted again, and
 * duplicates and exclusions are found with per-item stamp arrays (item id -> last key that marked it).
 */

/** Rows grouped by key: the rows of key k are order[start[k] .. start[k + 1]), in file order. */
export interface KeyGroups {
  start: Int32Array
  order: Int32Array
}

/**
 * A stable counting sort of rows by dense key id: two passes over the rows, no per-key objects.
 * @example groupRows(Int32Array.of(1, 0, 1), 2) // {start: [0, 1, 3], order: [1, 0, 2]}
 */
export function groupRows(keys: Int32Array, nKeys: number): KeyGroups {
  const start = new Int32Array(nKeys + 1)
  for (let i = 0; i < keys.length; i++) start[keys[i] + 1]++
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k]
  const fill = start.slice(0, nKeys)
  const order = new Int32Array(keys.length)
  for (let i = 0; i < keys.length; i++) order[fill[keys[i]]++] = i
  return {start, order}
}

export interface RetrievedRows {
  /** dense key id per row */
  keys: Int32Array
  /** dense item id per row */
  items: Int32Array
  /** sort value per row; absent: file order */
  order?: {values: Float64Array; descending: boolean}
}

/** (key, item) pairs to remove from the retrieved lists before truncation to K. */
export interface ExcludedPairs {
  keys: Int32Array
  items: Int32Array
}

export interface RankListsOptions {
  /** key ids are < nKeys */
  nKeys: number
  /** item ids are < nItems */
  nItems: number
  /** rank only keys with needed[key] = 1 (the evaluated keys); default all */
  needed?: Uint8Array
  exclude?: ExcludedPairs
  /** cut-offs at which to count keys whose sort values tie across the boundary (position K and K+1) */
  tieKs?: readonly number[]
}

export interface RankedLists {
  /** the ranked list of key k is items[start[k] .. start[k] + length[k]) (empty for keys not needed) */
  start: Int32Array
  length: Int32Array
  items: Int32Array
  /** retrieved rows of key k, before exclusion and de-duplication */
  rows(k: number): number
  /** rows removed as repeats of an item already in the key's list (needed keys only) */
  duplicateRows: number
  /** rows removed by the exclusion pairs (needed keys only) */
  excludedRows: number
  /** distinct items anywhere in the retrieved rows */
  distinctItems: number
  /** per tieKs entry: keys whose K-th and (K+1)-th list entries have equal sort values */
  ties: Int32Array
  /** per tieKs entry: one such key (-1 when none) */
  tieExample: Int32Array
}

/**
 * Rank every needed key's retrieved rows.
 *
 * 1. group rows by key (stable counting sort)
 * 2. per key: gather items and sort values, sort stably unless already in order
 * 3. mark the key's excluded items, then walk the sorted rows keeping each item's first
 *    occurrence that is not excluded; the list overwrites the key's slice of the group order
 * 4. count keys tied across each K boundary
 *
 * @example
 * rankLists({keys: Int32Array.of(0, 0, 0), items: Int32Array.of(5, 6, 5), order: {values: Float64Array.of(0.1, 0.9, 0.5), descending: true}}, {nKeys: 1, nItems: 7})
 * // list of key 0: items 6, 5 (item 5 kept once, at its best position)
 */
export function rankLists(input: RetrievedRows, opts: RankListsOptions): RankedLists {
  const {keys, items} = input
  const {nKeys, nItems, needed} = opts
  const g = groupRows(keys, nKeys)
  const start = g.start
  const out = g.order // becomes the lists, in place
  const length = new Int32Array(nKeys)

  const ex = opts.exclude ? groupRows(opts.exclude.keys, nKeys) : undefined
  const exItems = opts.exclude?.items
  const exStamp = new Int32Array(ex ? nItems : 0)
  // seen[item]: the last key (id + 1) whose list holds it; -1: seen only in keys not ranked; 0: never
  const seen = new Int32Array(nItems)
  let distinctItems = 0

  let maxRows = 0
  for (let k = 0; k < nKeys; k++) maxRows = Math.max(maxRows, start[k + 1] - start[k])
  const sv = new Float64Array(input.order ? maxRows : 0)
  const si = new Int32Array(maxRows)
  const tv = new Float64Array(input.order ? maxRows : 0)
  const ti = new Int32Array(input.order ? maxRows : 0)
  const lv = new Float64Array(input.order ? maxRows : 0)
  const values = input.order?.values
  const sign = input.order?.descending ? -1 : 1

  const tieKs = opts.tieKs ?? []
  const ties = new Int32Array(tieKs.length)
  const tieExample = new Int32Array(tieKs.length).fill(-1)
  let duplicateRows = 0
  let excludedRows = 0

  for (let k = 0; k < nKeys; k++) {
    const a = start[k]
    const n = start[k + 1] - a
    if (n === 0) continue
    if (needed && needed[k] === 0) {
      for (let j = a; j < a + n; j++) {
        const it = items[out[j]]
        if (seen[it] === 0) {
          seen[it] = -1
          distinctItems++
        }
      }
      continue
    }
    const mark = k + 1
    // 2.
    if (values) {
      let sorted = true
      let prev = -Infinity
      for (let j = 0; j < n; j++) {
        const row = out[a + j]
        const v = sign * values[row]
        sv[j] = v
        si[j] = items[row]
        if (v < prev) sorted = false
        prev = v
      }
      if (!sorted) sortStable(sv, si, n, tv, ti)
    } else {
      for (let j = 0; j < n; j++) si[j] = items[out[a + j]]
    }
    // 3.
    if (ex && exItems) for (let j = ex.start[k]; j < ex.start[k + 1]; j++) exStamp[exItems[ex.order[j]]] = mark
    let len = 0
    for (let j = 0; j < n; j++) {
      const it = si[j]
      const was = seen[it]
      if (was === 0) distinctItems++
      if (ex && exStamp[it] === mark) {
        excludedRows++
        if (was === 0) seen[it] = -1
        continue
      }
      if (was === mark) {
        duplicateRows++
        continue
      }
      seen[it] = mark
      if (values) lv[len] = sv[j]
      out[a + len++] = it
    }
    length[k] = len
    // 4.
    if (values) {
      for (let q = 0; q < tieKs.length; q++) {
        const K = tieKs[q]
        if (len > K && lv[K - 1] === lv[K]) {
          if (ties[q]++ === 0) tieExample[q] = k
        }
      }
    }
  }

  return {
    start,
    length,
    items: out,
    rows: (k: number) => start[k + 1] - start[k],
    duplicateRows,
    excludedRows,
    distinctItems,
    ties,
    tieExample,
  }
}

/**
 * Sort the first n (value, id) pairs ascending by value, stably (equal values keep their order):
 * insertion sort for short runs, then bottom-up merges through the scratch arrays.
 */
export function sortStable(v: Float64Array, id: Int32Array, n: number, tv: Float64Array, ti: Int32Array): void {
  // runs of 32: lists of 65..128 entries take two merge passes and end in place (measured fastest for 100)
  const RUN = 32
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n)
    for (let i = lo + 1; i < hi; i++) {
      const x = v[i]
      const y = id[i]
      let j = i - 1
      while (j >= lo && v[j] > x) {
        v[j + 1] = v[j]
        id[j + 1] = id[j]
        j--
      }
      v[j + 1] = x
      id[j + 1] = y
    }
  }
  let srcV = v
  let srcI = id
  let dstV = tv
  let dstI = ti
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n)
      const hi = Math.min(lo + 2 * width, n)
      let i = lo
      let j = mid
      let o = lo
      while (i < mid && j < hi) {
        // <= keeps the left (earlier) element first on ties: stability
        if (srcV[i] <= srcV[j]) {
          dstV[o] = srcV[i]
          dstI[o++] = srcI[i++]
        } else {
          dstV[o] = srcV[j]
          dstI[o++] = srcI[j++]
        }
      }
      while (i < mid) {
        dstV[o] = srcV[i]
        dstI[o++] = srcI[i++]
      }
      while (j < hi) {
        dstV[o] = srcV[j]
        dstI[o++] = srcI[j++]
      }
    }
    const t = srcV
    srcV = dstV
    dstV = t
    const u = srcI
    srcI = dstI
    dstI = u
  }
  if (srcV !== v) {
    for (let i = 0; i < n; i++) {
      v[i] = srcV[i]
      id[i] = srcI[i]
    }
  }
}
