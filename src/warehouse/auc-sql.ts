import {UsageError} from '../cli/errors.js'
import {
  AUC_STATS_COLUMNS,
  AUC_STATS_SCHEMA,
  BUCKET_EPS,
  EXACT_KEY_BUCKETS,
  LOGIT_RANGE,
  MAX_BUCKETS,
  PROB_EPS,
  SCORE_SCALES,
  ScoreScale,
} from './auc-stats.js'
import {checkIdentifier, checkWhere, dialectRules, DialectRules, doubleLiteral as lit, indent, labelCase, sqlList as list, stringLiteral as str, tableReference} from './dialect.js'

/** What `receval sql auc` renders: the same column flags as `receval auc`. */
export interface AucSqlSpec {
  /** duckdb | spark | hive | odps | bigquery | trino */
  dialect: string
  /** the table to read, inserted as given after validation (db.table) */
  table: string
  label: string
  /** score columns, in order (duplicates are dropped) */
  scores: readonly string[]
  /** group column: per-group statistics for GAUC */
  group?: string
  /** sample weight column (values >= 0) */
  weight?: string
  /** an SQL filter, inserted as WHERE (expr) */
  where?: string
  /** histogram of N logit-spaced buckets per score instead of one row per distinct value (default: exact) */
  buckets?: number
  /** how scores are bucketed: probabilities (logit taken) or logits (used as they are); default probability */
  scale?: ScoreScale
}

/**
 * Render the single SELECT (a WITH statement, no trailing semicolon) that computes the
 * `receval.auc.v1` statistics of `spec.table` (see ./auc-stats.ts for the result's columns).
 *
 * The query reads the table once and never orders it as a whole:
 * 1. rv_src / rv_rows: type the needed columns (label as text 0/1/true/false, whatever its
 *    type; scores and weight as DOUBLE) and mark each row used, invalid or negative-weight
 * 2. rv_x: repeat each row once per score (rv_k = 1..m) and once more to count rows (rv_k = 0)
 * 3. exact: group by (score, value); bucketed: by (score, bucket), with the plain sums for
 *    logloss, Brier and calibration
 * 4. with a group column: first group by (score, group, value), then a window partitioned by
 *    (score, group) gives each value the negatives below it, and each such row is counted twice:
 *    into its group's U statistic and into the score's histogram
 * 5. append the meta rows (constants: the query's columns and mode)
 *
 * @throws UsageError for an unknown dialect, a column name that cannot be quoted safely, a table
 *   reference that is not a plain name, an unsafe --where, or --buckets out of range
 * @example renderAucSql({dialect: 'duckdb', table: 'preds', label: 'click', scores: ['pctr']})
 */
export function renderAucSql(spec: AucSqlSpec): string {
  const d = dialectRules(spec.dialect)
  const table = tableReference(d, spec.table)
  const label = checkIdentifier('--label', spec.label)
  const scores = checkScores(spec.scores)
  const group = spec.group === undefined ? undefined : checkIdentifier('--group', spec.group)
  const weight = spec.weight === undefined ? undefined : checkIdentifier('--weight', spec.weight)
  checkRoles(label, scores, group, weight)
  const where = spec.where === undefined ? undefined : checkWhere(spec.where)
  const buckets = checkBuckets(spec.buckets)
  const scale = spec.scale ?? 'probability'
  if (!SCORE_SCALES.includes(scale)) throw new UsageError(`--score-scale must be one of ${SCORE_SCALES.join(', ')}, not "${scale}"`)
  return new AucQuery(d, {table, label, scores, group, weight, where, buckets, scale}).render()
}

function checkScores(scores: readonly string[]): string[] {
  if (scores.length === 0) throw new UsageError('--score: at least one score column is needed')
  const out: string[] = []
  for (const s of scores) {
    checkIdentifier('--score', s)
    if (out.includes(s)) continue
    const clash = out.find((o) => o.toLowerCase() === s.toLowerCase())
    // Hive, Spark, BigQuery, DuckDB and Trino resolve column names without regard to case
    if (clash) throw new UsageError(`--score "${clash}" and "${s}" differ only in case: warehouses treat them as the same column`)
    out.push(s)
  }
  return out
}

