import {InputError, UsageError} from '../cli/errors.js'
import {ColumnRequest, floatColumn, KeyDict, keyColumn, Table} from '../io/index.js'
import {aucOfHistogram} from '../metrics/auc.js'
import {averagePrecision} from '../metrics/average-precision.js'
import {AucResult, Comparison, ScoreResult} from '../metrics/classification.js'
import {aucInterval, delongVariance, placements} from '../metrics/delong.js'
import {mergeSorted, ScoreHistogram} from '../metrics/histogram.js'
import {probabilityFromHistogram, ProbabilityMetrics} from '../metrics/probability.js'
import {sortFloat64} from '../metrics/radix-sort.js'
import {confusionAt} from '../metrics/thresholds.js'
import {AUC_META_KEYS, AUC_STATS_COLUMNS, AUC_STATS_KINDS, AUC_STATS_SCHEMA, AUC_STATS_TEXT, SCORE_SCALES, ScoreScale} from './auc-stats.js'

/** A `receval auc --stats` score: the row-level fields, plus `auc_error_bound` from bucketed statistics. */
export type StatsScoreResult = ScoreResult & {auc_error_bound?: number}

/** The `receval auc --stats` result: the row-level `receval auc` result, plus where the statistics came from. */
export type AucStatsResult = AucResult & {
  scores: Record<string, StatsScoreResult>
  stats: {schema: string; files: string[]; buckets: number; score_scale: ScoreScale}
}

export interface AucStatsOptions {
  ci?: boolean
  alpha?: number
  thresholds?: number[]
  /** accept rows the query left out as invalid (they become dropped_rows) */
  dropInvalid?: boolean
  /** keep only these scores, in this order (default: all, in query order) */
  scores?: string[]
  /** when given, each must match the column the statistics were computed with */
  label?: string
  group?: string
  weight?: string
}

/** One stats file as read by `readTable` with `aucStatsRequests()`. */
export interface StatsInput {
  table: Table
}

/**
 * The column requests that read a stats file: every column optional (so a file of another kind
 * gets a message about what it is rather than about a missing column), the text columns sharing
 * one dictionary per column across files so that group keys compare between shards.
 */
export function aucStatsRequests(dicts: Map<string, KeyDict> = new Map()): ColumnRequest[] {
  return AUC_STATS_COLUMNS.map((c): ColumnRequest => {
    const text = AUC_STATS_TEXT.has(c)
    if (text && !dicts.has(c)) dicts.set(c, new KeyDict())
    return {role: 'stats column', defaults: [c], optional: true, kind: text ? 'key' : 'float', dict: text ? dicts.get(c) : undefined}
  })
}

interface Meta {
  label: string
  scores: string[]
  group: string
  weight: string
  buckets: number
  scale: ScoreScale
}

/** A stats file checked and split by kind (row indexes into its table). */
interface FileStats {
  file: string
  table: Table
  meta: Meta
  /** rows used and their positive / negative totals (0 for an empty shard) */
  n: number
  P: number
  N: number
  invalid: number
  negative: number
  /** per score (query order): rows of kind value / bucket */
  hist: number[][]
  /** per score: rows of kind group */
  groups: number[][]
  /** line number of a data row */
  line(row: number): number
}

const KIND_INDEX = new Map<string, number>(AUC_STATS_KINDS.map((k, i) => [k, i]))

/**
 * Merge `receval.auc.v1` statistics of one or more shards into the `receval auc` result.
 *
 * Files may be shards (one query result each, e.g. one per --where) or part files of one result
 * (Spark and BigQuery EXPORT DATA write several); all their rows are pooled.
 *
 * 1. check each file: its schema and columns, every kind and number; the meta rows of all files
 *    must describe the same query (label, scores, group, weight, buckets, scale: only --where may
 *    differ between shards)
 * 2. check that the value (or bucket) and group rows of each score add up to the rows lines (a
 *    truncated export fails here), that no non-empty file is given twice, and that no group
 *    appears twice (GAUC shards must be split by the group column)
 * 3. per score: add the histograms of all shards (one sort), then AUC, average precision and,
 *    with --ci, the DeLong variance exactly as `receval auc` computes them on the rows; exact
 *    statistics also give the probability metrics and thresholds from the histogram; bucketed
 *    ones give them from the plain sums, and add auc_error_bound = 1/2 sum_b pos_b neg_b / (P N)
 * 4. per score and group: AUC_g = u_stat / (pos * neg), averaged as `receval auc --group` does
 *
 * Paired DeLong comparisons need both scores of every row and cannot come from per-score
 * histograms: comparisons keep delta and leave se, z and p_value null.
 *
 * @throws InputError naming file, line and column for anything that is not consistent stats
 * @throws UsageError when the options contradict the statistics
 */
