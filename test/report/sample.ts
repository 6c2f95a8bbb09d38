import {KeyDict, type Column, type Table} from '../../src/io/index.js'
import {evaluateClassification} from '../../src/metrics/classification.js'
import {type AucResultWithCurves, classificationCurves} from '../../src/metrics/curves.js'
import type {ReportMeta} from '../../src/report/types.js'

/**
 * Deterministic auc results for report tests, computed the way the command computes them
 * (evaluateClassification + classificationCurves) from a seeded in-memory table.
 */

export interface SampleOptions {
  rows?: number
  /** score column names (default: pctr, pctr_v2) */
  scores?: string[]
  group?: boolean
  weight?: boolean
  ci?: boolean
  thresholds?: number[]
  /** make the second score a logit (outside [0, 1]) */
  logit?: boolean
  seed?: number
  file?: string
}

export function sampleTable(o: SampleOptions = {}): {table: Table; names: string[]} {
  const n = o.rows ?? 60
  const names = o.scores ?? ['pctr', 'pctr_v2']
  let st = o.seed ?? 42
  const rnd = () => ((st = (Math.imul(st, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const labels = new Uint8Array(n)
  const cols = names.map(() => new Float64Array(n))
  const users = new Int32Array(n)
  const weights = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    labels[i] = rnd() < 0.3 ? 1 : 0
    users[i] = i % 7
    weights[i] = 1 + Math.floor(rnd() * 3)
    names.forEach((_, k) => {
      const p = Math.round((0.15 + 0.5 * rnd() + labels[i] * (0.2 + 0.1 * k) * rnd()) * 1000) / 1000
      cols[k][i] = o.logit && k === 1 ? Math.round(Math.log(p / (1 - p)) * 1000) / 1000 : p
    })
  }
  const columns = new Map<string, Column>()
  columns.set('label', {kind: 'label', name: 'label', data: labels})
  names.forEach((nm, k) => columns.set(nm, {kind: 'float', name: nm, data: cols[k]}))
  const dict = new KeyDict()
  for (let g = 0; g < 7; g++) dict.id(`u${g}`)
  columns.set('user_id', {kind: 'key', name: 'user_id', data: users, dict})
  columns.set('w', {kind: 'float', name: 'w', data: weights})
  const file = o.file ?? 'sample.csv'
  return {table: {source: {path: file, format: 'csv', bytes: 1234, mtime: '2024-05-01T00:00:00.000Z'}, header: ['label', ...names, 'user_id', 'w'], rows: n, dropped: 0, columns}, names}
}

export function sampleResult(o: SampleOptions = {}): AucResultWithCurves {
  const {table, names} = sampleTable(o)
  const {result, detail} = evaluateClassification(table, {label: 'label', scores: names, group: o.group ? 'user_id' : undefined, weight: o.weight ? 'w' : undefined, ci: o.ci, thresholds: o.thresholds})
  const out: AucResultWithCurves = result
  out.curves = classificationCurves(result, detail)
  return out
}

export const SAMPLE_META: ReportMeta = {
  command: 'auc',
  version: '0.0.0-test',
  generatedAt: '2024-05-02T03:04:05.000Z',
  argv: ['receval', 'auc', 'sample.csv', '--score', 'pctr', '--score', 'pctr_v2', '--html', 'out.html'],
  cwd: '/data',
  inputs: [{path: 'sample.csv', format: 'csv', bytes: 1234, mtime: '2024-05-01T00:00:00.000Z'}],
}