function checkRoles(label: string, scores: string[], group?: string, weight?: string): void {
  const same = (a: string, b?: string) => b !== undefined && a.toLowerCase() === b.toLowerCase()
  for (const s of scores) {
    if (same(label, s)) throw new UsageError(`column "${label}" cannot be both the label and a score`)
    if (same(s, group)) throw new UsageError(`column "${s}" cannot be both a score and the group`)
  }
  if (same(label, group)) throw new UsageError(`column "${label}" cannot be both the label and the group`)
  if (same(label, weight)) throw new UsageError(`column "${label}" cannot be both the label and the weight`)
  if (group !== undefined && same(group, weight)) throw new UsageError(`column "${group}" cannot be both the group and the weight`)
}

function checkBuckets(n: number | undefined): number {
  if (n === undefined) return 0
  if (!Number.isInteger(n) || n < 2 || n > MAX_BUCKETS) throw new UsageError(`--buckets must be a whole number from 2 to ${MAX_BUCKETS}, not "${n}"`)
  return n
}

interface Checked {
  table: string
  label: string
  scores: string[]
  group?: string
  weight?: string
  where?: string
  /** 0: exact */
  buckets: number
  scale: ScoreScale
}


class AucQuery {
  private readonly ctes: [string, string][] = []
  constructor(
    private readonly d: DialectRules,
    private readonly c: Checked,
  ) {}

  render(): string {
    const {group, buckets} = this.c
    this.source()
    const last = group !== undefined ? this.grouped() : buckets > 0 ? this.bucketed() : this.exact()
    const body = this.ctes.map(([name, sql]) => `${name} AS (\n${indent(sql)}\n)`).join(',\n')
    return `WITH ${body}\n${last}\nUNION ALL\n${this.meta()}\n`
  }

  private cast(x: string, type: 'double' | 'bigint' | 'string'): string {
    return `CAST(${x} AS ${this.d[type]})`
  }

  private fin(x: string): string {
    return `(${this.d.finite(x)})`
  }

  /** 1. rv_src, rv_rows, 2. rv_x */
  private source(): void {
    const {label, scores, group, weight, where, table} = this.c
    const q = (n: string) => this.d.quote(n)
    const text = `LOWER(TRIM(${this.cast(q(label), 'string')}))`
    const cols = [
      // text forms of 1 and 0 that integer, boolean, double (1.0; Trino 1.0E0) and string labels cast to
      labelCase(text),
      ...scores.map((s, i) => `${this.d.toDouble(q(s))} AS rv_s${i + 1}`),
    ]
    if (weight !== undefined) cols.push(`${this.d.toDouble(q(weight))} AS rv_w`)
    if (group !== undefined) cols.push(`COALESCE(${this.cast(q(group), 'string')}, '') AS rv_g`)
    this.cte('rv_src', `SELECT\n${list(cols)}\nFROM ${table}${where !== undefined ? `\nWHERE (${where})` : ''}`)

    const valid = ['rv_y IS NOT NULL', ...scores.map((_, i) => this.fin(`rv_s${i + 1}`))]
    const passed = ['rv_y', ...scores.map((_, i) => `rv_s${i + 1}`)]
    const status: string[] = []
    if (weight !== undefined) {
      valid.push(this.fin('rv_w'))
      passed.push('rv_w')
      status.push(`WHEN ${this.fin('rv_w')} AND rv_w < 0e0 THEN 2`)
    }
    if (group !== undefined) passed.push('rv_g')
    status.push(`WHEN ${valid.join(' AND ')} THEN 0`, 'ELSE 1')
    this.cte('rv_rows', `SELECT\n${list([...passed, `CASE\n${indent(status.join('\n'))}\nEND AS rv_status`])}\nFROM rv_src`)

    const w = weight !== undefined ? ' * rv_w' : ''
    const zero = weight !== undefined ? '0e0' : '0'
    const k = scores.map((_, i) => i + 1)
    const x = [
      'rv_k',
      'rv_status',
      `CASE rv_k ${k.map((i) => `WHEN ${i} THEN rv_s${i}`).join(' ')} ELSE 0e0 END AS rv_v`,
      `CASE WHEN rv_status = 0 THEN rv_y${w} ELSE ${zero} END AS rv_pw`,
      `CASE WHEN rv_status = 0 THEN (1 - rv_y)${w} ELSE ${zero} END AS rv_nw`,
    ]
    if (group !== undefined) x.splice(2, 0, `CASE WHEN rv_k = 0 THEN '' ELSE rv_g END AS rv_gk`)
    this.cte('rv_x', `SELECT\n${list(x)}\nFROM ${this.d.repeat('rv_rows', 'rv_k', [0, ...k])}\nWHERE rv_k = 0 OR rv_status = 0`)
  }

