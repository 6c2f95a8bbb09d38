import {UsageError} from '../cli/errors.js'
import {Sense} from './dominance.js'

/**
 * The flag syntaxes of `receval pareto`, parsed in one place. Each parser throws a UsageError
 * naming the flag and showing the expected form.
 */

export interface Objective {
  column: string
  sense: Sense
}

/** `--objective COL:max|min` (the sense after the last colon, so column names may contain colons). */
export function parseObjective(text: string): Objective {
  const at = text.lastIndexOf(':')
  const column = at > 0 ? text.slice(0, at) : ''
  const sense = at > 0 ? text.slice(at + 1).trim().toLowerCase() : ''
  if (column === '' || (sense !== 'max' && sense !== 'min')) throw new UsageError(`--objective takes COL:max or COL:min, not "${text}"`)
  return {column, sense}
}

export interface TaskSpec {
  name: string
  score: string
  label: string
  /** evaluate only rows where this 0/1 column is 1 */
  filter?: string
}

/** `--task NAME=SCORE:LABEL[@FILTER]`. */
export function parseTask(text: string): TaskSpec {
  const bad = (why: string) => new UsageError(`--task takes NAME=SCORE:LABEL[@FILTER] (e.g. cvr=pcvr:conversion@click), not "${text}": ${why}`)
  const eq = text.indexOf('=')
  if (eq < 0) throw bad('no "="')
  const name = text.slice(0, eq).trim()
  if (name === '') throw bad('empty task name')
  let rest = text.slice(eq + 1)
  let filter: string | undefined
  const atSign = rest.lastIndexOf('@')
  if (atSign >= 0) {
    filter = rest.slice(atSign + 1)
    rest = rest.slice(0, atSign)
    if (filter === '') throw bad('empty filter column after "@"')
  }
  const colon = rest.lastIndexOf(':')
  if (colon < 0) throw bad('no ":" between the score and the label column')
  const score = rest.slice(0, colon)
  const label = rest.slice(colon + 1)
  if (score === '') throw bad('empty score column')
  if (label === '') throw bad('empty label column')
  return filter === undefined ? {name, score, label} : {name, score, label, filter}
}

export type SweepMetric = {kind: 'auc'} | {kind: 'gauc'} | {kind: 'recall'; k: number}

/** `--metric auc|gauc|recall@K` (K a positive integer). */
export function parseMetric(text: string): SweepMetric {
  const t = text.trim().toLowerCase()
  if (t === 'auc') return {kind: 'auc'}
  if (t === 'gauc') return {kind: 'gauc'}
  const m = /^recall@(\d+)$/.exec(t)
  if (m && Number(m[1]) >= 1 && Number.isSafeInteger(Number(m[1]))) return {kind: 'recall', k: Number(m[1])}
  throw new UsageError(`--metric takes auc, gauc or recall@K with K a positive integer (e.g. recall@10), not "${text}"`)
}

/** The name a metric is reported under: "auc", "gauc", "recall@10". */
export function metricName(m: SweepMetric): string {
  return m.kind === 'recall' ? `recall@${m.k}` : m.kind
}

/** A positive integer flag value (`--steps`). */
export function parsePositiveInt(flag: string, text: string): number {
  const t = text.trim()
  const v = Number(t)
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(v) || v < 1) throw new UsageError(`${flag} must be a positive integer, not "${text}"`)
  return v
}

/** A 0-based row index flag value (`--baseline` in table mode). */
export function parseRowIndex(flag: string, text: string, rows: number): number {
  const t = text.trim()
  const v = Number(t)
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(v)) throw new UsageError(`${flag} takes a 0-based row index in table mode, not "${text}"`)
  if (v >= rows) throw new UsageError(`${flag} ${v} is not a row: the file has ${rows} data rows (indexes 0 to ${rows - 1})`)
  return v
}