export function mergeAucStats(inputs: readonly StatsInput[], opts: AucStatsOptions = {}): AucStatsResult {
  if (inputs.length === 0) throw new UsageError('--stats needs at least one stats file')
  // 1.
  const read = inputs.map((x) => readKindsAndMeta(x.table))
  const meta = decideMeta(read)
  const files = read.map((r) => splitRows(r, meta))
  // 2.
  checkTotals(files, meta, !!opts.dropInvalid)
  checkDistinctFiles(files)
  const chosen = chooseScores(meta, opts)

  const notes: string[] = []
  const P = sum(files.map((f) => f.P))
  const N = sum(files.map((f) => f.N))
  const rows = sum(files.map((f) => f.n))
  const dropped = sum(files.map((f) => f.invalid))
  const names = files.map((f) => f.file)
  const file = names.join(', ')
  if (P === 0 || N === 0) {
    const what = rows === 0 ? 'the statistics count no rows' : meta.weight ? `${P === 0 ? 'positive' : 'negative'} weight is 0` : `all ${rows} rows have ${meta.label} = ${P === 0 ? 0 : 1}`
    throw new InputError({file}, `${what}; AUC needs both positives and negatives`)
  }
  const bucketed = meta.buckets > 0
  if (bucketed && opts.thresholds?.length) throw new UsageError('--thresholds needs exact statistics (render the query without --buckets): a bucket has no single score to compare with a threshold')
  const alpha = opts.alpha ?? 0.05
  const weighted = meta.weight !== ''

  // 3. and 4.
  const scores: Record<string, StatsScoreResult> = {}
  let outOfRange = false
  for (const name of chosen) {
    const k = meta.scores.indexOf(name)
    const h = mergedHistogram(files, k)
    const a = aucOfHistogram(h)
    const prob = bucketed ? probabilityFromSums(files, k, h) : probabilityFromHistogram(h)
    if (!prob.inRange) outOfRange = true
    const r: StatsScoreResult = {
      auc: a,
      ...(bucketed ? {auc_error_bound: aucErrorBound(h)} : {}),
      pr_auc: averagePrecision(h),
      logloss: prob.logloss,
      ne: prob.ne,
      brier: prob.brier,
      calibration: prob.calibration,
    }
    if (opts.ci) {
      if (weighted) {
        r.auc_se = null
        r.auc_ci = null
      } else {
        const v = delongVariance(h, placements(h), a)
        const se = Number.isFinite(v) ? Math.sqrt(v) : null
        r.auc_se = se
        r.auc_ci = se === null ? null : aucInterval(a, se, alpha)
      }
    }
    if (meta.group !== '') Object.assign(r, mergedGroupAuc(files, k, name, meta))
    if (opts.thresholds?.length) r.thresholds = confusionAt(h, opts.thresholds)
    scores[name] = r
  }
  if (outOfRange) notes.push('logloss, ne, brier and calibration are null for scores with values outside [0, 1]: they are not probabilities')
  if (opts.ci && weighted) notes.push('auc_se and auc_ci are null with --weight: the DeLong variance is defined for unweighted AUC only')
  if (opts.ci && !weighted && (P < 2 || N < 2)) notes.push('auc_se is null: the DeLong variance needs at least 2 positives and 2 negatives')
  if (opts.ci && !weighted && bucketed) notes.push(`auc_se and auc_ci are the DeLong variance of the bucketed score (${meta.buckets} buckets), whose AUC is within auc_error_bound of the exact one`)
  if (bucketed) notes.push(`bucketed statistics (${meta.buckets} buckets): auc is within auc_error_bound of the exact AUC, pr_auc is the average precision of the bucketed score; logloss, ne, brier and calibration are exact`)
  if (meta.group !== '' && chosen.some((n) => scores[n].gauc === null)) notes.push('gauc is null: no group has both a positive and a negative')

  const columns: AucResult['columns'] = {label: meta.label, scores: chosen, ...(meta.group ? {group: meta.group} : {}), ...(meta.weight ? {weight: meta.weight} : {})}
  const result: AucStatsResult = {
    command: 'auc',
    file,
    rows,
    dropped_rows: dropped,
    positives: P,
    negatives: N,
    columns,
    stats: {schema: AUC_STATS_SCHEMA, files: names, buckets: meta.buckets, score_scale: meta.scale},
    ...(opts.ci ? {alpha} : {}),
    scores,
    notes,
  }
  if (opts.ci && chosen.length > 1) {
    const first = chosen[0]
    result.comparisons = chosen.slice(1).map((b): Comparison => ({a: first, b, delta: scores[b].auc - scores[first].auc, se: null, z: null, p_value: null}))
    notes.push('comparisons have no se, z or p_value from --stats: the paired DeLong covariance needs both scores of every row, which per-score statistics do not keep (run receval auc on the rows for the test)')
  }
  return result
}