  /** The bucket of a score expression `v` among `n` logit-spaced buckets (./auc-stats.ts bucketOf). */
  private bucket(v: string, n: number): string {
    const L = lit(LOGIT_RANGE)
    let t: string
    if (this.c.scale === 'logit') t = `LEAST(GREATEST(${v}, ${lit(-LOGIT_RANGE)}), ${L})`
    else {
      const q = `LEAST(GREATEST(${v}, ${lit(BUCKET_EPS)}), ${lit(1 - BUCKET_EPS)})`
      t = `LN(${q}) - LN(1e0 - ${q})`
    }
    const b = this.cast(`FLOOR((${t} + ${L}) * ${lit(n / (2 * LOGIT_RANGE))})`, 'bigint')
    return `LEAST(GREATEST(${b}, 0), ${n - 1})`
  }

  /** Per-row (or per-value) terms of the plain sums, for a value `v` with positive / negative weights `pw` / `nw`. */
  private sumTerms(v: string, pw: string, nw: string): string[] {
    const p = `LEAST(GREATEST(${v}, ${lit(PROB_EPS)}), ${lit(1 - PROB_EPS)})`
    return [
      `(${pw} + ${nw}) * ${v} AS rv_c_score`,
      `${pw} * (${v} - 1e0) * (${v} - 1e0) + ${nw} * ${v} * ${v} AS rv_c_sq_error`,
      `-(${pw} * LN(${p}) + ${nw} * LN(1e0 - ${p})) AS rv_c_logloss`,
    ]
  }

  /**
   * MIN / MAX of the scores in a bucket. With weights, over rows of non-zero weight only, as
   * `receval auc` ignores zero-weight rows (a bucket of zero-weight rows only gets NULL, made 0
   * by the final SELECT; it has pos = neg = 0 and takes no part).
   */
  private range(pw: string, nw: string): string[] {
    if (this.c.weight === undefined) return ['MIN(rv_v) AS rv_min', 'MAX(rv_v) AS rv_max']
    const live = `CASE WHEN ${pw} + ${nw} > 0 THEN rv_v END`
    return [`MIN(${live}) AS rv_min`, `MAX(${live}) AS rv_max`]
  }

  /** 3. exact, no group: one row per (score, distinct value) */
  private exact(): string {
    this.cte('rv_agg', `SELECT\n${list(['rv_k', 'rv_status', 'rv_v', 'COUNT(*) AS rv_n', 'SUM(rv_pw) AS rv_pos', 'SUM(rv_nw) AS rv_neg'])}\nFROM rv_x\nGROUP BY rv_k, rv_status, rv_v`)
    return this.final({kind: 'value', t: undefined, v: 'rv_v'})
  }

