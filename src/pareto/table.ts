import {floatColumn, Table} from '../io/index.js'
import {analyzeFront, BaselineComparison, plotSample} from './front.js'
import {Objective} from './parse.js'

export interface TableBaseline extends BaselineComparison {
  row: number
  values: Record<string, number>
}

/** Table mode: each row is a point, each --objective column a coordinate. */
/** With --html: the points the report draws (all of them up to PLOT_CAP; see `plotSample`). */
export interface ChartPoints {
  /** 0-based rows, ascending */
  rows: number[]
  /** their objective values, in objective order */
  values: number[][]
  /** points in all */
  total: number
}

/** At most this many points are drawn (and put in `chart_points`): 2 objectives, and 3+ (a scatter matrix draws each point once per pair). */
export const PLOT_CAP = 4000
export const PLOT_CAP_MATRIX = 1000

/** The drawing cap for d objectives. */
export function plotCap(d: number): number {
  return d >= 3 ? PLOT_CAP_MATRIX : PLOT_CAP
}

export interface TableOutcome {
  points: number
  objectives: Objective[]
  /** 0-based row indexes, ascending */
  frontier: number[]
  ref?: number[]
  hypervolume?: number
  hypervolume_points?: number
  knee: number | null
  knee_distance: number | null
  knee_plane: 'extremes' | 'unit' | null
  knee_reason?: string
  baseline?: TableBaseline
  /** with --html only */
  chart_points?: ChartPoints
}

/**
 * The Pareto analysis of a table whose rows are settings (models, configurations) and whose
 * objective columns are their metrics: frontier, hypervolume against `ref`, knee, and the
 * baseline row against the frontier (see `analyzeFront`). `values` holds the points, row-major.
 */
export function paretoOfTable(table: Table, objectives: Objective[], opts: {ref?: number[]; baseline?: number} = {}): {result: TableOutcome; values: Float64Array} {
  const d = objectives.length
  const n = table.rows
  const values = new Float64Array(n * d)
  objectives.forEach((o, j) => {
    const col = floatColumn(table, o.column)
    for (let r = 0; r < n; r++) values[r * d + j] = col[r]
  })
  const senses = objectives.map((o) => o.sense)
  const base = opts.baseline !== undefined ? values.slice(opts.baseline * d, opts.baseline * d + d) : undefined
  const a = analyzeFront(values, d, senses, {ref: opts.ref, baseline: base})
  const out: TableOutcome = {points: n, objectives, frontier: a.frontier, knee: null, knee_distance: null, knee_plane: null}
  if (opts.ref !== undefined) {
    out.ref = opts.ref
    out.hypervolume = a.hypervolume
    out.hypervolume_points = a.hypervolume_points
  }
  out.knee = a.knee
  out.knee_distance = a.knee_distance
  out.knee_plane = a.knee_plane
  if (a.knee_reason !== undefined) out.knee_reason = a.knee_reason
  if (opts.baseline !== undefined && base !== undefined && a.baseline !== undefined) {
    out.baseline = {row: opts.baseline, values: Object.fromEntries(objectives.map((o, j) => [o.column, base[j]])), ...a.baseline}
  }
  return {result: out, values}
}

/** The rows a report draws: `plotSample` of the rows, plus the baseline row. */
export function chartPoints(values: Float64Array, d: number, frontier: readonly number[], baseline?: number): ChartPoints {
  const n = values.length / d
  const rows = plotSample(n, frontier, plotCap(d))
  if (baseline !== undefined && !rows.includes(baseline)) rows.push(baseline)
  rows.sort((a, b) => a - b)
  return {rows, values: rows.map((r) => Array.from(values.subarray(r * d, r * d + d))), total: n}
}
