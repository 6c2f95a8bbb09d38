import {ScoreHistogram} from './histogram.js'

/**
 * Average precision, step-wise: AP = sum_k (R_k - R_{k-1}) * P_k over the distinct score
 * thresholds from the highest down, where P_k and R_k are the precision and recall of predicting
 * positive at score >= threshold k. No interpolation. Equals scikit-learn `average_precision_score`.
 *
 * Reference: https://scikit-learn.org/stable/modules/model_evaluation.html#precision-recall-and-f-measures
 * @returns AP in [0, 1], or NaN when there are no positives
 */
export function averagePrecision(h: ScoreHistogram): number {
  if (h.P === 0) return NaN
  let tp = 0
  let fp = 0
  let prevRecall = 0
  let ap = 0
  for (let k = h.values.length - 1; k >= 0; k--) {
    tp += h.pos[k]
    fp += h.neg[k]
    if (h.pos[k] === 0) continue
    const recall = tp / h.P
    ap += (recall - prevRecall) * (tp / (tp + fp))
    prevRecall = recall
  }
  return ap
}
