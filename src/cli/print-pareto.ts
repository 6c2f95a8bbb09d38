import type {ParetoSweepResult, ParetoTableResult} from '../pareto/result.js'
import {Cell, fmt, formatTable} from './format.js'

/** Grids larger than this print their frontier rows only (the JSON has every point). */
const FULL_GRID_ROWS = 200

const list = (xs: readonly number[], max = 20) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')}, ... (${xs.length} in all)`)
const weight = (w: number) => String(Number(w.toPrecision(6)))
const plural = (n: number, word: string) => (n === 1 ? word : word + 's')
const planeNote = (plane: string | null) => (plane === 'unit' ? '; measured from the plane where the normalized objectives sum to 1, as one frontier point is best in two objectives' : '')

/** The human-readable form of a table-mode `pareto` result. */
export function printTable(r: ParetoTableResult, values: Float64Array): string {
  const out: string[] = []
  const objs = r.objectives.map((o) => `${o.column} (${o.sense})`).join(', ')
  out.push(`${r.file}: ${r.points} points${r.dropped_rows ? ` (${r.dropped_rows} rows dropped)` : ''}, ${r.frontier.length} on the frontier; objectives ${objs}`)
  out.push('')
  const many = r.frontier.length > FULL_GRID_ROWS
  out.push(many ? `frontier (0-based rows; the first ${FULL_GRID_ROWS} of ${r.frontier.length}, --json lists all):` : 'frontier (0-based rows):')
  out.push(formatTable(['row', ...r.objectives.map((o) => o.column), 'note'], frontierRows(r, values)))
  out.push('')
  if (r.hypervolume !== undefined) out.push(`hypervolume: ${fmt(r.hypervolume)} against ref (${(r.ref ?? []).join(', ')}), from ${r.hypervolume_points} frontier points strictly better than it`)
  out.push(r.knee !== null ? `knee: row ${r.knee} (normalized distance ${fmt(r.knee_distance)}${planeNote(r.knee_plane)})` : `knee: none (${r.knee_reason})`)
  if (r.baseline) {
    const b = r.baseline
    out.push(`baseline: row ${b.row} ${b.on_frontier ? 'is on the frontier' : `is dominated by ${plural(b.dominated_by.length, 'row')} ${list(b.dominated_by)}`}; hypervolume improving on it in every objective ${fmt(b.dominating_hypervolume)}${b.hypervolume_gain !== undefined ? `, hypervolume gained over it ${fmt(b.hypervolume_gain)}` : ''}`)
  }
  return out.join('\n')
}

/** Frontier rows with the objective values as the file has them (up to 10 significant digits), right aligned. */
function frontierRows(r: ParetoTableResult, values: Float64Array): Cell[][] {
  const d = r.objectives.length
  const rows = r.frontier.slice(0, FULL_GRID_ROWS)
  const text = rows.map((i) => r.objectives.map((_, j) => String(Number(values[i * d + j].toPrecision(10)))))
  const width = r.objectives.map((o, j) => Math.max(o.column.length, ...text.map((t) => t[j].length)))
  return rows.map((i, t) => {
    const notes = [i === r.knee ? 'knee' : '', i === r.baseline?.row ? 'baseline' : ''].filter(Boolean).join(', ')
    return [String(i).padStart(3), ...text[t].map((v, j) => v.padStart(width[j])), notes]
  })
}

/** The human-readable form of a sweep-mode `pareto` result. */
export function printSweep(r: ParetoSweepResult): string {
  const out: string[] = []
  const names = r.tasks.map((t) => t.name)
  out.push(`${r.file}: ${r.rows} rows${r.dropped_rows ? ` (${r.dropped_rows} dropped)` : ''}; ${r.metric} of ${r.fusion} fusion${r.times ? ` times ${r.times}` : ''}; ${r.grid.length} weight vectors (steps ${r.steps}), ${r.frontier.length} on the frontier`)
  for (const t of r.tasks) {
    const groups = t.groups !== undefined ? `, ${t.groups} groups used (${t.groups_skipped} skipped)` : ''
    out.push(`  task ${t.name}: score ${t.score}, label ${t.label}${t.filter ? ` on rows where ${t.filter} is 1` : ''} (${t.rows} rows, ${t.positives} positives${groups})`)
  }
  out.push('')
  const full = r.grid.length <= FULL_GRID_ROWS
  if (!full) out.push(`frontier points only (${r.grid.length} grid points; --json has all of them):`)
  const idx = full ? r.grid.map((_, g) => g) : r.frontier
  const header = ['#', ...names.map((n) => `w_${n}`), ...names.map((n) => `${n} ${r.metric}`), 'frontier']
  const rows: Cell[][] = idx.map((g) => {
    const p = r.grid[g]
    const mark = [p.on_frontier ? '*' : '', g === r.knee ? 'knee' : '', g === r.baseline?.grid_index ? 'baseline' : ''].filter(Boolean).join(' ')
    return [String(g), ...names.map((n) => weight(p.weights[n])), ...names.map((n) => p.metrics[n]), mark]
  })
  if (r.baseline && r.baseline.grid_index === null) {
    const b = r.baseline
    rows.push(['base', ...names.map((n) => weight(b.weights[n])), ...names.map((n) => b.metrics[n]), b.on_frontier ? 'baseline (not dominated)' : 'baseline'])
  }
  out.push(formatTable(header, rows))
  out.push('')
  out.push(`frontier: ${list(r.frontier)}`)
  out.push(`hypervolume: ${fmt(r.hypervolume)} against ${r.ref_source === 'ref' ? 'ref' : r.ref_source === 'baseline' ? 'the baseline' : 'the grid nadir'} (${r.ref.map((v) => fmt(v)).join(', ')})`)
  if (r.knee !== null) {
    const w = r.grid[r.knee].weights
    out.push(`knee: #${r.knee} (${names.map((n) => `${n} ${weight(w[n])}`).join(', ')}), normalized distance ${fmt(r.knee_distance)}${planeNote(r.knee_plane)}`)
  } else out.push(`knee: none (${r.knee_reason})`)
  if (r.baseline) {
    const b = r.baseline
    const where = b.grid_index !== null ? `#${b.grid_index}` : `(${names.map((n) => weight(b.weights[n])).join(', ')}, off the grid)`
    out.push(`baseline ${where}: ${b.on_frontier ? 'not dominated by any grid point' : `dominated by #${list(b.dominated_by)}`}; hypervolume improving on it in every task ${fmt(b.dominating_hypervolume)}, gained over it ${fmt(b.hypervolume_gain)}`)
  }
  return out.join('\n')
}
