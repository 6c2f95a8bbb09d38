import {formatPath, leaves, Scalar} from './paths.js'

export interface ChangedValue {
  path: string
  a: Scalar
  b: Scalar
  /** b - a when both are numbers, else null */
  delta: number | null
  /** (b - a) / |a| when both are numbers and a is not 0, else null */
  relative: number | null
}

export interface ResultDiff {
  /** every scalar that differs, in b's document order */
  changed: ChangedValue[]
  /** paths only in b */
  added: {path: string; value: Scalar}[]
  /** paths only in a */
  removed: {path: string; value: Scalar}[]
  /** how many scalars are equal on both sides */
  unchanged: number
}

/**
 * Compare two results leaf by leaf: every scalar (number, string, boolean, null) at the same
 * dotted path, compared exactly. Arrays compare by index.
 *
 * @example diffResults({auc: 0.7, rows: 10}, {auc: 0.72, rows: 10}).changed[0].delta // 0.020000000000000018
 */
export function diffResults(a: unknown, b: unknown): ResultDiff {
  const left = new Map(leaves(a).map((l) => [formatPath(l.path), l.value]))
  const out: ResultDiff = {changed: [], added: [], removed: [], unchanged: 0}
  const seen = new Set<string>()
  for (const l of leaves(b)) {
    const path = formatPath(l.path)
    seen.add(path)
    if (!left.has(path)) {
      out.added.push({path, value: l.value})
      continue
    }
    const av = left.get(path) as Scalar
    if (Object.is(av, l.value) || av === l.value) {
      out.unchanged++
      continue
    }
    const numeric = typeof av === 'number' && typeof l.value === 'number'
    const delta = numeric ? (l.value as number) - (av as number) : null
    out.changed.push({path, a: av, b: l.value, delta, relative: numeric && av !== 0 ? (delta as number) / Math.abs(av as number) : null})
  }
  for (const [path, value] of left) if (!seen.has(path)) out.removed.push({path, value})
  return out
}
