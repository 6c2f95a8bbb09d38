import type {Config} from 'vega-lite'

/**
 * The look shared by every receval chart: one font stack, a colour-blind-safe palette
 * (Okabe & Ito 2008, yellow last), light grids, legends under the plot so long score names fit.
 */

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

/** Okabe-Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, black, yellow. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442']

/** Reference lines (chance diagonal, base rate). */
export const REFERENCE = '#8a8a8a'

export const CONFIG: Config = {
  font: FONT,
  background: '#ffffff',
  padding: 6,
  view: {stroke: '#cfcfcf'},
  axis: {
    labelColor: '#444444',
    titleColor: '#222222',
    titleFontWeight: 'normal',
    labelFontSize: 11,
    titleFontSize: 12,
    titlePadding: 8,
    gridColor: '#ececec',
    domainColor: '#9a9a9a',
    tickColor: '#9a9a9a',
  },
  legend: {
    orient: 'bottom',
    direction: 'vertical',
    labelFontSize: 12,
    labelLimit: 420,
    symbolStrokeWidth: 2.5,
    symbolOpacity: 1,
    rowPadding: 4,
    titleFontSize: 12,
  },
  range: {category: PALETTE},
  line: {strokeWidth: 2},
  point: {filled: true, size: 36},
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json'

/** Round a coordinate for drawing (1e-6 of the unit square is far below a pixel). */
export function r6(v: number): number {
  return Math.round(v * 1e6) / 1e6
}

/** A threshold or score for a tooltip: 6 significant digits. */
export function sig6(v: number | null): number | null {
  return v === null ? null : Number(v.toPrecision(6))
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is >= v (v > 0), capped at `cap`. */
export function niceCeil(v: number, cap = Infinity): number {
  if (!(v > 0)) return cap === Infinity ? 1 : cap
  const p = 10 ** Math.floor(Math.log10(v))
  const m = [1, 2, 2.5, 5, 10].find((k) => k * p >= v * (1 - 1e-12)) as number
  return Math.min(cap, Number((m * p).toPrecision(12)))
}
