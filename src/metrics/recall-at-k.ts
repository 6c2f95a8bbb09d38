import {groupRows, RankedLists, sortStable} from './recall-lists.js'

/**
 * Top-K retrieval metrics (shared/spec/cli.md, `receval recall`). For an evaluated unit u (a key
 * with at least one truth row; with segments, a key's truth rows within one segment):
 *
 *   T = distinct truth items (with truthTop: the first K distinct items in truth order),
 *   R = the first K entries of the key's ranked list (distinct, after exclusion), h = |R ∩ T|
 *
 *   click_recall       = mean_u h / |T|
 *   click_recall_micro = sum_u h / sum_u |T|
 *   cost_recall        = sum of bids of truth rows whose item is in R / sum of bids of all truth
 *                        rows (truthTop: rows whose item is in T)
 *   hitrate            = share of units with h >= 1
 *   precision          = mean_u h / K (short lists are not forgiven)
 *   ndcg               = mean_u DCG / IDCG, DCG = sum over hit positions i of 1 / log2(i + 1),
 *                        IDCG the same over positions 1 .. min(|T|, K)
 *   mrr                = mean_u 1 / (position of the first hit), 0 without a hit
 *   map                = mean_u (sum over hit positions i of h_i / i) / min(|T|, K), h_i = hits in 1..i
 *   coverage           = distinct items in any R / distinct items in the retrieved rows
 *
 * References: Järvelin & Kekäläinen 2002 (nDCG); Manning, Raghavan & Schütze 2008, ch. 8 (MAP,
 * precision at K); torchmetrics / RecBole retrieval metrics for the per-query conventions.
 */

export interface TruthRows {
  keys: Int32Array
  items: Int32Array
  /** value of each truth row (a click's bid or cost); absent: no cost_recall */
  bids?: Float64Array
  /** truthTop order: ascending values (ranks) or descending (scores); absent: file order */
  order?: {values: Float64Array; descending: boolean}
  /** segment id per row */
  segments?: Int32Array
}

/** Evaluation units: unit j is key[j] with truth rows rows[rowStart[j] .. rowStart[j+1]) in truth order. */
export interface Units {
  key: Int32Array
  rowStart: Int32Array
  rows: Int32Array
  /** segment of each unit (with segments); units of one segment are contiguous */
  segment?: Int32Array
  count: number
}

/**
 * One unit per key with truth rows, rows in truth order (file order, or the stable truth sort),
 * and with segments the (segment, key) units as well, grouped by segment.
 */
export function buildUnits(truth: TruthRows, nKeys: number, nSegments = 0): {byKey: Units; bySegment?: Units; segmentStart?: Int32Array} {
  const g = groupRows(truth.keys, nKeys)
  const rows = g.order
  if (truth.order) {
    const {values, descending} = truth.order
    let maxN = 0
    for (let k = 0; k < nKeys; k++) maxN = Math.max(maxN, g.start[k + 1] - g.start[k])
    const v = new Float64Array(maxN)
    const id = new Int32Array(maxN)
    const tv = new Float64Array(maxN)
    const ti = new Int32Array(maxN)
    const sign = descending ? -1 : 1
    for (let k = 0; k < nKeys; k++) {
      const a = g.start[k]
      const n = g.start[k + 1] - a
      if (n < 2) continue
      for (let j = 0; j < n; j++) {
        v[j] = sign * values[rows[a + j]]
        id[j] = rows[a + j]
      }
      sortStable(v, id, n, tv, ti)
      rows.set(id.subarray(0, n), a)
    }
  }
  let count = 0
  for (let k = 0; k < nKeys; k++) if (g.start[k + 1] > g.start[k]) count++
  const key = new Int32Array(count)
  const rowStart = new Int32Array(count + 1)
  let j = 0
  for (let k = 0; k < nKeys; k++) {
    if (g.start[k + 1] === g.start[k]) continue
    key[j] = k
    rowStart[j] = g.start[k]
    j++
  }
  rowStart[count] = rows.length
  const byKey: Units = {key, rowStart, rows, count}
  if (!truth.segments || nSegments === 0) return {byKey}

  // stable counting sort of the key-ordered rows by segment: segment-major, then key, then truth order
  const seg = truth.segments
  const sStart = new Int32Array(nSegments + 1)
  for (let i = 0; i < rows.length; i++) sStart[seg[rows[i]] + 1]++
  for (let s = 0; s < nSegments; s++) sStart[s + 1] += sStart[s]
  const fill = sStart.slice(0, nSegments)
  const sRows = new Int32Array(rows.length)
  for (let i = 0; i < rows.length; i++) sRows[fill[seg[rows[i]]]++] = rows[i]
  // units start where the (segment, key) pair changes: count them, then fill typed arrays
  const tk = truth.keys
  const starts = (i: number) => i === 0 || tk[sRows[i]] !== tk[sRows[i - 1]] || seg[sRows[i]] !== seg[sRows[i - 1]]
  let nUnits = 0
  for (let i = 0; i < sRows.length; i++) if (starts(i)) nUnits++
  const uKey = new Int32Array(nUnits)
  const uStart = new Int32Array(nUnits + 1)
  const uSeg = new Int32Array(nUnits)
  for (let i = 0, u = 0; i < sRows.length; i++) {
    if (!starts(i)) continue
    uKey[u] = tk[sRows[i]]
    uStart[u] = i
    uSeg[u++] = seg[sRows[i]]
  }
  uStart[nUnits] = sRows.length
  const segmentStart = new Int32Array(nSegments + 1)
  for (const s of uSeg) segmentStart[s + 1]++
  for (let s = 0; s < nSegments; s++) segmentStart[s + 1] += segmentStart[s]
  return {
    byKey,
    bySegment: {key: uKey, rowStart: uStart, rows: sRows, segment: uSeg, count: nUnits},
    segmentStart,
  }
}