function sum(xs: number[]): number {
  let s = 0
  for (const x of xs) s += x
  return s
}

/** A stats file whose schema, columns and kinds are checked, with its meta rows. */
interface Prepared {
  file: string
  table: Table
  kinds: Int8Array
  meta: MetaRow[]
  line(row: number): number
}

/** Step 1a: one file's schema, columns, kinds and meta rows. */
function readKindsAndMeta(table: Table): Prepared {
  const file = table.source.path === '-' ? '<stdin>' : table.source.path
  const jsonl = table.source.format === 'jsonl'
  const line = (row: number) => row + (jsonl ? 1 : 2)
  if (!table.columns.has('stats_schema')) {
    throw new InputError({file}, `not a receval stats file: no stats_schema column (make one by running the query of receval sql auc and exporting its result with a header)`)
  }
  const schema = keyColumn(table, 'stats_schema')
  for (let i = 0; i < table.rows; i++) {
    const s = schema.dict.text(schema.data[i])
    if (s === AUC_STATS_SCHEMA) continue
    const m = /^receval\.([a-z_]+)\.v(\d+)$/.exec(s)
    const at = {file, line: line(i), column: 'stats_schema'}
    if (m && m[1] !== 'auc') throw new InputError(at, `${s} statistics (from receval sql ${m[1]}) are not auc statistics (${AUC_STATS_SCHEMA}): use receval ${m[1]} --stats`)
    if (m) throw new InputError(at, `${s} is a version of the auc statistics this receval does not read (it reads ${AUC_STATS_SCHEMA}): render the query again with this version's receval sql auc`)
    throw new InputError(at, `${JSON.stringify(s)} is not a receval stats schema (expected ${AUC_STATS_SCHEMA})`)
  }
  const missing = AUC_STATS_COLUMNS.filter((c) => !table.columns.has(c))
  if (missing.length) throw new InputError({file}, `${AUC_STATS_SCHEMA} statistics need the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the export is incomplete`)

  const kindCol = keyColumn(table, 'kind')
  const nameCol = keyColumn(table, 'score_name')
  const grpCol = keyColumn(table, 'grp')
  const bucket = floatColumn(table, 'bucket')

  // kinds by dictionary id, looked up once per distinct text
  const kindOf = new Int32Array(kindCol.dict.size).fill(-1)
  const kinds = new Int8Array(table.rows)
  for (let i = 0; i < table.rows; i++) {
    const id = kindCol.data[i]
    if (kindOf[id] === -1) kindOf[id] = KIND_INDEX.get(kindCol.dict.text(id)) ?? -2
    if (kindOf[id] === -2) throw new InputError({file, line: line(i), column: 'kind'}, `unknown kind ${JSON.stringify(kindCol.dict.text(id))} (expected one of ${AUC_STATS_KINDS.join(', ')})`)
    kinds[i] = kindOf[id]
  }

  const META = KIND_INDEX.get('meta')
  const meta: MetaRow[] = []
  for (let i = 0; i < table.rows; i++) {
    if (kinds[i] !== META) continue
    const key = nameCol.dict.text(nameCol.data[i])
    if (!(AUC_META_KEYS as readonly string[]).includes(key)) throw new InputError({file, line: line(i), column: 'score_name'}, `unknown meta key ${JSON.stringify(key)} (expected one of ${AUC_META_KEYS.join(', ')})`)
    const p = bucket[i]
    if (key === 'score' && (!Number.isInteger(p) || p < 1)) throw new InputError({file, line: line(i), column: 'bucket'}, `meta score position ${p} is not 1, 2, ...`)
    meta.push({key: key === 'score' ? `score ${p}` : key, value: grpCol.dict.text(grpCol.data[i]), file, line: line(i)})
  }
  return {file, table, kinds, line, meta}
}

