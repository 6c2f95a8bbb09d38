import {AUC_STATS_COLUMNS, AUC_STATS_SCHEMA, bucketOf, EXACT_KEY_BUCKETS, PROB_EPS, ScoreScale} from '../../src/warehouse/auc-stats.js'

/** Rows of a prediction dump, as arrays. */
export interface DumpSpec {
  label: number[]
  scores: Record<string, number[]>
  group?: string[]
  weight?: number[]
  labelName?: string
  groupName?: string
  weightName?: string
  buckets?: number
  scale?: ScoreScale
}

export type StatsRow = Record<(typeof AUC_STATS_COLUMNS)[number], string | number>

/**
 * A second, independent implementation of the receval.auc.v1 statistics (straight from the
 * schema's definition, with Maps), so the merge is tested without a SQL engine.
 */
export function aucStatsRows(d: DumpSpec): StatsRow[] {
  const n = d.label.length
  const w = (i: number) => (d.weight ? d.weight[i] : 1)
  const buckets = d.buckets ?? 0
  const scale = d.scale ?? 'probability'
  const names = Object.keys(d.scores)
  const row = (o: Partial<StatsRow>): StatsRow => {
    const r = {} as StatsRow
    for (const c of AUC_STATS_COLUMNS) r[c] = o[c] ?? (['stats_schema', 'kind', 'score_name', 'grp'].includes(c) ? '' : 0)
    r.stats_schema = AUC_STATS_SCHEMA
    return r
  }
  const out: StatsRow[] = []
  let P = 0
  let N = 0
  for (let i = 0; i < n; i++) {
    if (d.label[i]) P += w(i)
    else N += w(i)
  }
  if (n > 0) out.push(row({kind: 'rows', n_rows: n, pos: P, neg: N}))
  for (const name of names) {
    const s = d.scores[name]
    const cells = new Map<number, StatsRow>()
    for (let i = 0; i < n; i++) {
      const key = buckets > 0 ? bucketOf(s[i], buckets, scale) : s[i]
      let c = cells.get(key)
      if (!c) {
        c = buckets > 0 ? row({kind: 'bucket', score_name: name, bucket: key, min_score: Infinity, max_score: -Infinity}) : row({kind: 'value', score_name: name, bucket: bucketOf(key, EXACT_KEY_BUCKETS), score_value: key, min_score: key, max_score: key})
        cells.set(key, c)
      }
      const y = d.label[i]
      ;(c.n_rows as number)++
      ;(c[y ? 'pos' : 'neg'] as number) += w(i)
      if (buckets > 0) {
        const p = Math.min(Math.max(s[i], PROB_EPS), 1 - PROB_EPS)
        ;(c.sum_score as number) += w(i) * s[i]
        ;(c.sum_sq_error as number) += w(i) * (s[i] - y) ** 2
        ;(c.sum_logloss as number) -= w(i) * (y ? Math.log(p) : Math.log(1 - p))
        c.min_score = Math.min(c.min_score as number, s[i])
        c.max_score = Math.max(c.max_score as number, s[i])
      }
    }
    out.push(...cells.values())
    if (d.group) {
      const groups = new Map<string, number[]>()
      for (let i = 0; i < n; i++) {
        const g = groups.get(d.group[i])
        if (g) g.push(i)
        else groups.set(d.group[i], [i])
      }
      for (const [g, idx] of groups) {
        let gp = 0
        let gn = 0
        let u = 0
        for (const i of idx) {
          if (d.label[i]) gp += w(i)
          else gn += w(i)
          if (!d.label[i]) continue
          for (const j of idx) if (!d.label[j]) u += w(i) * w(j) * (s[j] < s[i] ? 1 : s[j] === s[i] ? 0.5 : 0)
        }
        out.push(row({kind: 'group', score_name: name, grp: g, n_rows: idx.length, pos: gp, neg: gn, u_stat: u}))
      }
    }
  }
  const meta = (key: string, value: string, bucket = 0) => out.push(row({kind: 'meta', score_name: key, grp: value, bucket}))
  meta('label', d.labelName ?? 'label')
  names.forEach((s, i) => meta('score', s, i + 1))
  meta('group', d.group ? (d.groupName ?? 'user_id') : '')
  meta('weight', d.weight ? (d.weightName ?? 'w') : '')
  meta('buckets', String(buckets), buckets)
  meta('score_scale', scale)
  return out
}

/** CSV text of stats rows (header first); numbers written as JavaScript prints them (round-trip). */
export function statsCsv(rows: StatsRow[]): string {
  const cell = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  return [AUC_STATS_COLUMNS.join(','), ...rows.map((r) => AUC_STATS_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n'
}

/** Read a CSV of simple fields (no quotes) into columns: enough for the fixtures. */
export function columnsOf(text: string): Record<string, string[]> {
  const lines = text.trim().split('\n')
  const header = lines[0].split(',')
  const cols: Record<string, string[]> = Object.fromEntries(header.map((h) => [h, []]))
  for (const l of lines.slice(1)) l.split(',').forEach((v, j) => cols[header[j]].push(v))
  return cols
}
