import type {TopLevelSpec} from 'vega-lite'
import type {TrendPoint} from '../../history/weekly.js'
import {CONFIG, PALETTE, REFERENCE, SCHEMA, sig6} from './theme.js'

/**
 * Chart specs of `receval report weekly`: one metric over time, one line per series. The
 * previous window is shaded and its points faded, a dashed rule marks where the window starts, and a
 * `<metric>_ci` interval, when the results have one, is drawn as a vertical bar through each
 * point. Time is UTC (the axis does not depend on the machine's time zone).
 */

export interface TrendSeries {
  /** series key, shown in the legend: "auc branch=main" */
  name: string
  /** its colour (default: the palette in series order); pass one per series to keep colours fixed across charts */
  color?: string
  previous: TrendPoint[]
  points: TrendPoint[]
}

export interface TrendWindow {
  previousSince: string
  since: string
  until: string
}

export interface TrendChartOptions {
  hover?: boolean
}

const WIDTH = 340
const HEIGHT = 170

function topLevel(spec: Record<string, unknown>): TopLevelSpec {
  return spec as unknown as TopLevelSpec
}

/**
 * A metric's trend over the previous window and the window, per series.
 *
 * @param metric the dotted path, used as the y-axis title
 * @param window ISO 8601 bounds: the x axis runs from `previousSince` to `until`, the previous
 *   window (shaded) ends at `since` (the dashed rule)
 */
export function trendChart(metric: string, series: readonly TrendSeries[], window: TrendWindow, opts: TrendChartOptions = {}): TopLevelSpec {
  const {previousSince, since, until} = window
  const names = series.map((s) => s.name)
  const range = series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length])
  const rows = series.flatMap((s) =>
    [...s.previous.map((p) => ({p, w: 'previous window'})), ...s.points.map((p) => ({p, w: 'window'}))].map(({p, w}) => ({
      s: s.name,
      t: Date.parse(p.created_at),
      v: sig6(p.value),
      w,
      run: p.run_id,
      when: p.created_at.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC'),
      ...(p.ci ? {lo: sig6(p.ci[0]), hi: sig6(p.ci[1])} : {}),
    })),
  )
  const x = {field: 't', type: 'temporal', title: null, scale: {type: 'utc', domain: [Date.parse(previousSince), Date.parse(until)], nice: false}, axis: {format: '%b %d', labelAngle: 0, tickCount: 7}}
  const y = {field: 'v', type: 'quantitative', title: metric, scale: {zero: false}}
  const color = {field: 's', type: 'nominal', scale: {domain: names, range}, legend: {title: null, symbolType: 'stroke'}}
  const faded = {condition: {test: "datum.w === 'previous window'", value: 0.45}, value: 1}
  const layers: Record<string, unknown>[] = [
    // the previous window, shaded; the window starts at the dashed rule
    {data: {values: [{t: Date.parse(previousSince), t2: Date.parse(since)}]}, mark: {type: 'rect', color: '#f2f2f2'}, encoding: {x: {field: 't', type: 'temporal'}, x2: {field: 't2'}}},
    {data: {values: [{t: Date.parse(since)}]}, mark: {type: 'rule', color: REFERENCE, strokeDash: [4, 3], strokeWidth: 1}, encoding: {x: {field: 't', type: 'temporal'}}},
  ]
  const withCi = rows.filter((r) => r.lo !== undefined)
  if (withCi.length) layers.push({data: {values: withCi}, mark: {type: 'rule', strokeWidth: 1.5}, encoding: {x, y: {field: 'lo', type: 'quantitative'}, y2: {field: 'hi'}, color, opacity: {condition: faded.condition, value: 0.5}}})
  layers.push({data: {values: rows}, mark: {type: 'line', strokeWidth: 1.5}, encoding: {x, y, color, order: {field: 't', type: 'quantitative'}}})
  layers.push({
    data: {values: rows},
    mark: {type: 'point', filled: true, size: 30},
    encoding: {
      x,
      y,
      color,
      opacity: faded,
      tooltip: opts.hover
        ? [{field: 's', title: 'series'}, {field: 'when', title: 'started'}, {field: 'v', title: metric, format: '.6~g'}, {field: 'run', title: 'run'}, {field: 'w', title: 'in'}]
        : undefined,
    },
  })
  return topLevel({
    $schema: SCHEMA,
    description: `${metric} over time, per series`,
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer: layers,
  })
}