  /** 3. bucketed, no group: one row per (score, bucket), aggregated straight from the rows */
  private bucketed(): string {
    const n = this.c.buckets
    this.cte('rv_xb', `SELECT\n${list(['rv_k', 'rv_status', 'rv_v', 'rv_pw', 'rv_nw', `CASE WHEN rv_k = 0 THEN 0 ELSE ${this.bucket('rv_v', n)} END AS rv_b`, ...this.sumTerms('rv_v', 'rv_pw', 'rv_nw')])}\nFROM rv_x`)
    this.cte(
      'rv_agg',
      `SELECT\n${list(['rv_k', 'rv_status', 'rv_b', 'COUNT(*) AS rv_n', 'SUM(rv_pw) AS rv_pos', 'SUM(rv_nw) AS rv_neg', 'SUM(rv_c_score) AS rv_score', 'SUM(rv_c_sq_error) AS rv_sq_error', 'SUM(rv_c_logloss) AS rv_logloss', ...this.range('rv_pw', 'rv_nw')])}\nFROM rv_xb\nGROUP BY rv_k, rv_status, rv_b`,
    )
    return this.final({kind: 'bucket', t: undefined, v: 'rv_v'})
  }

  /** 4. with a group column (exact or bucketed histogram, exact per-group U) */
  private grouped(): string {
    const n = this.c.buckets
    this.cte('rv_l1', `SELECT\n${list(['rv_k', 'rv_status', 'rv_gk', 'rv_v', 'COUNT(*) AS rv_n1', 'SUM(rv_pw) AS rv_pos1', 'SUM(rv_nw) AS rv_neg1'])}\nFROM rv_x\nGROUP BY rv_k, rv_status, rv_gk, rv_v`)
    const below = `COALESCE(SUM(rv_neg1) OVER (PARTITION BY rv_k, rv_gk ORDER BY rv_v ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)`
    this.cte('rv_l2', `SELECT\n${list(['rv_k', 'rv_status', 'rv_gk', 'rv_v', 'rv_n1', 'rv_pos1', 'rv_neg1', `rv_pos1 * (${below} + 5e-1 * rv_neg1) AS rv_u1`])}\nFROM rv_l1`)
    // rv_t = 1: the row's group (score, group); rv_t = 2: the score's histogram (score, value or bucket)
    const l3 = ['rv_t', 'rv_k', 'rv_status', `CASE WHEN rv_t = 1 THEN rv_gk ELSE '' END AS rv_gt`, 'rv_n1', 'rv_pos1', 'rv_neg1', 'rv_u1']
    if (n === 0) l3.push(`CASE WHEN rv_t = 1 THEN 0e0 ELSE rv_v END AS rv_vt`)
    else {
      l3.push('rv_v', `CASE WHEN rv_t = 1 OR rv_k = 0 THEN 0 ELSE ${this.bucket('rv_v', n)} END AS rv_b`)
      const pw = `CASE WHEN rv_t = 2 THEN rv_pos1 ELSE 0e0 END`
      const nw = `CASE WHEN rv_t = 2 THEN rv_neg1 ELSE 0e0 END`
      l3.push(...this.sumTerms('rv_v', pw, nw))
    }
    this.cte('rv_l3', `SELECT\n${list(l3)}\nFROM ${this.d.repeat('rv_l2', 'rv_t', [1, 2])}\nWHERE rv_t = 2 OR rv_k > 0`)
    const key = n === 0 ? 'rv_vt' : 'rv_b'
    const agg = ['rv_t', 'rv_k', 'rv_status', 'rv_gt', key, 'SUM(rv_n1) AS rv_n', 'SUM(rv_pos1) AS rv_pos', 'SUM(rv_neg1) AS rv_neg', 'SUM(rv_u1) AS rv_u']
    if (n > 0) agg.push('SUM(rv_c_score) AS rv_score', 'SUM(rv_c_sq_error) AS rv_sq_error', 'SUM(rv_c_logloss) AS rv_logloss', ...this.range('rv_pos1', 'rv_neg1'))
    this.cte('rv_agg', `SELECT\n${list(agg)}\nFROM rv_l3\nGROUP BY rv_t, rv_k, rv_status, rv_gt, ${key}`)
    return this.final({kind: n === 0 ? 'value' : 'bucket', t: 'rv_t', v: key})
  }

