import {UsageError} from '../cli/errors.js'

/**
 * One `--metric NAME=EXPR` of `receval ab`: EXPR is `COL` (a mean per unit), or
 * `[SCALE*]NUM/DEN` (a ratio of sums: sum(SCALE * NUM) / sum(DEN) over the units of an arm),
 * e.g. `ctr=clicks/impressions`, `cpm=1000*cost/impressions`; `[SCALE*]COL` is a scaled mean.
 * Column names may not contain `/` or `*` here.
 */
export interface MetricDef {
  name: string
  /** the expression as given */
  expr: string
  /** numerator column (the value column of a mean) */
  num: string
  /** denominator column; null for a mean */
  den: string | null
  scale: number
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/**
 * Parse `NAME=EXPR`.
 * @throws UsageError naming the flag and what is wrong
 * @example parseMetric('cpm=1000*cost/impressions') // {name: 'cpm', expr: '1000*cost/impressions', num: 'cost', den: 'impressions', scale: 1000}
 */
export function parseMetric(text: string): MetricDef {
  const bad = (why: string) => new UsageError(`--metric "${text}": ${why}; expected NAME=COL or NAME=[SCALE*]NUM/DEN, e.g. ctr=clicks/impressions or cpm=1000*cost/impressions`)
  const eq = text.indexOf('=')
  if (eq < 0) throw bad('no "="')
  const name = text.slice(0, eq).trim()
  const expr = text.slice(eq + 1).trim()
  if (name === '') throw bad('the metric has no name')
  if (!NAME.test(name)) throw bad(`"${name}" is not a metric name (letters, digits, _ . -, starting with a letter or _)`)
  if (expr === '') throw bad('the expression is empty')
  let rest = expr
  let scale = 1
  const star = rest.indexOf('*')
  if (star >= 0) {
    const s = rest.slice(0, star).trim()
    scale = s === '' ? NaN : Number(s)
    if (!Number.isFinite(scale) || scale === 0) throw bad(`the scale "${s}" is not a non-zero number`)
    rest = rest.slice(star + 1)
    if (rest.includes('*')) throw bad('more than one "*"')
  }
  const parts = rest.split('/')
  if (parts.length > 2) throw bad('more than one "/"')
  const num = parts[0].trim()
  const den = parts.length === 2 ? parts[1].trim() : null
  if (num === '') throw bad('the numerator column is empty')
  if (den === '') throw bad('the denominator column is empty')
  return {name, expr, num, den, scale}
}

/**
 * Parse every `--metric`; names must be distinct.
 * @throws UsageError on a malformed or repeated metric, or none at all
 */
export function parseMetrics(texts: readonly string[]): MetricDef[] {
  if (texts.length === 0) throw new UsageError('give at least one --metric NAME=EXPR, e.g. --metric ctr=clicks/impressions')
  const out = texts.map(parseMetric)
  const seen = new Set<string>()
  for (const m of out) {
    if (seen.has(m.name)) throw new UsageError(`--metric "${m.name}" is given twice`)
    seen.add(m.name)
  }
  return out
}
