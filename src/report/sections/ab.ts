import type {DayRow, ResultRow} from '../../ab/analyze.js'
import type {AbResult} from '../../ab/run.js'
import {dailyLiftChart, liftForestChart} from '../charts/ab.js'
import {exact, formatCount} from '../format.js'
import type {Block, Cell, Fact, Report, ReportMeta, Section} from '../types.js'

/**
 * The sections of a `receval ab` report, from the result object alone (what --json prints):
 * an SRM banner when the split is off, the table of every result, a forest plot of the lifts,
 * and with --day the lift by day with its interval band. Nothing is recomputed here.
 */

const pct = (v: number, digits = 2) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(digits)}%`

function level(alpha: number): string {
  return `${Math.round(100 * (1 - alpha) * 100) / 100}%`
}

function liftInterval(ci: [number, number] | null): Cell {
  return ci ? {value: `[${pct(ci[0])}, ${pct(ci[1])}]`, title: `[${exact(ci[0])}, ${exact(ci[1])}]`} : null
}

function abFacts(r: AbResult): Fact[] {
  const method = r.method === 'paired-days' ? 'paired t-test over days (df = days - 1)' : 'delta method per unit, Welch t'
  const facts: Fact[] = [
    {label: r.file ? 'Rows' : 'Stats rows', value: r.rows, help: r.dropped_rows ? `(${formatCount(r.dropped_rows)} dropped by --drop-invalid)` : undefined},
    {label: 'Units', value: r.units},
    {label: 'Arms', value: Object.entries(r.arms).map(([a, v]) => `${a} ${formatCount(v.units)}`).join(', ')},
    {label: 'Control', value: r.control},
    {label: 'Test', value: r.sequential ? `${method}; always-valid (asymptotic confidence sequences, N* = ${formatCount(r.sequential.tuning)})` : method},
    {label: 'Alpha', value: String(r.alpha), help: `intervals at ${level(r.alpha)}`},
    {label: 'Correction', value: r.correction === 'bh' ? 'Benjamini-Hochberg' : r.correction, help: `over ${r.results.length} (metric, arm) result${r.results.length === 1 ? '' : 's'}`},
    {label: 'Metrics', value: Object.entries(r.metrics).map(([m, d]) => (d.expr ? `${m} = ${d.expr}` : m)).join('; ')},
  ]
  for (const c of r.capping ?? []) facts.push({label: `Capped ${c.column}`, value: `at ${c.threshold} (${c.rule}): ${formatCount(c.units_capped)} units, ${(100 * c.share_capped).toFixed(3)}%`})
  return facts
}

function srmSection(r: AbResult): Section {
  const s = r.srm
  const arms = Object.keys(r.arms)
  const total = arms.reduce((t, a) => t + r.arms[a].units, 0)
  const text = s.mismatch
    ? `Sample ratio mismatch: the units per arm differ from the expected split far beyond chance (chi-square ${s.chi2.toPrecision(4)}, p = ${s.p_value.toPrecision(3)} < 0.001). Assignment or logging is broken for some units; the results below are not trustworthy until that is explained.`
    : `Sample ratio check passed: units per arm are consistent with the expected split (chi-square ${s.chi2.toPrecision(4)}, p = ${s.p_value.toPrecision(3)}).`
  return {
    id: 'srm',
    title: 'Sample ratio',
    blocks: [
      {kind: 'note', tone: s.mismatch ? 'warn' : 'info', text},
      {
        kind: 'table',
        columns: [{title: 'arm', format: 'text'}, {title: 'units', format: 'count'}, {title: 'share', format: 'percent'}, {title: 'expected share', format: 'percent'}],
        rows: arms.map((a) => [a, r.arms[a].units, r.arms[a].units / total, s.expected_shares[a]]),
      },
    ],
  }
}

const sigCell = (x: ResultRow): Cell => (x.significant ? {value: (x.delta ?? 0) > 0 ? 'yes, higher' : 'yes, lower', tone: (x.delta ?? 0) > 0 ? 'good' : 'bad'} : {value: 'no', tone: 'muted'})

/** The headline table: each metric's values and lift, adjusted p and verdict. */
function effectsTable(rows: ResultRow[], alpha: number): Block {
  const lv = level(alpha)
  return {
    kind: 'table',
    columns: [
      {title: 'metric', format: 'text'},
      {title: 'arm', format: 'text'},
      {title: 'control', help: 'sum of numerator / sum of denominator over the control units (a mean per unit for a single column)'},
      {title: 'treatment'},
      {title: 'lift', format: 'percent', help: 'treatment / control - 1 (CUPED-adjusted when a covariate is given)'},
      {title: `lift ${lv} CI`, format: 'text', help: 'delta-method interval of the lift'},
      {title: 'p adjusted', format: 'p', help: 'two-sided p-value after the multiple-testing correction'},
      {title: 'significant', format: 'text', help: `p adjusted < ${alpha}`},
    ],
    rows: rows.map((x): Cell[] => [x.metric, x.arm, x.control, x.treatment, x.lift, liftInterval(x.lift_ci), x.p_adjusted ?? null, sigCell(x)]),
  }
}

/** The rest of each result: the absolute difference, raw p, prob_better, MDE, CUPED. */
function detailsTable(rows: ResultRow[], alpha: number): Block {
  const lv = level(alpha)
  const cuped = rows.some((x) => x.cuped)
  return {
    kind: 'table',
    caption: 'Details',
    columns: [
      {title: 'metric', format: 'text'},
      {title: 'arm', format: 'text'},
      {title: 'delta', help: 'treatment - control'},
      {title: `delta ${lv} CI`, format: 'interval'},
      {title: 'p', format: 'p', help: 'two-sided, before adjustment'},
      {title: 'df', help: 'Welch-Satterthwaite degrees of freedom (days - 1 for paired-days)'},
      {title: 'P(better)', format: 'percent', help: 'normal approximation: Phi(lift / SE of lift)'},
      {title: 'MDE', format: 'percent', help: 'relative change this test detects with 80% power at its alpha'},
      {title: 'units (control / treatment)', format: 'text'},
      ...(cuped ? [{title: 'CUPED variance reduction', format: 'percent' as const}] : []),
    ],
    rows: rows.map((x): Cell[] => {
      const row: Cell[] = [x.metric, x.arm, x.delta, x.delta_ci, x.p_value, x.df, x.prob_better, x.mde_lift, `${formatCount(x.units_control)} / ${formatCount(x.units_treatment)}`]
      if (cuped) row.push(x.cuped ? x.cuped.variance_reduction : {value: 'no covariate', tone: 'muted'})
      return row
    }),
  }
}

/** Results by day: one row per (day, metric, arm). */
function dayTable(rows: DayRow[], alpha: number, caption: string): Block {
  const lv = level(alpha)
  return {
    kind: 'table',
    caption,
    columns: [
      {title: 'day', format: 'text'},
      {title: 'metric', format: 'text'},
      {title: 'arm', format: 'text'},
      {title: 'control'},
      {title: 'treatment'},
      {title: 'lift', format: 'percent'},
      {title: `lift ${lv} CI`, format: 'text'},
      {title: 'p', format: 'p'},
      {title: 'units (control / treatment)', format: 'text'},
    ],
    rows: rows.map((x): Cell[] => [x.day, x.metric, x.arm, x.control, x.treatment, x.lift, liftInterval(x.lift_ci), x.p_value, `${formatCount(x.units_control)} / ${formatCount(x.units_treatment)}`]),
  }
}

export interface AbReportOptions {
  /** add tooltips for --interactive pages */
  interactive?: boolean
}

function forestSection(r: AbResult, opts: AbReportOptions): Section | undefined {
  const rows = r.results.filter((x) => x.lift !== null && x.lift_ci !== null)
  if (!rows.length) return undefined
  const lv = level(r.alpha)
  const forest = rows.map((x) => ({label: `${x.metric} · ${x.arm}`, lift: x.lift as number, lo: (x.lift_ci as [number, number])[0], hi: (x.lift_ci as [number, number])[1], significant: !!x.significant}))
  return {
    id: 'lifts',
    title: 'Lifts',
    intro: `Each treatment against ${r.control}: the lift and its ${lv} ${r.sequential ? 'always-valid ' : ''}interval. Blue: significant after ${r.correction === 'none' ? 'no' : r.correction === 'bh' ? 'Benjamini-Hochberg' : 'Holm'} adjustment.`,
    blocks: [
      {
        kind: 'chart',
        title: 'Lift by metric and arm',
        spec: liftForestChart(forest, lv),
        interactiveSpec: opts.interactive ? liftForestChart(forest, lv, {hover: true}) : undefined,
        caption: 'Dashed: no change. Intervals are not adjusted for multiple testing; the colour is.',
        alt: `Forest plot of the lifts of ${rows.length} results`,
        width: 'wide',
      },
    ],
  }
}

function daySection(r: AbResult, opts: AbReportOptions): Section | undefined {
  if (!r.days) return undefined
  const cumulative = (r.cumulative?.length ?? 0) > 0
  const list: DayRow[] = cumulative ? (r.cumulative as DayRow[]) : (r.daily ?? [])
  if (!list.length) return undefined
  const blocks: Block[] = []
  for (const metric of Object.keys(r.metrics)) {
    const points = list.filter((x) => x.metric === metric && x.lift !== null).map((x) => ({arm: x.arm, day: x.day, lift: x.lift as number, lo: x.lift_ci?.[0] ?? null, hi: x.lift_ci?.[1] ?? null}))
    if (!points.length) continue
    const kind = cumulative ? 'cumulative' : 'daily'
    blocks.push({kind: 'chart', title: metric, spec: dailyLiftChart(metric, r.days, points, kind), interactiveSpec: opts.interactive ? dailyLiftChart(metric, r.days, points, kind, {hover: true}) : undefined, caption: `Band: the ${level(r.alpha)} ${cumulative && r.sequential ? 'always-valid ' : ''}interval of the lift${cumulative ? ' on all data up to that day' : ' of that day alone'}.`, alt: `Lift of ${metric} by day`})
  }
  blocks.push(dayTable(list, r.alpha, cumulative ? 'Cumulative results by day (not adjusted for multiple testing)' : 'Results by day (not adjusted for multiple testing)'))
  const peek = r.sequential ? 'The intervals are always-valid: looking every day and stopping when one excludes 0 keeps the false-positive rate at alpha.' : 'These fixed-horizon intervals are valid for one look at a planned end; stopping the first day one excludes 0 inflates false positives (use --sequential to peek).'
  return {id: 'days', title: cumulative ? 'Lift over time (cumulative)' : 'Lift by day', intro: peek, blocks}
}

/** The whole ab report: frame, sections and notes, from the result and the run's frame. */
export function abReport(r: AbResult, meta: ReportMeta, opts: AbReportOptions = {}): Report {
  const source = r.file ?? (r.stats_files ?? []).join(', ')
  const sections: (Section | undefined)[] = [
    srmSection(r),
    {id: 'results', title: 'Results', intro: `Every treatment arm against ${r.control} on every metric. Hover a column name for its definition and a value for its full precision.`, blocks: [effectsTable(r.results, r.alpha), detailsTable(r.results, r.alpha)]},
    forestSection(r, opts),
    daySection(r, opts),
  ]
  return {
    title: `A/B report: ${source}`,
    subtitle: `${Object.keys(r.arms).length} arms · ${Object.keys(r.metrics).join(', ')}${r.srm.mismatch ? ' · SAMPLE RATIO MISMATCH' : ''}`,
    meta,
    facts: abFacts(r),
    sections: sections.filter((s): s is Section => s !== undefined),
    notes: r.notes,
    data: r,
  }
}
