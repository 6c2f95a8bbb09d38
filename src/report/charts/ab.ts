import type {TopLevelSpec} from 'vega-lite'
import {CONFIG, PALETTE, REFERENCE, SCHEMA} from './theme.js'

/**
 * Chart specs of `receval ab` reports, from result rows to vega-lite with the data inline (golden
 * copies in test/report/golden). Lifts are fractions drawn on a percent axis. `hover: true` adds
 * tooltips, for the interactive page only.
 */

export interface ChartOptions {
  hover?: boolean
}

export interface ForestRow {
  /** "ctr · treatment" */
  label: string
  lift: number
  lo: number
  hi: number
  significant: boolean
}

export interface DailyPoint {
  arm: string
  day: string
  lift: number
  lo: number | null
  hi: number | null
}

const WIDTH = 520
const SIGNIFICANT = PALETTE[0]
const NOT_SIGNIFICANT = '#9a9a9a'

function topLevel(spec: Record<string, unknown>): TopLevelSpec {
  return spec as unknown as TopLevelSpec
}

const r6 = (v: number) => Math.round(v * 1e6) / 1e6

/**
 * Forest plot: one row per (metric, arm) result, a dot at the lift and a bar over its interval,
 * blue when significant after adjustment, grey when not; the dashed line is no change.
 */
export function liftForestChart(rows: ForestRow[], level: string, opts: ChartOptions = {}): TopLevelSpec {
  const values = rows.map((r, i) => ({k: i, label: r.label, lift: r6(r.lift), lo: r6(r.lo), hi: r6(r.hi), sig: r.significant ? 'significant' : 'not significant'}))
  const y = {field: 'label', type: 'nominal', title: null, sort: rows.map((r) => r.label), axis: {labelLimit: 260}}
  const color = {field: 'sig', type: 'nominal', scale: {domain: ['significant', 'not significant'], range: [SIGNIFICANT, NOT_SIGNIFICANT]}, legend: {title: null}}
  const x = {type: 'quantitative', title: `Lift (treatment / control - 1) with ${level} interval`, axis: {format: '+.0%', tickCount: 6}}
  return topLevel({
    $schema: SCHEMA,
    config: CONFIG,
    width: WIDTH,
    height: {step: 30},
    data: {values},
    layer: [
      {mark: {type: 'rule', color: REFERENCE, strokeDash: [4, 4]}, encoding: {x: {datum: 0, type: 'quantitative'}}},
      {mark: {type: 'rule', strokeWidth: 2.5}, encoding: {y, x: {...x, field: 'lo'}, x2: {field: 'hi'}, color}},
      {mark: {type: 'point', filled: true, size: 70, opacity: 1}, encoding: {y, x: {...x, field: 'lift'}, color, ...(opts.hover ? {tooltip: liftTooltip(level, [{field: 'label', title: 'result'}, {field: 'sig', title: 'after adjustment'}])} : {})}},
    ],
  })
}

/** Tooltip fields of a lift with its interval (percent, 2 decimals), after `first`. */
function liftTooltip(level: string, first: {field: string; title: string}[]): {field: string; title: string; format?: string}[] {
  return [...first, {field: 'lift', title: 'lift', format: '+.2%'}, {field: 'lo', title: `${level} interval from`, format: '+.2%'}, {field: 'hi', title: 'to', format: '+.2%'}]
}

/**
 * Lift by day for one metric: a line per treatment arm with its interval as a band; the dashed
 * line is no change.
 */
export function dailyLiftChart(metric: string, days: string[], points: DailyPoint[], kind: 'cumulative' | 'daily', opts: ChartOptions = {}): TopLevelSpec {
  const arms = [...new Set(points.map((p) => p.arm))]
  const values = points.map((p) => ({arm: p.arm, day: p.day, lift: r6(p.lift), lo: p.lo === null ? null : r6(p.lo), hi: p.hi === null ? null : r6(p.hi)}))
  const x = {field: 'day', type: 'ordinal', sort: days, title: null, axis: {labelAngle: -40}}
  const color = {field: 'arm', type: 'nominal', scale: {domain: arms, range: PALETTE}, legend: {title: null}}
  const yTitle = `${kind === 'cumulative' ? 'Cumulative lift' : 'Lift'} of ${metric}`
  return topLevel({
    $schema: SCHEMA,
    config: CONFIG,
    width: WIDTH,
    height: 240,
    data: {values},
    layer: [
      {mark: {type: 'area', opacity: 0.18}, transform: [{filter: 'datum.lo !== null && datum.hi !== null'}], encoding: {x, y: {field: 'lo', type: 'quantitative', title: yTitle, axis: {format: '+.0%'}}, y2: {field: 'hi'}, color}},
      {mark: {type: 'line', strokeWidth: 2, point: {filled: true, size: 30}}, encoding: {x, y: {field: 'lift', type: 'quantitative', title: yTitle}, color, ...(opts.hover ? {tooltip: liftTooltip('interval', [{field: 'day', title: 'day'}, {field: 'arm', title: 'arm'}])} : {})}},
      {mark: {type: 'rule', color: REFERENCE, strokeDash: [4, 4]}, encoding: {y: {datum: 0, type: 'quantitative'}}},
    ],
  })
}
