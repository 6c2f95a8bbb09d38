import {floatColumn, Table} from '../io/index.js'
import {analyzeFront, BaselineComparison} from './front.js'
import {Objective} from './parse.js'

export interface TableBaseline extends BaselineComparison {
  row: number
  values: Record<string, number>
}

/** Table mode: each row is a point, each --objective column a coordinate. */
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
