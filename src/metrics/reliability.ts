import {normalQuantile} from '../stats/normal.js'
import {ScoreHistogram} from './histogram.js'

/**
 * Reliability (calibration) bins of a probability score with equal frequency: the rows are sorted
 * by score and cut into `bins` groups of (about) equal row count (weight sum with weights); rows
 * sharing a score value are never split, so heavy ties give fewer, larger bins. Per bin:
 *
 *   mean_score = sum w * score / sum w      rate = sum w * label / sum w    (the observed positive rate)
 *   [rate_low, rate_high] = Wilson score interval of rate at level 1 - alpha (unweighted rows only)
 *
 * A calibrated score has rate close to mean_score in every bin. Bin b closes at the first distinct
 * value where the running count reaches b / bins of the total. Computed from the score histogram,
 * which holds every row's score and label, so the bins are exact.
 *
 * Reference: Niculescu-Mizil & Caruana (2005), "Predicting good probabilities with supervised
 * learning" (reliability diagrams); scikit-learn `calibration_curve(strategy="quantile")`;
 * Wilson (1927) for the interval.
 */
export interface ReliabilityBins {
  /** the intervals are at level 1 - alpha; null with weights (no intervals) */
  alpha: number | null
  /** lowest and highest score in each bin */
  lower: number[]
  upper: number[]
  /** rows in the bin (weight sum with weights) */
  count: number[]
  positives: number[]
  mean_score: number[]
  rate: number[]
  /** Wilson interval of rate; null with weights (the effective sample size is unknown) */
  rate_low: (number | null)[]
  rate_high: (number | null)[]
}

/** Default number of equal-frequency bins. */
export const RELIABILITY_BINS = 10

/**
 * Equal-frequency reliability bins of a score histogram.
 * @param h the score histogram
 * @param bins how many bins to aim for (default 10)
 * @param opts alpha for the Wilson interval (default 0.05); weighted: counts are weight sums, no interval
 * @returns the bins, or null when a score lies outside [0, 1] (not a probability)
 * @example reliabilityBins(scoreHistogram(Float64Array.of(0.1, 0.2, 0.7, 0.9), Uint8Array.of(0, 1, 1, 1)), 2).rate // [0.5, 1]
 */
export function reliabilityBins(h: ScoreHistogram, bins = RELIABILITY_BINS, opts: {alpha?: number; weighted?: boolean} = {}): ReliabilityBins | null {
  if (!(bins >= 1)) throw new Error('reliabilityBins: bins must be at least 1')
  const d = h.values.length
  if (d === 0 || h.values[0] < 0 || h.values[d - 1] > 1) return null
  const alpha = opts.alpha ?? 0.05
  const z = normalQuantile(1 - alpha / 2)
  const total = h.P + h.N
  const out: ReliabilityBins = {alpha: opts.weighted ? null : alpha, lower: [], upper: [], count: [], positives: [], mean_score: [], rate: [], rate_low: [], rate_high: []}
  let next = 1
  let cum = 0
  let first = 0
  let n = 0
  let pos = 0
  let sum = 0
  for (let k = 0; k < d; k++) {
    const c = h.pos[k] + h.neg[k]
    n += c
    pos += h.pos[k]
    sum += h.values[k] * c
    cum += c
    const target = (next * total) / bins
    if (k < d - 1 && cum < target * (1 - 1e-12)) continue
    const rate = pos / n
    out.lower.push(h.values[first])
    out.upper.push(h.values[k])
    out.count.push(n)
    out.positives.push(pos)
    out.mean_score.push(sum / n)
    out.rate.push(rate)
    if (opts.weighted) {
      out.rate_low.push(null)
      out.rate_high.push(null)
    } else {
      const [lo, hi] = wilson(pos, n, z)
      out.rate_low.push(lo)
      out.rate_high.push(hi)
    }
    while ((next * total) / bins <= cum * (1 + 1e-12)) next++
    first = k + 1
    n = 0
    pos = 0
    sum = 0
  }
  return out
}

/**
 * Wilson score interval of a binomial proportion k / n with normal quantile z:
 * (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
 * @example wilson(5, 10, 1.959963984540054) // [0.2365931, 0.7634069]
 */
export function wilson(k: number, n: number, z: number): [number, number] {
  const p = k / n
  const z2 = z * z
  const den = 1 + z2 / n
  const center = (p + z2 / (2 * n)) / den
  const half = (z / den) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return [Math.max(0, center - half), Math.min(1, center + half)]
}
