import type {ColumnFormat} from './types.js'

/** Number formatting for report tables: compact, aligned, and never hiding that a value is null. */

const GROUP = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0})

/** An integer with thousands separators; a non-integer weight sum keeps 2 decimals. */
export function formatCount(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (Number.isInteger(v)) return GROUP.format(v)
  return new Intl.NumberFormat('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2}).format(v)
}

/** A metric value: `digits` decimals, e-notation for tiny or huge magnitudes (counts: formatCount). */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞'
  const a = Math.abs(v)
  if (a !== 0 && (a < 10 ** -digits || a >= 1e9)) return minus(v.toExponential(2))
  return minus(v.toFixed(digits))
}

/** A p-value: 4 decimals, or e-notation below 1e-4. */
export function formatP(v: number): string {
  if (v !== 0 && Math.abs(v) < 1e-4) return minus(v.toExponential(1))
  return v.toFixed(4)
}

function minus(s: string): string {
  return s.replace(/^-/, '−')
}

/** The text of a non-null numeric value under a column format. */
export function formatValue(v: number, format: ColumnFormat = 'auto', digits?: number): string {
  switch (format) {
    case 'count':
      return formatCount(v)
    case 'p':
      return formatP(v)
    case 'percent':
      return minus((100 * v).toFixed(digits ?? 2)) + '%'
    default:
      return formatNumber(v, digits ?? 4)
  }
}

/** A full-precision form of a number for tooltips (what --json prints). */
export function exact(v: number): string {
  return String(v)
}