interface MetaRow {
  /** the meta key; `score N` for the score at position N */
  key: string
  value: string
  file: string
  line: number
}

/**
 * Step 1b: the query's meta from the meta rows of all files. Each shard has its own copy, and a
 * parallel writer may deal one result's meta rows into different part files; every copy of a
 * key must agree.
 */
function decideMeta(files: Prepared[]): Meta {
  const first = new Map<string, MetaRow>()
  for (const f of files)
    for (const m of f.meta) {
      const seen = first.get(m.key)
      if (!seen) first.set(m.key, m)
      else if (seen.value !== m.value) {
        const what = m.key.startsWith('score ') ? `score ${m.key.slice(6)}` : m.key
        const show = (v: string) => (v === '' ? 'none' : v)
        throw new InputError({file: m.file, line: m.line, column: 'grp'}, `made by a different query than ${seen.file}: ${what} ${show(m.value)} here, ${show(seen.value)} there; shards must come from the same receval sql auc flags (only --where may differ)`)
      }
    }
  const all = files.map((f) => f.file).join(', ')
  if (first.size === 0) throw new InputError({file: all}, 'no meta rows in any file: the export is incomplete or not from receval sql auc')
  const value = (key: string): string => {
    const m = first.get(key)
    if (!m) throw new InputError({file: all, column: 'kind'}, `no meta ${key} row in any file: the export is incomplete or not from receval sql auc`)
    return m.value
  }
  const positions = [...first.keys()].filter((k) => k.startsWith('score ')).map((k) => Number(k.slice(6))).sort((a, b) => a - b)
  if (positions.length === 0) value('score')
  positions.forEach((p, i) => {
    if (p !== i + 1) throw new InputError({file: all, column: 'bucket'}, `no meta score row at position ${i + 1} in any file: the export is incomplete`)
  })
  const scores = positions.map((p) => value(`score ${p}`))
  const bucketsText = value('buckets')
  const buckets = Number(bucketsText)
  if (!/^\d+$/.test(bucketsText) || buckets === 1) throw new InputError({file: first.get('buckets')?.file ?? all, column: 'grp'}, `meta buckets ${JSON.stringify(bucketsText)} is not 0 (exact) or a bucket count`)
  const scale = value('score_scale') as ScoreScale
  if (!SCORE_SCALES.includes(scale)) throw new InputError({file: first.get('score_scale')?.file ?? all, column: 'grp'}, `meta score_scale ${JSON.stringify(scale)} is not one of ${SCORE_SCALES.join(', ')}`)
  return {label: value('label'), scores, group: value('group'), weight: value('weight'), buckets, scale}
}

