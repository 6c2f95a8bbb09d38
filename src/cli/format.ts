/** Plain aligned text tables for human output (stdout without --json). */

export type Cell = string | number | null | undefined

/** A metric value for a table: 6 decimals for fractions, integers as they are, "-" for null. */
export function fmt(v: Cell, digits = 6): string {
  if (v === null || v === undefined) return '-'
  if (typeof v === 'string') return v
  if (Number.isNaN(v)) return 'NaN'
  if (Number.isInteger(v) && Math.abs(v) >= 1) return String(v)
  const a = Math.abs(v)
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(3)
  return v.toFixed(digits)
}

/**
 * Render rows under a header with columns padded to their widest cell; text columns left,
 * numeric columns right aligned.
 */
export function formatTable(header: string[], rows: Cell[][], opts: {indent?: string} = {}): string {
  const text = rows.map((r) => r.map((c) => fmt(c)))
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] !== 'string'))
  const width = header.map((h, j) => Math.max(h.length, ...text.map((r) => (r[j] ?? '').length)))
  const pad = (s: string, j: number) => (numeric[j] ? s.padStart(width[j]) : s.padEnd(width[j]))
  const indent = opts.indent ?? ''
  const lines = [header.map(pad).join('  '), width.map((w) => '-'.repeat(w)).join('  '), ...text.map((r) => r.map(pad).join('  '))]
  return lines.map((l) => indent + l.trimEnd()).join('\n')
}
