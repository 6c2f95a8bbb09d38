import {normalCdf} from './normal.js'
import {tQuantile, tTwoSided} from './student-t.js'
import {welchDf} from './welch.js'

/**
 * The comparison of a treatment estimate with a control estimate (shared/spec/cli.md, `ab`):
 *
 *   delta = T - C,              SE = sqrt(Var(delta)),   Var(delta) = V_t + V_c (independent arms)
 *   p_value = 2 P(t_nu > |delta| / SE),   delta_ci = delta +- t(1 - alpha/2, nu) SE
 *   lift = T / C - 1,           SE_lift = sqrt(V_t / C^2 + T^2 V_c / C^4)   (delta method)
 *   lift_ci = lift +- t(1 - alpha/2, nu) SE_lift
 *   prob_better = Phi(lift / SE_lift)   (normal approximation, flat prior: GrowthBook's
 *                                        "chance to win"; Phi(delta / SE) when lift is undefined)
 *   mde = (t(1 - alpha/2, nu) + t(power, nu)) SE,   mde_lift = mde / |C|
 *
 * nu is Welch-Satterthwaite for independent arms, or given (days - 1 for a paired test).
 * mde is the true difference this test detects with probability `power` (80% by default) at its
 * alpha, given the variance it has now.
 */
export interface Comparison {
  delta: number
  se: number
  df: number
  /** delta / se */
  statistic: number | null
  p_value: number | null
  delta_ci: [number, number] | null
  lift: number | null
  lift_se: number | null
  lift_ci: [number, number] | null
  prob_better: number | null
  mde: number | null
  mde_lift: number | null
}

export interface ComparisonInput {
  control: number
  treatment: number
  /** Var(delta) */
  varDelta: number
  /** Var(lift); by default V_t / C^2 + T^2 V_c / C^4 from `varControl` and `varTreatment` */
  varLift?: number
  varControl?: number
  varTreatment?: number
  df: number
  alpha: number
  power?: number
}

/**
 * Delta, lift, their intervals, the p-value, prob_better and the MDE of one comparison.
 * Undefined parts (zero variance, a zero control value) are null.
 * @example compareEstimates({control: 1, treatment: 1.1, varDelta: 0.0025, varControl: 0.00125, varTreatment: 0.00125, df: 100, alpha: 0.05}).p_value // 0.04821217873113349
 */
export function compareEstimates(c: ComparisonInput): Comparison {
  const delta = c.treatment - c.control
  const se = Math.sqrt(c.varDelta)
  const df = c.df
  const power = c.power ?? 0.8
  const ok = se > 0 && Number.isFinite(se) && df > 0
  const tcrit = ok ? tQuantile(1 - c.alpha / 2, df) : NaN
  let lift: number | null = null
  let liftSe: number | null = null
  if (c.control !== 0 && Number.isFinite(c.control)) {
    lift = c.treatment / c.control - 1
    const vl =
      c.varLift ??
      (c.varControl !== undefined && c.varTreatment !== undefined
        ? c.varTreatment / (c.control * c.control) + (c.treatment * c.treatment * c.varControl) / (c.control * c.control * c.control * c.control)
        : NaN)
    liftSe = Number.isFinite(vl) && vl >= 0 ? Math.sqrt(vl) : null
  }
  const statistic = ok ? delta / se : null
  const mde = ok ? (tcrit + tQuantile(power, df)) * se : null
  return {
    delta,
    se,
    df,
    statistic,
    p_value: ok ? tTwoSided(delta / se, df) : null,
    delta_ci: ok ? [delta - tcrit * se, delta + tcrit * se] : null,
    lift,
    lift_se: liftSe,
    lift_ci: ok && lift !== null && liftSe !== null ? [lift - tcrit * liftSe, lift + tcrit * liftSe] : null,
    prob_better: lift !== null && liftSe !== null && liftSe > 0 ? normalCdf(lift / liftSe) : ok ? normalCdf(delta / se) : null,
    mde,
    mde_lift: mde !== null && c.control !== 0 ? mde / Math.abs(c.control) : null,
  }
}

/**
 * Welch's comparison of two independent arms, each an estimate with its variance and units.
 * @example welchCompare({value: 0.5, variance: 0.001, n: 100}, {value: 0.6, variance: 0.001, n: 100}, 0.05).df // 198
 */
export function welchCompare(control: {value: number; variance: number; n: number}, treatment: {value: number; variance: number; n: number}, alpha: number, power = 0.8): Comparison {
  return compareEstimates({
    control: control.value,
    treatment: treatment.value,
    varDelta: control.variance + treatment.variance,
    varControl: control.variance,
    varTreatment: treatment.variance,
    df: welchDf(control.variance, control.n, treatment.variance, treatment.n),
    alpha,
    power,
  })
}