/** Sums over units at one K, from which every metric is one division. */
export interface AtKSums {
  units: number
  recall: number
  hits: number
  truth: number
  hitBid: number
  bid: number
  hitUnits: number
  precision: number
  ndcg: number
  rr: number
  ap: number
  /** distinct items in any R */
  covered: number
}

/** Per-unit values kept for the bootstrap, per K: recall, hit (0/1), bid of hit rows, bid of all rows. */
export const PER_UNIT_FIELDS = 4

export interface UnitsEvaluation {
  at: AtKSums[]
  /** units whose key has no retrieved row at all */
  withoutRetrieval: number
  /** with keepPerUnit: unit-major, [K index][field], PER_UNIT_FIELDS fields */
  perUnit?: Float64Array
}

/** Reusable scratch sized by the item count (allocated once per run, shared by every pass). */
export class RecallScratch {
  /** per item: [2 * item] the unit that last marked it as truth, [2 * item + 1] its smallest list position in this pass (side by side: one cache line per visit) */
  readonly sm: Int32Array
  readonly pos: Int32Array
  readonly bid: Float64Array
  touched: Int32Array
  posBid: Float64Array
  next = 0
  constructor(nItems: number) {
    this.sm = new Int32Array(2 * nItems)
    this.pos = new Int32Array(nItems)
    this.bid = new Float64Array(nItems)
    this.touched = new Int32Array(1024)
    this.posBid = new Float64Array(1024)
  }
}

/** 1 / log2(i + 1) for positions i = 1..n (index i - 1), and their running sums (index m: first m positions). */
export function discounts(n: number): {disc: Float64Array; ideal: Float64Array} {
  const disc = new Float64Array(n)
  const ideal = new Float64Array(n + 1)
  for (let i = 0; i < n; i++) {
    disc[i] = 1 / Math.log2(i + 2)
    ideal[i + 1] = ideal[i] + disc[i]
  }
  return {disc, ideal}
}

export interface EvaluateOptions {
  /** cut-offs, ascending, distinct, positive */
  ks: readonly number[]
  truthTop?: boolean
  keepPerUnit?: boolean
}

/**
 * Sums of the metrics at every K over units [from, to) of `units`, against one set of ranked lists.
 *
 * 1. per unit: stamp its truth items (first-seen position, bid sum per item and per position)
 * 2. per K: walk the first K list entries, accumulating hits, DCG, AP, first hit and the bids of
 *    hit items (with truthTop an item is in T at K when its truth position is below K)
 * 3. coverage: the smallest list position of every item over the units, then a count per K
 */