/** Step 1c: one file's data rows by kind and score, each checked against the query's meta. */
function splitRows(r: Prepared, meta: Meta): FileStats {
  const {file, table, kinds, line} = r
  const nameCol = keyColumn(table, 'score_name')
  const num = (c: string) => floatColumn(table, c)
  const bucket = num('bucket')
  const nRows = num('n_rows')
  const pos = num('pos')
  const neg = num('neg')
  const u = num('u_stat')
  const {scores, buckets} = meta
  const histKind = buckets > 0 ? 'bucket' : 'value'
  const scoreIndex = new Map<number, number>()
  const scoreOf = (i: number): number => {
    const id = nameCol.data[i]
    let k = scoreIndex.get(id)
    if (k === undefined) {
      k = scores.indexOf(nameCol.dict.text(id))
      scoreIndex.set(id, k)
    }
    if (k < 0) throw new InputError({file, line: line(i), column: 'score_name'}, `score ${JSON.stringify(nameCol.dict.text(id))} is not one of the meta scores (${scores.join(', ')})`)
    return k
  }
  const out: FileStats = {file, table, meta, n: 0, P: 0, N: 0, invalid: 0, negative: 0, hist: scores.map(() => []), groups: scores.map(() => []), line}
  for (let i = 0; i < table.rows; i++) {
    const kind = AUC_STATS_KINDS[kinds[i]]
    if (kind === 'meta') continue
    const n = nRows[i]
    if (!Number.isInteger(n) || n < 0) throw new InputError({file, line: line(i), column: 'n_rows'}, `${n} is not a row count`)
    if (pos[i] < 0 || neg[i] < 0) throw new InputError({file, line: line(i), column: pos[i] < 0 ? 'pos' : 'neg'}, 'a negative count or weight sum')
    switch (kind) {
      case 'rows':
        out.n += n
        out.P += pos[i]
        out.N += neg[i]
        break
      case 'invalid':
        out.invalid += n
        break
      case 'negative_weight':
        out.negative += n
        break
      case 'value':
      case 'bucket':
        if (kind !== histKind) throw new InputError({file, line: line(i), column: 'kind'}, `a ${kind} row in ${buckets > 0 ? `bucketed statistics (${buckets} buckets)` : 'exact statistics'}`)
        if (kind === 'bucket' && (!Number.isInteger(bucket[i]) || bucket[i] < 0 || bucket[i] >= buckets)) throw new InputError({file, line: line(i), column: 'bucket'}, `bucket ${bucket[i]} is outside 0..${buckets - 1}`)
        out.hist[scoreOf(i)].push(i)
        break
      case 'group':
        if (meta.group === '') throw new InputError({file, line: line(i), column: 'kind'}, 'a group row in statistics made without --group')
        if (u[i] < 0 || u[i] > pos[i] * neg[i] * (1 + 1e-9)) throw new InputError({file, line: line(i), column: 'u_stat'}, `u_stat ${u[i]} is outside [0, pos * neg]`)
        out.groups[scoreOf(i)].push(i)
        break
    }
  }
  return out
}

/**
 * Step 2a: rows left out by the query, and row counts. Every score counts every used row once, in
 * its value (bucket) rows and in its group rows: a shortfall means lines were lost on the way
 * (a client row limit, a missing part file). Counted over all files, so a query result split into
 * part files (Spark, BigQuery EXPORT DATA) merges like one file.
 */
function checkTotals(files: FileStats[], meta: Meta, dropInvalid: boolean): void {
  const where = (pick: (f: FileStats) => number) => files.filter((f) => pick(f) > 0).map((f) => f.file).join(', ')
  const negative = sum(files.map((f) => f.negative))
  if (negative > 0) throw new InputError({file: where((f) => f.negative), column: meta.weight}, `${negative} rows of the queried table have a negative weight; weights must be >= 0`)
  const invalid = sum(files.map((f) => f.invalid))
  if (invalid > 0 && !dropInvalid) {
    throw new InputError({file: where((f) => f.invalid)}, `the query left out ${invalid} rows with a missing or invalid value (NULL, NaN or infinite ${meta.weight ? 'score or weight' : 'score'}, or a ${meta.label} other than 0, 1, true, false); --drop-invalid accepts that and reports them as dropped_rows`)
  }
  const total = sum(files.map((f) => f.n))
  const counted = (pick: (f: FileStats) => number[]) => sum(files.map((f) => {
    const n = floatColumn(f.table, 'n_rows')
    return sum(pick(f).map((i) => n[i]))
  }))
  const all = files.map((f) => f.file).join(', ')
  const hint = 'the export is incomplete (a client row limit such as bq query --max_rows, or a missing part file)'
  meta.scores.forEach((s, k) => {
    const h = counted((f) => f.hist[k])
    if (h !== total) throw new InputError({file: all, column: 'n_rows'}, `the ${meta.buckets > 0 ? 'bucket' : 'value'} rows of score ${s} count ${h} rows but the rows lines say ${total}: ${hint}`)
    if (meta.group === '') return
    const g = counted((f) => f.groups[k])
    if (g !== total) throw new InputError({file: all, column: 'n_rows'}, `the group rows of score ${s} count ${g} rows but the rows lines say ${total}: ${hint}`)
  })
}

