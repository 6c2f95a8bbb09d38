import {ScoreHistogram} from './histogram.js'

/**
 * Metrics of scores read as probabilities. With weights w (default 1):
 *
 *   logloss     = sum w * -[y ln p + (1-y) ln(1-p)] / sum w, p = score clipped to [1e-15, 1-1e-15]
 *   ne          = logloss / H(b), b = sum w*y / sum w, H(b) = -[b ln b + (1-b) ln(1-b)]  (normalized entropy)
 *   brier       = sum w * (score - y)^2 / sum w
 *   calibration = sum w * score / sum w * y
 *
 * All four are undefined (null) when any score lies outside [0, 1]: the scores are not probabilities.
 * References: scikit-learn log_loss / brier_score_loss; He et al. 2014 (NE, "Practical lessons from
 * predicting clicks on ads at Facebook"); torchrec NE and calibration metrics.
 */
export interface ProbabilityMetrics {
  logloss: number | null
  ne: number | null
  brier: number | null
  calibration: number | null
  /** true when every score is in [0, 1] */
  inRange: boolean
}

const EPS = 1e-15

/**
 * The same metrics from a score histogram: every term depends only on the score value and the
 * label, so one logarithm per distinct value replaces one per row.
 */
export function probabilityFromHistogram(h: ScoreHistogram): ProbabilityMetrics {
  const {values, pos, neg} = h
  const d = values.length
  const inRange = d === 0 || (values[0] >= 0 && values[d - 1] <= 1)
  if (!inRange) return {logloss: null, ne: null, brier: null, calibration: null, inRange}
  let ll = 0
  let br = 0
  let sws = 0
  for (let k = 0; k < d; k++) {
    const s = values[k]
    const p = s < EPS ? EPS : s > 1 - EPS ? 1 - EPS : s
    const wp = pos[k]
    const wn = neg[k]
    if (wp !== 0) ll -= wp * Math.log(p)
    if (wn !== 0) ll -= wn * Math.log(1 - p)
    br += wp * (s - 1) * (s - 1) + wn * s * s
    sws += (wp + wn) * s
  }
  const sw = h.P + h.N
  const logloss = ll / sw
  const b = h.P / sw
  const ent = b > 0 && b < 1 ? -(b * Math.log(b) + (1 - b) * Math.log(1 - b)) : NaN
  return {logloss, ne: Number.isFinite(ent) ? logloss / ent : null, brier: br / sw, calibration: h.P > 0 ? sws / h.P : null, inRange}
}

export function probabilityMetrics(labels: Uint8Array, scores: Float64Array, weights?: Float64Array): ProbabilityMetrics {
  const n = scores.length
  let sw = 0
  let swy = 0
  let sws = 0
  let ll = 0
  let br = 0
  let inRange = true
  for (let i = 0; i < n; i++) {
    const s = scores[i]
    const y = labels[i]
    const w = weights ? weights[i] : 1
    if (!(s >= 0 && s <= 1)) inRange = false
    const p = s < EPS ? EPS : s > 1 - EPS ? 1 - EPS : s
    ll -= w * (y === 1 ? Math.log(p) : Math.log(1 - p))
    const d = s - y
    br += w * d * d
    sw += w
    swy += w * y
    sws += w * s
  }
  if (!inRange) return {logloss: null, ne: null, brier: null, calibration: null, inRange}
  const logloss = ll / sw
  const b = swy / sw
  const h = b > 0 && b < 1 ? -(b * Math.log(b) + (1 - b) * Math.log(1 - b)) : NaN
  return {
    logloss,
    ne: Number.isFinite(h) ? logloss / h : null,
    brier: br / sw,
    calibration: swy > 0 ? sws / swy : null,
    inRange,
  }
}
