import {dominatesMin, nonDominated, Sense, toMinimization} from './dominance.js'
import {hypervolumeOf} from './hypervolume.js'
import {kneePoint} from './knee.js'

/** How a baseline (the production setting) compares with the frontier. */
export interface BaselineComparison {
  /** frontier indexes that dominate the baseline (better or equal everywhere, better somewhere) */
  dominated_by: number[]
  /** true when no point dominates the baseline */
  on_frontier: boolean
  /**
   * Volume dominated by the frontier and strictly better than the baseline in every objective:
   * the hypervolume of the frontier with the baseline as the reference point (0 on the frontier).
   */
  dominating_hypervolume: number
  /**
   * With a reference point: hypervolume of the frontier minus the hypervolume of the baseline
   * alone, i.e. the volume the frontier dominates and the baseline does not (negative only when
   * the baseline is not one of the points and beats them).
   */
  hypervolume_gain?: number
}

export interface FrontAnalysis {
  frontier: number[]
  /** with a reference point */
  hypervolume?: number
  /** frontier points strictly better than the reference in every objective (the ones in the hypervolume) */
  hypervolume_points?: number
  knee: number | null
  knee_distance: number | null
  /** 'extremes': measured from the plane through the extreme points; 'unit': through the normalized unit points (see `kneePoint`) */
  knee_plane: 'extremes' | 'unit' | null
  knee_reason?: string
  baseline?: BaselineComparison
}

/**
 * Everything `receval pareto` reports about a set of points, in one place for the table and the
 * sweep modes:
 *
 * 1. the frontier (`nonDominated`)
 * 2. with `ref`: the hypervolume of the frontier against it (`hypervolume`)
 * 3. the knee of the frontier (`kneePoint`)
 * 4. with `baseline` (a point, in the same objectives): the frontier points that dominate it, the
 *    hypervolume that improves on it in every objective, and the hypervolume gained over it
 */
export function analyzeFront(values: Float64Array, d: number, senses: readonly Sense[], opts: {ref?: readonly number[]; baseline?: Float64Array} = {}): FrontAnalysis {
  const front = nonDominated(values, d, senses)
  const frontValues = pick(values, d, front)
  const out: FrontAnalysis = {frontier: Array.from(front), knee: null, knee_distance: null, knee_plane: null}
  if (opts.ref !== undefined) {
    const hv = hypervolumeOf(frontValues, d, opts.ref, senses)
    out.hypervolume = hv.hypervolume
    out.hypervolume_points = hv.used
  }
  const knee = kneePoint(values, d, front, senses)
  out.knee = knee.index
  out.knee_distance = knee.distance
  out.knee_plane = knee.plane ?? null
  if (knee.reason !== undefined) out.knee_reason = knee.reason
  if (opts.baseline !== undefined) {
    const b = opts.baseline
    if (b.length !== d) throw new RangeError(`analyzeFront: baseline has ${b.length} values for ${d} objectives`)
    const both = new Float64Array(frontValues.length + d)
    both.set(frontValues)
    both.set(b, frontValues.length)
    const m = toMinimization(both, d, senses)
    const bi = front.length
    const dominatedBy: number[] = []
    for (let t = 0; t < front.length; t++) if (dominatesMin(m, d, t, bi)) dominatedBy.push(front[t])
    const cmp: BaselineComparison = {
      dominated_by: dominatedBy,
      on_frontier: dominatedBy.length === 0,
      dominating_hypervolume: hypervolumeOf(frontValues, d, Array.from(b), senses).hypervolume,
    }
    if (opts.ref !== undefined) cmp.hypervolume_gain = (out.hypervolume as number) - hypervolumeOf(b, d, opts.ref, senses).hypervolume
    out.baseline = cmp
  }
  return out
}

/** Rows `idx` of a row-major array. */
export function pick(values: Float64Array, d: number, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length * d)
  for (let t = 0; t < idx.length; t++) out.set(values.subarray(idx[t] * d, idx[t] * d + d), t * d)
  return out
}

/**
 * Which of `count` points a chart draws when there are more than `cap`: every frontier point
 * (evenly thinned to cap/2 when there are more), then evenly spaced others up to `cap`; indexes
 * ascending. A selection for drawing only: every number in the result is computed on all points.
 * @example plotSample(10, [2, 5], 4) // [0, 2, 5, 6]
 */
export function plotSample(count: number, frontier: readonly number[], cap: number): number[] {
  if (count <= cap) return Array.from({length: count}, (_, i) => i)
  const even = (xs: readonly number[], m: number) => (xs.length <= m ? [...xs] : Array.from({length: m}, (_, t) => xs[Math.floor((t * xs.length) / m)]))
  const front = even(frontier, Math.floor(cap / 2))
  const on = new Set(frontier)
  const others: number[] = []
  for (let i = 0; i < count; i++) if (!on.has(i)) others.push(i)
  return [...front, ...even(others, cap - front.length)].sort((a, b) => a - b)
}
