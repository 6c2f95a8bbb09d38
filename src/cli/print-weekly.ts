import type {WeeklySummary} from '../history/weekly.js'
import {windowText} from '../report/sections/weekly.js'
import {formatTable} from './format.js'

/** The human-readable summary of a weekly report: the window, the counts, the regressions. */
export function printWeekly(s: WeeklySummary & {tolerance: number}): string {
  const out: string[] = []
  out.push(`window ${windowText(s.since, s.until)} (previous: ${windowText(s.previous_since, s.since)}): ${s.runs} runs (${s.previous_runs} in the previous window), ${s.series.length} series, ${s.ab.length} A/B test${s.ab.length === 1 ? '' : 's'}`)
  const tol = `${(100 * s.tolerance).toFixed(2).replace(/\.?0+$/, '')}%`
  if (s.regressions.length === 0) out.push(`no regression (worse by more than ${tol})`)
  else {
    out.push('', `regressions (worse by more than ${tol}):`)
    out.push(
      formatTable(
        ['series', 'metric', 'previous mean', 'mean', 'change'],
        s.regressions.map((r) => [r.series, r.path, r.previous_mean, r.mean, r.relative_change === null ? r.mean - r.previous_mean : `${r.relative_change >= 0 ? '+' : ''}${(100 * r.relative_change).toFixed(2)}%`]),
        {indent: '  '},
      ),
    )
  }
  return out.join('\n')
}