/** The same non-empty shard twice would be counted twice. */
function checkDistinctFiles(files: FileStats[]): void {
  const byHash = new Map<string, string>()
  for (const f of files) {
    const h = f.table.source.sha256
    if (h === undefined || f.n === 0) continue
    const other = byHash.get(h)
    if (other !== undefined) throw new InputError({file: f.file}, `has the same contents as ${other}: a shard given twice would be counted twice`)
    byHash.set(h, f.file)
  }
}

function chooseScores(meta: Meta, opts: AucStatsOptions): string[] {
  const same = (flag: string, given: string | undefined, have: string) => {
    if (given === undefined || given === have) return
    if (have === '') throw new UsageError(`${flag} ${given}: the statistics were computed without ${flag}; render the query with ${flag} ${given}`)
    throw new UsageError(`${flag} ${given}: the statistics were computed with ${flag} ${have}`)
  }
  same('--label', opts.label, meta.label)
  same('--group', opts.group, meta.group)
  same('--weight', opts.weight, meta.weight)
  if (!opts.scores?.length) return meta.scores
  const out: string[] = []
  for (const s of opts.scores) {
    if (!meta.scores.includes(s)) throw new UsageError(`--score ${s}: the statistics have the scores ${meta.scores.join(', ')}`)
    if (!out.includes(s)) out.push(s)
  }
  return out
}

/** Step 3: the score's histogram over all shards (values, or bucket indexes), by one sort. */
function mergedHistogram(files: FileStats[], k: number): ScoreHistogram {
  const n = sum(files.map((f) => f.hist[k].length))
  const vp = new Float64Array(n)
  const wp = new Float64Array(n)
  const vn = new Float64Array(n)
  const wn = new Float64Array(n)
  let j = 0
  for (const f of files) {
    const key = floatColumn(f.table, f.meta.buckets > 0 ? 'bucket' : 'score_value')
    const pos = floatColumn(f.table, 'pos')
    const neg = floatColumn(f.table, 'neg')
    for (const i of f.hist[k]) {
      vp[j] = key[i]
      vn[j] = key[i]
      wp[j] = pos[i]
      wn[j++] = neg[i]
    }
  }
  const tmp = new Float64Array(n)
  const ptmp = new Float64Array(n)
  sortFloat64(vp, tmp, wp, ptmp)
  sortFloat64(vn, tmp, wn, ptmp)
  return mergeSorted(vp, wp, vn, wn)
}

/**
 * The largest possible |bucketed AUC - exact AUC|: inside a bucket the pairs (positive,
 * negative) count 1/2, where the exact AUC counts each 0, 1/2 or 1; pairs in different buckets
 * are ordered the same either way (buckets rise with the score). So
 *
 *   auc_error_bound = 1/2 * sum_b pos_b * neg_b / (P * N)
 *
 * @example aucErrorBound({values: Float64Array.of(0, 1), pos: Float64Array.of(1, 1), neg: Float64Array.of(1, 0), P: 2, N: 1}) // 0.25
 */
export function aucErrorBound(h: ScoreHistogram): number {
  let s = 0
  for (let b = 0; b < h.values.length; b++) s += h.pos[b] * h.neg[b]
  return (0.5 * s) / (h.P * h.N)
}

