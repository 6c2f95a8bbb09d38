import {Rng} from '../stats/rng.js'
import {PER_UNIT_FIELDS} from './recall-at-k.js'

/**
 * Bootstrap over evaluated keys (units) for click_recall, cost_recall and hitrate at every K.
 *
 * Each replicate draws n units with replacement (uniformly, from a seeded xoshiro128** stream;
 * the draws are counted per unit) and recomputes, from the per-unit values weighted by those counts,
 *
 *   click_recall* = mean of recall_u,  cost_recall* = sum hitBid_u / sum bid_u,  hitrate* = mean of hit_u
 *
 * Every retriever is evaluated on the same draws, so with two or more retrievers the replicates
 * are paired (the keys are the pairing unit). Intervals are percentile intervals: the alpha/2 and
 * 1 - alpha/2 quantiles of the replicates (linear interpolation between order statistics, R's
 * type 7). For a comparison of retriever b against a, delta = M_b - M_a on the full data, its
 * interval is the percentile interval of the replicate deltas, and the two-sided p-value is
 *
 *   p = min(1, 2 * min(1 + #{delta* <= 0}, 1 + #{delta* >= 0}) / (B + 1))
 *
 * (the smallest alpha at which the percentile interval would exclude 0, with the +1 so that a
 * finite bootstrap never reports p = 0; Davison & Hinkley 1997, "Bootstrap Methods and their
 * Application", sections 4.4 and 5.3). Replicates in which a ratio is undefined (all drawn bids
 * zero) are left out of that metric's interval.
 */

export const BOOTSTRAP_METRICS = ['click_recall', 'cost_recall', 'hitrate'] as const
export type BootstrapMetric = (typeof BOOTSTRAP_METRICS)[number]

export interface BootstrapOptions {
  replicates: number
  seed: number
  alpha: number
  /** number of cut-offs K in the per-unit arrays */
  nK: number
}

export interface PairedDifference {
  delta: number
  ci: [number, number] | null
  p_value: number | null
}

export interface BootstrapResult {
  /** [retriever][K index][metric] -> interval */
  ci: ([number, number] | null)[][][]
  /** [retriever - 1][K index][metric]: retriever j against retriever 0 */
  paired: PairedDifference[][][]
}

/** The statistic of one metric from (unit-weighted) sums. */
function stat(m: number, n: number, recall: number, hit: number, hitBid: number, bid: number): number {
  if (m === 0) return recall / n
  if (m === 1) return bid > 0 ? hitBid / bid : NaN
  return hit / n
}

/**
 * Percentile intervals per retriever and paired differences against the first retriever.
 * @param perUnit one array per retriever, unit-major: [K index][recall, hit, hitBid, bid]
 * @param units the number of units (the same for every retriever)
 * @example
 * bootstrapRecall([Float64Array.of(1, 1, 1, 1, 0, 0, 0, 1)], 2, {replicates: 1000, seed: 1, alpha: 0.05, nK: 1}).ci[0][0][0] // about [0, 1]
 */
