import type {AbResult} from '../ab/run.js'
import type {DayRow, ResultRow} from '../ab/analyze.js'
import {Cell, fmt, formatTable} from './format.js'

const pct = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? '-' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(digits)}%`)
const interval = (ci: [number, number] | null | undefined, f: (v: number) => string): string => (ci ? `[${f(ci[0])}, ${f(ci[1])}]` : '-')
const num = (v: number): string => fmt(v)
const pv = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : v < 1e-3 ? v.toExponential(2) : v.toFixed(4))

/** The human-readable form of an `ab` result. */
export function printAb(r: AbResult): string {
  const out: string[] = []
  const armList = Object.entries(r.arms)
    .map(([a, v]) => `${a} ${v.units}`)
    .join(', ')
  const source = r.file ?? (r.stats_files ?? []).join(', ')
  const how = r.method === 'paired-days' ? 'paired t-test over days' : 'delta method, Welch t'
  out.push(`${source}: ${r.rows} rows${r.dropped_rows ? ` (${r.dropped_rows} dropped)` : ''}, ${r.units} units (${armList}); control arm "${r.control}"; ${how}${r.sequential ? `, always-valid (N* = ${r.sequential.tuning})` : ''}; alpha ${r.alpha}, correction ${r.correction}`)
  const s = r.srm
  const split = Object.values(s.expected_shares)
    .map((x) => (x * 100).toFixed(4).replace(/\.?0+$/, ''))
    .join('/')
  out.push(s.mismatch ? `SAMPLE RATIO MISMATCH: chi2 ${s.chi2.toFixed(2)}, p ${pv(s.p_value)} against the expected ${split} split; check assignment before trusting any result` : `SRM check: chi2 ${s.chi2.toFixed(2)}, p ${pv(s.p_value)} (expected ${split}): ok`)
  for (const c of r.capping ?? []) out.push(`capped ${c.column} at ${fmt(c.threshold)} (${c.rule}): ${c.units_capped} units (${(c.share_capped * 100).toFixed(3)}%)`)
  out.push('')
  const ciLabel = `${+((1 - r.alpha) * 100).toFixed(6)}%`
  const header = ['metric', 'arm', 'control', 'treatment', 'delta', `delta ${ciLabel} CI`, 'lift', `lift ${ciLabel} CI`, 'p_value', 'p_adjusted', 'significant', 'prob_better', 'mde_lift']
  const cuped = r.results.some((x) => x.cuped)
  if (cuped) header.push('cuped_var_reduction')
  const rows: Cell[][] = r.results.map((x: ResultRow) => {
    const row: Cell[] = [x.metric, x.arm, x.control, x.treatment, x.delta, interval(x.delta_ci, num), pct(x.lift), interval(x.lift_ci, (v) => pct(v)), pv(x.p_value), pv(x.p_adjusted), x.significant ? 'yes' : 'no', x.prob_better === null ? '-' : x.prob_better.toFixed(4), pct(x.mde_lift)]
    if (cuped) row.push(x.cuped && x.cuped.variance_reduction !== null ? `${(x.cuped.variance_reduction * 100).toFixed(2)}%` : '-')
    return row
  })
  out.push(formatTable(header, rows))
  if (r.cumulative?.length || r.daily?.length) {
    const list: DayRow[] = r.cumulative?.length ? r.cumulative : (r.daily as DayRow[])
    out.push('', `${r.cumulative?.length ? 'cumulative by day' : 'by day'}${r.sequential && r.cumulative?.length ? ' (always-valid intervals)' : ''}:`)
    out.push(formatTable(['day', 'metric', 'arm', 'control', 'treatment', 'lift', 'lift CI', 'p_value'], list.map((x) => [x.day, x.metric, x.arm, x.control, x.treatment, pct(x.lift), interval(x.lift_ci, (v) => pct(v)), pv(x.p_value)])))
  }
  return out.join('\n')
}
