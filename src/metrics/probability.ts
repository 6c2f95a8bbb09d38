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