export function bootstrapRecall(perUnit: Float64Array[], units: number, opts: BootstrapOptions): BootstrapResult {
  const {replicates: B, nK, alpha} = opts
  const R = perUnit.length
  const M = BOOTSTRAP_METRICS.length
  const stride = nK * PER_UNIT_FIELDS
  const rng = new Rng(opts.seed)
  // reps[((r * nK + q) * M + m) * B + b]
  const reps = new Float64Array(R * nK * M * B)
  // per-unit values by column (one array per retriever and field), so that each replicate's sum
  // of a field is a dot product of the draw counts with one contiguous column
  // identical columns (the bids at every K without truthTop, cut-offs beyond every list) are summed once
  const cols: Float64Array[] = []
  const colOf = new Int32Array(R * stride)
  for (let r = 0; r < R; r++) {
    for (let f = 0; f < stride; f++) {
      const col = new Float64Array(units)
      const src = perUnit[r]
      for (let u = 0; u < units; u++) col[u] = src[u * stride + f]
      let same = cols.findIndex((c) => equal(c, col))
      if (same < 0) same = cols.push(col) - 1
      colOf[r * stride + f] = same
    }
  }
  const colSums = new Float64Array(R * stride)
  const sums = new Float64Array(R * stride)
  // a replicate as multinomial counts per unit: n draws with replacement, counted
  const counts = new Float64Array(units)
  for (let b = 0; b < B; b++) {
    counts.fill(0)
    for (let i = 0; i < units; i++) counts[rng.below(units)]++
    for (let c = 0; c < cols.length; c++) colSums[c] = dot(counts, cols[c])
    for (let j = 0; j < sums.length; j++) sums[j] = colSums[colOf[j]]
    for (let r = 0; r < R; r++) {
      for (let q = 0; q < nK; q++) {
        const o = r * stride + q * PER_UNIT_FIELDS
        for (let m = 0; m < M; m++) reps[((r * nK + q) * M + m) * B + b] = stat(m, units, sums[o], sums[o + 1], sums[o + 2], sums[o + 3])
      }
    }
  }

  const full = new Float64Array(R * nK * M)
  for (let r = 0; r < R; r++) {
    const tot = new Float64Array(stride)
    const src = perUnit[r]
    for (let u = 0; u < units; u++) for (let f = 0; f < stride; f++) tot[f] += src[u * stride + f]
    for (let q = 0; q < nK; q++) {
      const o = q * PER_UNIT_FIELDS
      for (let m = 0; m < M; m++) full[(r * nK + q) * M + m] = stat(m, units, tot[o], tot[o + 1], tot[o + 2], tot[o + 3])
    }
  }

  const ci: ([number, number] | null)[][][] = []
  for (let r = 0; r < R; r++) {
    ci.push([])
    for (let q = 0; q < nK; q++) {
      ci[r].push([])
      for (let m = 0; m < M; m++) {
        const off = ((r * nK + q) * M + m) * B
        ci[r][q].push(percentileInterval(reps.subarray(off, off + B), alpha))
      }
    }
  }

  const paired: PairedDifference[][][] = []
  const d = new Float64Array(B)
  for (let r = 1; r < R; r++) {
    paired.push([])
    for (let q = 0; q < nK; q++) {
      paired[r - 1].push([])
      for (let m = 0; m < M; m++) {
        const offA = ((0 * nK + q) * M + m) * B
        const offB = ((r * nK + q) * M + m) * B
        let n = 0
        let le = 0
        let ge = 0
        for (let b = 0; b < B; b++) {
          const x = reps[offB + b] - reps[offA + b]
          if (x !== x) continue
          d[n++] = x
          if (x <= 0) le++
          if (x >= 0) ge++
        }
        const delta = full[(r * nK + q) * M + m] - full[q * M + m]
        paired[r - 1][q].push({
          delta: delta === delta ? delta : NaN,
          ci: n > 0 ? percentileInterval(d.subarray(0, n), alpha) : null,
          p_value: n > 0 ? Math.min(1, (2 * Math.min(1 + le, 1 + ge)) / (n + 1)) : null,
        })
      }
    }
  }
  return {ci, paired}
}

function equal(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

/**
 * The alpha/2 and 1 - alpha/2 sample quantiles (R type 7) of the finite values; null when none.
 * Sorts a copy.
 * @example percentileInterval(Float64Array.of(1, 2, 3, 4, 5), 0.5) // [2, 4]
 */
export function percentileInterval(values: Float64Array, alpha: number): [number, number] | null {
  const v = values.filter((x) => x === x).sort()
  if (v.length === 0) return null
  return [quantile7(v, alpha / 2), quantile7(v, 1 - alpha / 2)]
}

/** R's quantile(type = 7) of sorted values. */
export function quantile7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}