  /** The output columns from rv_agg, in AUC_STATS_COLUMNS order. */
  private final(o: {kind: 'value' | 'bucket'; t: string | undefined; v: string}): string {
    const {scores, group} = this.c
    const hist = o.t ? `rv_k > 0 AND ${o.t} = 2` : 'rv_k > 0'
    const isGroup = o.t ? `${o.t} = 1` : undefined
    const dbl = (x: string) => this.cast(x, 'double')
    const kinds = [`WHEN rv_k = 0 AND rv_status = 0 THEN 'rows'`, `WHEN rv_k = 0 AND rv_status = 2 THEN 'negative_weight'`, `WHEN rv_k = 0 THEN 'invalid'`]
    if (isGroup) kinds.push(`WHEN ${isGroup} THEN 'group'`)
    kinds.push(`ELSE '${o.kind}'`)
    const when = (cond: string, x: string, otherwise = dbl('0')) => `CASE WHEN ${cond} THEN ${x} ELSE ${otherwise} END`
    const cols: Record<string, string> = {
      stats_schema: str(AUC_STATS_SCHEMA),
      kind: `CASE ${kinds.join(' ')} END`,
      score_name: `CASE rv_k ${scores.map((s, i) => `WHEN ${i + 1} THEN ${str(s)}`).join(' ')} ELSE '' END`,
      grp: group !== undefined ? `CASE WHEN ${isGroup} THEN rv_gt ELSE '' END` : `''`,
      bucket: o.kind === 'bucket' ? this.cast('rv_b', 'bigint') : when(hist, this.bucket(o.v, EXACT_KEY_BUCKETS), this.cast('0', 'bigint')),
      score_value: o.kind === 'value' ? when(hist, dbl(o.v)) : dbl('0'),
      n_rows: this.cast('rv_n', 'bigint'),
      pos: dbl('rv_pos'),
      neg: dbl('rv_neg'),
      u_stat: isGroup ? when(isGroup, dbl('rv_u')) : dbl('0'),
      sum_score: o.kind === 'bucket' ? when(hist, dbl('rv_score')) : dbl('0'),
      sum_sq_error: o.kind === 'bucket' ? when(hist, dbl('rv_sq_error')) : dbl('0'),
      sum_logloss: o.kind === 'bucket' ? when(hist, dbl('rv_logloss')) : dbl('0'),
      min_score: when(hist, dbl(o.kind === 'bucket' ? this.orZero('rv_min') : o.v)),
      max_score: when(hist, dbl(o.kind === 'bucket' ? this.orZero('rv_max') : o.v)),
    }
    return `SELECT\n${list(AUC_STATS_COLUMNS.map((c) => `${cols[c]} AS ${this.d.quote(c)}`))}\nFROM rv_agg`
  }

  private orZero(x: string): string {
    return this.c.weight === undefined ? x : `COALESCE(${x}, 0e0)`
  }

  /** 5. the meta rows, one constant SELECT each */
  private meta(): string {
    const {label, scores, group, weight, buckets, scale} = this.c
    const rows: [string, string, number][] = [
      ['label', label, 0],
      ...scores.map((s, i): [string, string, number] => ['score', s, i + 1]),
      ['group', group ?? '', 0],
      ['weight', weight ?? '', 0],
      ['buckets', String(buckets), buckets],
      ['score_scale', scale, 0],
    ]
    const z = this.cast('0', 'double')
    // Hive wants the same column names in every branch of a UNION
    const as = (values: string[]) => values.map((v, i) => `${v} AS ${this.d.quote(AUC_STATS_COLUMNS[i])}`).join(', ')
    return rows
      .map(([key, value, b]) => `SELECT ${as([str(AUC_STATS_SCHEMA), `'meta'`, str(key), str(value), this.cast(String(b), 'bigint'), z, this.cast('0', 'bigint'), z, z, z, z, z, z, z, z])}`)
      .join('\nUNION ALL\n')
  }

  private cte(name: string, sql: string): void {
    this.ctes.push([name, sql])
  }
}
