import {UsageError} from '../cli/errors.js'

/**
 * Dotted paths into a command's JSON result: `scores.pctr.auc`, `at.50.click_recall`,
 * `results.0.p_value`. A segment is an object key or an array index; `*` matches any one
 * segment. A key that itself holds a dot or a star is written with a backslash: `scores.m\.v2.auc`.
 */

export type Scalar = number | string | boolean | null

export interface Match {
  /** the concrete segments, wildcards resolved */
  path: string[]
  value: unknown
}

/** Parse a dotted path (with `\.` and `\*` escapes) into segments; `*` stays a wildcard. */
export function parsePath(text: string): {segments: string[]; wild: boolean[]} {
  const segments: string[] = []
  const wild: boolean[] = []
  let cur = ''
  let escaped = false
  let star = true
  const push = () => {
    if (cur === '') throw new UsageError(`path "${text}" has an empty segment (write it like scores.pctr.auc)`)
    segments.push(cur)
    wild.push(star && cur === '*')
    cur = ''
    star = true
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (escaped) {
      cur += ch
      if (ch === '*') star = false
      escaped = false
    } else if (ch === '\\') escaped = true
    else if (ch === '.') push()
    else cur += ch
  }
  if (escaped) cur += '\\'
  push()
  return {segments, wild}
}

/** Segments back to a dotted path, escaping dots, stars and backslashes inside keys. */
export function formatPath(path: readonly string[]): string {
  return path.map((s) => s.replace(/[\\.*]/g, (c) => '\\' + c)).join('.')
}

function children(v: unknown): [string, unknown][] {
  if (Array.isArray(v)) return v.map((x, i) => [String(i), x])
  if (v !== null && typeof v === 'object') return Object.entries(v as Record<string, unknown>)
  return []
}

function child(v: unknown, key: string): {found: boolean; value: unknown} {
  if (Array.isArray(v)) {
    if (!/^\d+$/.test(key) || Number(key) >= v.length) return {found: false, value: undefined}
    return {found: true, value: v[Number(key)]}
  }
  if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, key)) return {found: true, value: (v as Record<string, unknown>)[key]}
  return {found: false, value: undefined}
}

/** Every value in `root` at a path matching `pattern` (from parsePath), in document order. */
export function matchPath(root: unknown, pattern: {segments: string[]; wild: boolean[]}): Match[] {
  const out: Match[] = []
  const walk = (v: unknown, i: number, path: string[]) => {
    if (i === pattern.segments.length) {
      out.push({path, value: v})
      return
    }
    if (pattern.wild[i]) {
      for (const [k, c] of children(v)) walk(c, i + 1, [...path, k])
    } else {
      const c = child(v, pattern.segments[i])
      if (c.found) walk(c.value, i + 1, [...path, pattern.segments[i]])
    }
  }
  walk(root, 0, [])
  return out
}

/** The value at a concrete path, or `found: false`. */
export function getPath(root: unknown, path: readonly string[]): {found: boolean; value: unknown} {
  let v: unknown = root
  for (const k of path) {
    const c = child(v, k)
    if (!c.found) return {found: false, value: undefined}
    v = c.value
  }
  return {found: true, value: v}
}

/** Every scalar leaf (number, string, boolean, null) of `root` with its path, in document order. */
export function leaves(root: unknown): {path: string[]; value: Scalar}[] {
  const out: {path: string[]; value: Scalar}[] = []
  const walk = (v: unknown, path: string[]) => {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out.push({path, value: v})
    else for (const [k, c] of children(v)) walk(c, [...path, k])
  }
  walk(root, [])
  return out
}