export function evaluateUnits(lists: RankedLists, truth: TruthRows, units: Units, from: number, to: number, opts: EvaluateOptions, scratch: RecallScratch): UnitsEvaluation {
  const ks = opts.ks
  const nK = ks.length
  const kMax = ks[nK - 1]
  const truthTop = opts.truthTop === true
  const {disc, ideal} = discounts(kMax)
  const {sm, pos, bid} = scratch
  const tItems = truth.items
  const bids = truth.bids
  const {start, length, items} = lists
  const at: AtKSums[] = ks.map(() => ({units: 0, recall: 0, hits: 0, truth: 0, hitBid: 0, bid: 0, hitUnits: 0, precision: 0, ndcg: 0, rr: 0, ap: 0, covered: 0}))
  const perUnit = opts.keepPerUnit ? new Float64Array((to - from) * nK * PER_UNIT_FIELDS) : undefined
  let withoutRetrieval = 0
  let nTouched = 0
  let touched = scratch.touched

  for (let u = from; u < to; u++) {
    const k = units.key[u]
    const r0 = units.rowStart[u]
    const r1 = units.rowStart[u + 1]
    // 1.
    const mark = ++scratch.next
    if (scratch.posBid.length < r1 - r0) scratch.posBid = new Float64Array(2 * (r1 - r0))
    const posBid = scratch.posBid
    let nd = 0
    let totalBid = 0
    for (let r = r0; r < r1; r++) {
      const row = units.rows[r]
      const it = tItems[row]
      const b = bids ? bids[row] : 0
      if (sm[2 * it] !== mark) {
        sm[2 * it] = mark
        pos[it] = nd
        bid[it] = b
        posBid[nd++] = b
      } else {
        bid[it] += b
        posBid[pos[it]] += b
      }
      totalBid += b
    }
    if (lists.rows(k) === 0) withoutRetrieval++
    const s = start[k]
    const len = length[k]
    // 2. (one walk per K measured faster here than one walk with snapshots at each cut-off)
    let prefixBid = 0
    let prefixN = 0
    for (let q = 0; q < nK; q++) {
      const K = ks[q]
      let T = nd
      let tb = totalBid
      let lim = nd
      if (truthTop) {
        T = Math.min(K, nd)
        while (prefixN < T) prefixBid += posBid[prefixN++]
        tb = prefixBid
        lim = K
      }
      const mk = Math.min(K, len)
      let h = 0
      let dcg = 0
      let ap = 0
      let first = 0
      let hb = 0
      for (let p = 0; p < mk; p++) {
        const it = items[s + p]
        if (sm[2 * it] === mark && pos[it] < lim) {
          h++
          dcg += disc[p]
          ap += h / (p + 1)
          if (first === 0) first = p + 1
          hb += bid[it]
        }
      }
      const idealN = Math.min(T, K)
      const recall = h / T
      const acc = at[q]
      acc.units++
      acc.recall += recall
      acc.hits += h
      acc.truth += T
      acc.hitBid += hb
      acc.bid += tb
      if (h > 0) acc.hitUnits++
      acc.precision += h / K
      acc.ndcg += dcg / ideal[idealN]
      acc.rr += first > 0 ? 1 / first : 0
      acc.ap += ap / idealN
      if (perUnit) {
        const o = ((u - from) * nK + q) * PER_UNIT_FIELDS
        perUnit[o] = recall
        perUnit[o + 1] = h > 0 ? 1 : 0
        perUnit[o + 2] = hb
        perUnit[o + 3] = tb
      }
    }
    // 3.
    const m = Math.min(kMax, len)
    if (nTouched + m > touched.length) {
      const t = new Int32Array(2 * (nTouched + m))
      t.set(touched)
      touched = t
    }
    for (let p = 0; p < m; p++) {
      const it = items[s + p]
      const was = sm[2 * it + 1]
      if (was === 0) {
        touched[nTouched++] = it
        sm[2 * it + 1] = p + 1
      } else if (p + 1 < was) sm[2 * it + 1] = p + 1
    }
  }
  scratch.touched = touched
  for (let i = 0; i < nTouched; i++) {
    const p = sm[2 * touched[i] + 1]
    sm[2 * touched[i] + 1] = 0
    for (let q = 0; q < nK; q++) if (p <= ks[q]) at[q].covered++
  }
  return {at, withoutRetrieval, perUnit}
}

/** The metrics of one K from its sums (cost_recall null when the bids sum to 0 or there are none). */
export interface AtKMetrics {
  click_recall: number
  click_recall_micro: number
  cost_recall: number | null
  hitrate: number
  precision: number
  ndcg: number
  mrr: number
  map: number
  coverage: number | null
}

export function metricsOf(s: AtKSums, distinctItems: number, haveBids: boolean): AtKMetrics {
  const n = s.units
  return {
    click_recall: s.recall / n,
    click_recall_micro: s.hits / s.truth,
    cost_recall: haveBids && s.bid > 0 ? s.hitBid / s.bid : null,
    hitrate: s.hitUnits / n,
    precision: s.precision / n,
    ndcg: s.ndcg / n,
    mrr: s.rr / n,
    map: s.ap / n,
    coverage: distinctItems > 0 ? s.covered / distinctItems : null,
  }
}
