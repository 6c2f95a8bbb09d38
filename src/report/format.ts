import type {ColumnFormat} from './types.js'

/**
 * Number formatting for report tables: compact and aligned. Plain ASCII ('-', 'e-5') so that
 * values copied from a report paste into a spreadsheet as numbers.
 */

/** Thousands separators in the integer part of a plain decimal string ("-1234.5" -> "-1,234.5"). */
function group(s: string): string {
  const [int, frac] = s.split('.')
  const g = int.replace(/\B(?=(\d{3})+$)/g, ',')
  return frac === undefined ? g : `${g}.${frac}`
}

/** An integer with thousands separators; a non-integer weight sum keeps 2 decimals. */
export function formatCount(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (Math.abs(v) >= 1e21) return v.toExponential(3)
  return group(Number.isInteger(v) ? v.toFixed(0) : v.toFixed(2))
}

/** A metric value: `digits` decimals, e-notation for tiny or huge magnitudes (counts: formatCount). */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞'
  const a = Math.abs(v)
  if (a !== 0 && (a < 10 ** -digits || a >= 1e9)) return v.toExponential(2)
  return v.toFixed(digits)
}

/** A p-value: 4 decimals, or e-notation below 1e-4. */
export function formatP(v: number): string {
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(1)
  return v.toFixed(4)
}

/** The text of a non-null numeric value under a column format. */
export function formatValue(v: number, format: ColumnFormat = 'auto', digits?: number): string {
  switch (format) {
    case 'count':
      return formatCount(v)
    case 'p':
      return formatP(v)
    case 'percent':
      return (100 * v).toFixed(digits ?? 2) + '%'
    default:
      return formatNumber(v, digits ?? 4)
  }
}

/** A full-precision form of a number for tooltips (what --json prints). */
export function exact(v: number): string {
  return String(v)
}
