import {ScoreHistogram} from './histogram.js'
import {segmentDistance, thinPolyline} from './thin.js'

/**
 * The ROC or precision-recall curve of one score as its exact operating points, thinned for
 * drawing. Operating point s predicts positive for every row scoring >= the s-th highest distinct
 * score value (scikit-learn's convention), so
 *
 *   tp_s, fp_s = positives, negatives scoring >= threshold_s     (weight sums with weights)
 *   fpr = fp / N    tpr = recall = tp / P    precision = tp / (tp + fp)
 *
 * The ROC curve runs through s = 0 (threshold +inf: nothing predicted positive, the point (0, 0))
 * and every distinct value down to the lowest (the point (1, 1)): distinct values + 1 points, and
 * the straight segments between them are exactly the curve whose area is the tie-aware AUC. The
 * PR curve has one point per distinct value (precision is undefined at s = 0), from the highest
 * threshold to recall 1; it is drawn through the operating points and no point is invented.
 *
 * Thinning keeps at most `maxPoints` of the exact points, always both ends, chosen by
 * Ramer-Douglas-Peucker (see thin.ts) in the curve's own unit square. On curves of more than
 * 64 maxPoints points, points within 1 / (2 maxPoints) of the previous candidate are merged first,
 * so that ten million distinct scores cost one streaming pass. `max_error` is then measured exactly over every exact point:
 * the largest distance of any of them from the polyline through the kept points.
 *
 * Reference: Fawcett (2006), "An introduction to ROC analysis", Algorithm 1; Davis & Goadrich (2006)
 * on precision-recall space. scikit-learn `roc_curve(drop_intermediate=False)` and
 * `precision_recall_curve` give the same exact points.
 */
export interface OperatingCurve {
  /** how many exact operating points the curve has before thinning */
  exact_points: number
  /** largest distance of an exact point from the polyline through the kept ones (0 when none was dropped) */
  max_error: number
  /** predict positive when score >= threshold; null for the ROC start (+inf, nothing positive) */
  threshold: (number | null)[]
  tp: number[]
  fp: number[]
  fpr: number[]
  tpr: number[]
  /** null when nothing is predicted positive (the ROC start) */
  precision: (number | null)[]
}

export type CurveKind = 'roc' | 'pr'

/** Default for `maxPoints`: enough for a smooth line at any screen size, small in a page. */
export const MAX_CURVE_POINTS = 1000

/** Curves with more than this many times `maxPoints` exact points merge near neighbours before RDP. */
const PREFILTER_ABOVE = 64

/**
 * The exact ROC or PR operating points of a score histogram, thinned to at most `maxPoints`.
 * @param h the score histogram (both classes present)
 * @param kind 'roc' (x = fpr, y = tpr) or 'pr' (x = recall, y = precision)
 * @param maxPoints at most this many points are returned (default 1000, at least 2)
 * @throws when the histogram lacks positives or negatives
 * @example operatingCurve(scoreHistogram(Float64Array.of(0.1, 0.4, 0.35, 0.8), Uint8Array.of(0, 0, 1, 1)), 'roc').tpr // [0, 0.5, 0.5, 1, 1]
 */
export function operatingCurve(h: ScoreHistogram, kind: CurveKind, maxPoints = MAX_CURVE_POINTS): OperatingCurve {
  if (!(h.P > 0 && h.N > 0)) throw new Error('operatingCurve: the histogram needs positives and negatives')
  if (!(maxPoints >= 2)) throw new Error('operatingCurve: maxPoints must be at least 2')
  const d = h.values.length
  const start = kind === 'roc' ? 0 : 1
  const exact = d + 1 - start
  // merging near neighbours first only pays off for very long curves (millions of distinct scores)
  const eps = exact <= PREFILTER_ABOVE * maxPoints ? 0 : 1 / (2 * maxPoints)
  const P = h.P
  const N = h.N

  // 1. one pass from the highest threshold down: candidate points (all of them when few)
  const cs: number[] = []
  const cx: number[] = []
  const cy: number[] = []
  const ctp: number[] = []
  const cfp: number[] = []
  let tp = 0
  let fp = 0
  let lx = NaN
  let ly = NaN
  for (let s = 0; s <= d; s++) {
    if (s > 0) {
      tp += h.pos[d - s]
      fp += h.neg[d - s]
    }
    if (s < start) continue
    const x = kind === 'roc' ? fp / N : tp / P
    const y = kind === 'roc' ? tp / P : tp / (tp + fp)
    if (s === start || s === d || !(Math.abs(x - lx) < eps && Math.abs(y - ly) < eps)) {
      cs.push(s)
      cx.push(x)
      cy.push(y)
      ctp.push(tp)
      cfp.push(fp)
      lx = x
      ly = y
    }
  }

  // 2. Ramer-Douglas-Peucker down to maxPoints
  const keep = thinPolyline(Float64Array.from(cx), Float64Array.from(cy), maxPoints)

  // 3. the exact error of the drawn polyline over every exact point
  let maxError = 0
  if (keep.length < exact) {
    tp = 0
    fp = 0
    let j = 0
    for (let s = 0; s <= d; s++) {
      if (s > 0) {
        tp += h.pos[d - s]
        fp += h.neg[d - s]
      }
      if (s < start) continue
      while (j < keep.length - 2 && cs[keep[j + 1]] <= s) j++
      const a = keep[j]
      const b = keep[j + 1]
      const x = kind === 'roc' ? fp / N : tp / P
      const y = kind === 'roc' ? tp / P : tp / (tp + fp)
      const e = segmentDistance(x, y, cx[a], cy[a], cx[b], cy[b])
      if (e > maxError) maxError = e
    }
  }

  const out: OperatingCurve = {exact_points: exact, max_error: maxError, threshold: [], tp: [], fp: [], fpr: [], tpr: [], precision: []}
  for (const k of keep) {
    const s = cs[k]
    out.threshold.push(s === 0 ? null : h.values[d - s])
    out.tp.push(ctp[k])
    out.fp.push(cfp[k])
    out.fpr.push(cfp[k] / N)
    out.tpr.push(ctp[k] / P)
    out.precision.push(ctp[k] + cfp[k] > 0 ? ctp[k] / (ctp[k] + cfp[k]) : null)
  }
  return out
}
