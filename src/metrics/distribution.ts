import {quantileSorted} from '../stats/quantile.js'
import {ScoreHistogram} from './histogram.js'
import {sortFloat64} from './radix-sort.js'

/**
 * Equal-width histograms for drawing distributions: the scores of positives and of negatives,
 * and the per-group AUCs of GAUC.
 *
 *   bin i = [edges[i], edges[i+1]), the last bin closed on the right
 *
 * Score bins span the lowest to the highest score (one bin when all scores are equal); per-group
 * AUC bins span [0, 1] in steps of 0.05. Counts are weight sums with weights.
 */
export interface ScoreDistribution {
  edges: number[]
  positives: number[]
  negatives: number[]
}

export interface GroupAucDistribution {
  /** bin edges over [0, 1] */
  edges: number[]
  /** groups whose AUC falls in each bin */
  groups: number[]
  /** quantiles (R type 7) of the per-group AUCs */
  quantiles: {p10: number; p25: number; p50: number; p75: number; p90: number}
}

export const SCORE_BINS = 40
export const GROUP_AUC_BINS = 20

/** The bin of v among `bins` equal bins over [lo, lo + span] (the last one closed). */
function binOf(v: number, lo: number, span: number, bins: number): number {
  if (!(span > 0)) return 0
  const i = Math.floor(((v - lo) * bins) / span)
  return i < 0 ? 0 : i >= bins ? bins - 1 : i
}

function edgesOf(lo: number, hi: number, bins: number): number[] {
  return Array.from({length: bins + 1}, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins))
}

/**
 * Positive and negative counts of a score histogram in equal-width bins from its lowest to its
 * highest value.
 * @example scoreDistribution(scoreHistogram(Float64Array.of(0, 0.2, 0.6, 1), Uint8Array.of(0, 0, 1, 1)), 2) // {edges: [0, 0.5, 1], positives: [0, 2], negatives: [2, 0]}
 */
export function scoreDistribution(h: ScoreHistogram, bins = SCORE_BINS): ScoreDistribution {
  const d = h.values.length
  if (d === 0) return {edges: [], positives: [], negatives: []}
  const lo = h.values[0]
  const hi = h.values[d - 1]
  const nb = hi > lo ? bins : 1
  const positives = new Array<number>(nb).fill(0)
  const negatives = new Array<number>(nb).fill(0)
  for (let k = 0; k < d; k++) {
    const b = binOf(h.values[k], lo, hi - lo, nb)
    positives[b] += h.pos[k]
    negatives[b] += h.neg[k]
  }
  return {edges: edgesOf(lo, hi, nb), positives, negatives}
}

/**
 * The distribution of per-group AUCs (GAUC's groups) in equal bins over [0, 1], with quantiles.
 * @returns null when no group was used
 * @example groupAucDistribution(Float64Array.of(0.5, 0.75, 1), 4).groups // [0, 0, 1, 2]
 */
export function groupAucDistribution(perGroup: Float64Array, bins = GROUP_AUC_BINS): GroupAucDistribution | null {
  if (perGroup.length === 0) return null
  const groups = new Array<number>(bins).fill(0)
  for (let i = 0; i < perGroup.length; i++) groups[binOf(perGroup[i], 0, 1, bins)]++
  const sorted = Float64Array.from(perGroup)
  sortFloat64(sorted)
  const q = (p: number) => quantileSorted(sorted, p)
  return {edges: edgesOf(0, 1, bins), groups, quantiles: {p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9)}}
}
