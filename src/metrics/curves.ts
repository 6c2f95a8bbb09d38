import {AucResult, ClassificationDetail} from './classification.js'
import {GroupAucDistribution, groupAucDistribution, SCORE_BINS, ScoreDistribution, scoreDistribution} from './distribution.js'
import {MAX_CURVE_POINTS, OperatingCurve, operatingCurve} from './operating-curve.js'
import {RELIABILITY_BINS, ReliabilityBins, reliabilityBins} from './reliability.js'

/**
 * The drawable data of one score: everything a report needs to draw its charts, aggregated (a
 * few thousand numbers whatever the input size) from what `evaluateClassification` computed.
 */
export interface ScoreCurves {
  /** ROC operating points, thinned (see operating-curve.ts) */
  roc: OperatingCurve
  /** precision-recall operating points, thinned */
  pr: OperatingCurve
  /** equal-frequency reliability bins; null when a score lies outside [0, 1] */
  reliability: ReliabilityBins | null
  /** score histograms of positives and negatives */
  distribution: ScoreDistribution
  /** with a group column: the distribution of per-group AUC (null when no group has both classes) */
  group_auc?: GroupAucDistribution | null
}

/** The `auc` result with the curve data that `--html` and `--curves` add (the key `curves`). */
export type AucResultWithCurves = AucResult & {curves?: Record<string, ScoreCurves>}

export interface CurveOptions {
  /** at most this many points per ROC / PR curve (default 1000) */
  maxPoints?: number
  /** equal-frequency reliability bins (default 10) */
  reliabilityBins?: number
  /** equal-width score distribution bins (default 40) */
  scoreBins?: number
  /** level of the reliability intervals (default: the result's alpha, else 0.05) */
  alpha?: number
}

/**
 * The curve data of every score of an `auc` result, from the histograms and per-group AUCs in
 * `detail` (no pass over the rows). Keys follow `result.scores`.
 */
export function classificationCurves(result: AucResult, detail: ClassificationDetail, opts: CurveOptions = {}): Record<string, ScoreCurves> {
  const out: Record<string, ScoreCurves> = {}
  const weighted = result.columns.weight !== undefined
  const alpha = opts.alpha ?? result.alpha ?? 0.05
  for (const name of Object.keys(result.scores)) {
    const h = detail.histograms.get(name)
    if (!h) throw new Error(`classificationCurves: no histogram for score ${name}`)
    const c: ScoreCurves = {
      roc: operatingCurve(h, 'roc', opts.maxPoints ?? MAX_CURVE_POINTS),
      pr: operatingCurve(h, 'pr', opts.maxPoints ?? MAX_CURVE_POINTS),
      reliability: reliabilityBins(h, opts.reliabilityBins ?? RELIABILITY_BINS, {alpha, weighted}),
      distribution: scoreDistribution(h, opts.scoreBins ?? SCORE_BINS),
    }
    const g = detail.groups.get(name)
    if (result.columns.group !== undefined) c.group_auc = g ? groupAucDistribution(g.perGroup) : null
    out[name] = c
  }
  return out
}
