import {ScoreHistogram} from './histogram.js'

/**
 * The confusion matrix at a threshold t, predicting positive when score >= t (scikit-learn's
 * convention), and the rates derived from it. Counts are weight sums with weights.
 *
 *   TPR (recall) = TP/(TP+FN)   FPR = FP/(FP+TN)   TNR = TN/(TN+FP)   FNR = FN/(TP+FN)
 *   precision = TP/(TP+FP)      NPV = TN/(TN+FN)   F1 = 2TP/(2TP+FP+FN)   accuracy = (TP+TN)/total
 *
 * A rate whose denominator is 0 is null (precision when nothing is predicted positive, NPV when
 * nothing is predicted negative).
 */
export interface ThresholdRow {
  threshold: number
  tp: number
  fp: number
  tn: number
  fn: number
  tpr: number | null
  fpr: number | null
  tnr: number | null
  fnr: number | null
  precision: number | null
  npv: number | null
  f1: number | null
  accuracy: number | null
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null)

/** Index of the first value >= t in ascending `values` (values.length when none). */
function lowerBound(values: Float64Array, t: number): number {
  let lo = 0
  let hi = values.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid] < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

export function confusionAt(h: ScoreHistogram, thresholds: readonly number[]): ThresholdRow[] {
  const d = h.values.length
  // suffix sums: above[k] = count with value index >= k
  const posAbove = new Float64Array(d + 1)
  const negAbove = new Float64Array(d + 1)
  for (let k = d - 1; k >= 0; k--) {
    posAbove[k] = posAbove[k + 1] + h.pos[k]
    negAbove[k] = negAbove[k + 1] + h.neg[k]
  }
  return thresholds.map((t) => {
    const k = lowerBound(h.values, t)
    const tp = posAbove[k]
    const fp = negAbove[k]
    const fn = h.P - tp
    const tn = h.N - fp
    return {
      threshold: t,
      tp,
      fp,
      tn,
      fn,
      tpr: ratio(tp, tp + fn),
      fpr: ratio(fp, fp + tn),
      tnr: ratio(tn, tn + fp),
      fnr: ratio(fn, tp + fn),
      precision: ratio(tp, tp + fp),
      npv: ratio(tn, tn + fn),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
      accuracy: ratio(tp + tn, tp + tn + fp + fn),
    }
  })
}