/**
 * Probability metrics from the plain sums of bucketed statistics, with the definitions of
 * src/metrics/probability.ts: logloss = sum_logloss / W, ne = logloss / H(P / W),
 * brier = sum_sq_error / W, calibration = sum_score / P, W = P + N; null when a score is
 * outside [0, 1].
 */
function probabilityFromSums(files: FileStats[], k: number, h: ScoreHistogram): ProbabilityMetrics {
  let ll = 0
  let sq = 0
  let ss = 0
  let lo = Infinity
  let hi = -Infinity
  for (const f of files) {
    const c = (name: string) => floatColumn(f.table, name)
    const [sl, se, sc, mn, mx, pos, neg] = ['sum_logloss', 'sum_sq_error', 'sum_score', 'min_score', 'max_score', 'pos', 'neg'].map(c)
    for (const i of f.hist[k]) {
      ll += sl[i]
      sq += se[i]
      ss += sc[i]
      // zero-weight rows do not take part, as in receval auc
      if (pos[i] === 0 && neg[i] === 0) continue
      if (mn[i] < lo) lo = mn[i]
      if (mx[i] > hi) hi = mx[i]
    }
  }
  const inRange = !(lo < 0 || hi > 1)
  if (!inRange) return {logloss: null, ne: null, brier: null, calibration: null, inRange}
  const W = h.P + h.N
  const logloss = ll / W
  const b = h.P / W
  const ent = b > 0 && b < 1 ? -(b * Math.log(b) + (1 - b) * Math.log(1 - b)) : NaN
  return {logloss, ne: Number.isFinite(ent) ? logloss / ent : null, brier: sq / W, calibration: h.P > 0 ? ss / h.P : null, inRange}
}

/** Step 4: GAUC of score k from the group rows of all shards, each group in one shard only. */
function mergedGroupAuc(files: FileStats[], k: number, name: string, meta: Meta): Pick<ScoreResult, 'gauc' | 'gauc_unweighted' | 'gauc_groups' | 'gauc_groups_skipped'> {
  const dict = keyColumn(files[0].table, 'grp').dict
  const firstFile = new Int32Array(dict.size).fill(-1)
  const firstRow = new Int32Array(dict.size)
  let num = 0
  let den = 0
  let sumAuc = 0
  let used = 0
  let skipped = 0
  files.forEach((f, fi) => {
    const grp = keyColumn(f.table, 'grp').data
    const pos = floatColumn(f.table, 'pos')
    const neg = floatColumn(f.table, 'neg')
    const n = floatColumn(f.table, 'n_rows')
    const u = floatColumn(f.table, 'u_stat')
    for (const i of f.groups[k]) {
      const g = grp[i]
      if (firstFile[g] !== -1) {
        const where = firstFile[g] === fi ? `line ${f.line(firstRow[g])} of this file` : files[firstFile[g]].file
        throw new InputError({file: f.file, line: f.line(i), column: 'grp'}, `group ${JSON.stringify(dict.text(g))} of score ${name} is also in ${where}: GAUC shards must be split by the group column (${meta.group}) so that each group is in one shard`)
      }
      firstFile[g] = fi
      firstRow[g] = i
      const P = pos[i]
      const N = neg[i]
      if (P === 0 || N === 0) {
        skipped++
        continue
      }
      const a = u[i] / (P * N)
      const W = meta.weight ? P + N : n[i]
      num += W * a
      den += W
      sumAuc += a
      used++
    }
  })
  return {gauc: used > 0 ? num / den : null, gauc_unweighted: used > 0 ? sumAuc / used : null, gauc_groups: used, gauc_groups_skipped: skipped}
}

/** How the command reads one file (BaseCommand.read with the shared input flags). */
export type ReadStats = (path: string, requests: readonly ColumnRequest[]) => Promise<StatsInput>

/** Read stats files (one per shard) and merge them: `receval auc --stats FILES...`. */
export async function aucFromStatsFiles(paths: readonly string[], read: ReadStats, opts: AucStatsOptions): Promise<AucStatsResult> {
  const dicts = new Map<string, KeyDict>()
  const inputs: StatsInput[] = []
  for (const p of paths) inputs.push(await read(p, aucStatsRequests(dicts)))
  return mergeAucStats(inputs, opts)
}
