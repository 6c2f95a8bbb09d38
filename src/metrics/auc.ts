import {ScoreHistogram, scoreHistogram} from './histogram.js'

/**
 * Area under the ROC curve from a score histogram: the probability that a random positive scores
 * above a random negative, tied pairs counting 1/2 (the Mann-Whitney U statistic over P*N);
 * weighted pairs count w_i * w_j. Equals scikit-learn `roc_auc_score` (with `sample_weight`).
 *
 *   AUC = sum_v pos_v * (neg_below_v + neg_v / 2) / (P * N)
 *
 * Reference: Hanley & McNeil (1982); https://en.wikipedia.org/wiki/Receiver_operating_characteristic#Area_under_the_curve
 * @returns AUC in [0, 1], or NaN when P or N is 0
 * @example aucOfHistogram(scoreHistogram(Float64Array.of(0.1, 0.4, 0.35, 0.8), Uint8Array.of(0, 0, 1, 1))) // 0.75
 */
export function aucOfHistogram(h: ScoreHistogram): number {
  if (h.P === 0 || h.N === 0) return NaN
  let below = 0
  let sum = 0
  for (let k = 0; k < h.values.length; k++) {
    sum += h.pos[k] * (below + 0.5 * h.neg[k])
    below += h.neg[k]
  }
  return sum / (h.P * h.N)
}

/**
 * AUC of `scores` against 0/1 `labels`, optionally weighted.
 * @example auc(Uint8Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8)) // 0.75
 */
export function auc(labels: Uint8Array, scores: Float64Array, weights?: Float64Array): number {
  return aucOfHistogram(scoreHistogram(scores, labels, weights))
}
