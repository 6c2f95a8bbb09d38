import {Comparison, compareEstimates} from './two-sample.js'

/**
 * The paired t-test over days, for when only daily aggregates per arm exist: each day d gives
 * the metric of the control C_d and of the treatment T_d (both arms live on the same days, so the
 * day-to-day swings cancel in D_d = T_d - C_d).
 *
 *   delta = mean(D),  SE = sd(D) / sqrt(k),  df = k - 1   (k days, sample sd)
 *   control = mean(C), treatment = mean(T), lift = mean(T) / mean(C) - 1 with the delta-method
 *   SE_lift^2 = (s_T^2 / Cbar^2 - 2 Tbar s_TC / Cbar^3 + Tbar^2 s_C^2 / Cbar^4) / k
 *
 * Intervals use t(1 - alpha/2, k - 1). Reference: any statistics text (Student 1908); this is
 * scipy.stats.ttest_rel on the daily values.
 * @example pairedDays(Float64Array.of(1, 2, 3), Float64Array.of(1.5, 2.4, 3.7), 0.05).p_value // 0.026271008879704787 (df = 2)
 */
export function pairedDays(control: Float64Array, treatment: Float64Array, alpha: number, power = 0.8): Comparison & {days: number} {
  const k = control.length
  let sc = 0
  let st = 0
  for (let d = 0; d < k; d++) {
    sc += control[d]
    st += treatment[d]
  }
  const mc = sc / k
  const mt = st / k
  let vcc = 0
  let vtt = 0
  let vtc = 0
  for (let d = 0; d < k; d++) {
    const a = control[d] - mc
    const b = treatment[d] - mt
    vcc += a * a
    vtt += b * b
    vtc += a * b
  }
  vcc /= k - 1
  vtt /= k - 1
  vtc /= k - 1
  const varDiff = Math.max(0, vtt + vcc - 2 * vtc) / k
  const varLift = mc !== 0 ? (vtt / (mc * mc) - (2 * mt * vtc) / (mc * mc * mc) + (mt * mt * vcc) / (mc * mc * mc * mc)) / k : NaN
  return {...compareEstimates({control: mc, treatment: mt, varDelta: varDiff, varLift: Math.max(0, varLift), df: k - 1, alpha, power}), days: k}
}
