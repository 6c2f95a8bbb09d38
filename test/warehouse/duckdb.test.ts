import {test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {receval, ROOT, tempDir} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {byHash, DUCKDB_MISSING, DuckConnection, ExportFormat, exportShards, loadDuckDB} from '../helpers/duckdb.js'
import {ColumnRequest, floatColumn, labelColumn, readTable} from '../../src/io/index.js'
import {aucOfHistogram} from '../../src/metrics/auc.js'
import {evaluateClassification} from '../../src/metrics/classification.js'
import {scoreHistogram} from '../../src/metrics/histogram.js'
import {AucSqlSpec, renderAucSql} from '../../src/warehouse/auc-sql.js'
import {bucketOf, ScoreScale} from '../../src/warehouse/auc-stats.js'
import {aucFromStatsFiles, AucStatsOptions} from '../../src/warehouse/merge-auc.js'

// The duckdb templates run on real DuckDB (@duckdb/node-api, an optional dependency: these tests
// skip without it) over the shipped fixtures split into shards; the exported shards, merged by
// receval auc --stats, must give what receval auc gives on the rows.
const duck = await loadDuckDB()
const skip = duck ? false : DUCKDB_MISSING
const dir = tempDir('receval-duckdb-')

let conn: DuckConnection | undefined
async function db(): Promise<DuckConnection> {
  if (conn) return conn
  if (!duck) throw new Error(DUCKDB_MISSING)
  const instance = await duck.DuckDBInstance.create(':memory:', {threads: '2'})
  conn = await instance.connect()
  const fx = (f: string) => join(ROOT, 'fixtures', f).replace(/'/g, "''")
  await conn.run(`CREATE TABLE ctr AS SELECT * FROM read_csv('${fx('ctr.csv')}')`)
  await conn.run(`CREATE TABLE weighted AS SELECT * FROM read_csv('${fx('reference/weighted.csv')}')`)
  await conn.run(`CREATE TABLE logits AS SELECT * FROM read_csv('${fx('reference/logits.csv')}')`)
  return conn
}

/** Run the duckdb query of `spec` once per --where and export each result: the shard files. */
async function shards(name: string, spec: Omit<AucSqlSpec, 'dialect'>, wheres: (string | undefined)[], formats: ExportFormat[] = ['csv']): Promise<string[]> {
  return exportShards(await db(), dir, name, wheres.map((where) => renderAucSql({...spec, dialect: 'duckdb', where})), formats)
}

/** Shard k of n by a hash of the user id: disjoint by user, as GAUC needs. */
const byUser = (n: number) => byHash(n)

type Result = {rows: number; dropped_rows: number; positives: number; negatives: number; scores: Record<string, Record<string, unknown>>; notes: string[]}

async function merge(files: string[], opts: AucStatsOptions = {}): Promise<Result> {
  return JSON.parse(JSON.stringify(await aucFromStatsFiles(files, (p, r) => readTable(p, r, {hash: true, progress: false}), opts))) as Result
}

/** receval auc on the rows, in-process. */
async function rows(file: string, spec: {label?: string; scores: string[]; group?: string; weight?: string; ci?: boolean}, dropInvalid = false): Promise<Result> {
  const label = spec.label ?? 'label'
  const req: ColumnRequest[] = [{role: 'label', name: label, kind: 'label'}, ...spec.scores.map((s): ColumnRequest => ({role: 'score', name: s, kind: 'float'}))]
  if (spec.group) req.push({role: 'group', name: spec.group, kind: 'key'})
  if (spec.weight) req.push({role: 'weight', name: spec.weight, kind: 'float', nonNegative: true})
  const {table} = await readTable(file, req, {progress: false, dropInvalid})
  return JSON.parse(JSON.stringify(evaluateClassification(table, {...spec, label}).result)) as Result
}

/** Every field of the row-level result, to 1e-12 relative (arrays element-wise). */
function sameAsRows(got: Result, want: Result, fields?: string[]): void {
  assert.equal(got.rows, want.rows)
  assert.equal(got.dropped_rows, want.dropped_rows)
  near(got.positives, want.positives, 1e-12, 'positives')
  near(got.negatives, want.negatives, 1e-12, 'negatives')
  for (const [s, r] of Object.entries(want.scores)) {
    for (const [k, v] of Object.entries(r)) {
      if (fields && !fields.includes(k)) continue
      const g = got.scores[s][k]
      if (v === null) assert.equal(g, null, `${s}.${k}`)
      else if (Array.isArray(v)) v.forEach((x, i) => near((g as number[])[i], x as number, 1e-12, `${s}.${k}[${i}]`))
      else near(g, v as number, 1e-12, `${s}.${k}`)
    }
  }
}

const CTR = join(ROOT, 'fixtures', 'ctr.csv')

test('exact: ctr.csv in 3 user shards (CSV, TSV, JSONL exports) merges to receval auc on the rows', {skip}, async () => {
  const files = await shards('exact', {table: 'ctr', label: 'label', scores: ['pctr', 'pctr_v2'], group: 'user_id'}, byUser(3), ['csv', 'tsv', 'jsonl'])
  const r = receval(['auc', '--stats', ...files, '--ci', '--json'])
  assert.equal(r.code, 0, r.stderr)
  const want = receval(['auc', 'fixtures/ctr.csv', '--score', 'pctr', '--score', 'pctr_v2', '--group', 'user_id', '--ci', '--json'])
  sameAsRows(r.json as Result, want.json as Result)
  // no tie is lost on the way through DuckDB and its CSV writer: the histogram AUC is bit-identical
  assert.equal((r.json as Result).scores.pctr.auc, (want.json as Result).scores.pctr.auc)
})

let parquetReader = true
try {
  await readTable(join(ROOT, 'fixtures/parquet/typed.parquet'), [{role: 'label', name: 'label', kind: 'label'}], {progress: false})
} catch {
  parquetReader = false
}

test('statistics exported as Parquet merge like CSV', {skip: skip || (parquetReader ? false : 'hyparquet is not installed (optional dependency)')}, async () => {
  const spec = {table: 'ctr', label: 'label', scores: ['pctr'], group: 'user_id', buckets: 1000}
  const a = await merge(await shards('pq', spec, byUser(2), ['parquet']))
  const b = await merge(await shards('pq-csv', spec, byUser(2), ['csv']))
  sameAsRows(a, b)
})

test('exact with weights: reference/weighted.csv in 2 user shards equals receval auc --weight', {skip}, async () => {
  const files = await shards('weighted', {table: 'weighted', label: 'label', scores: ['score'], group: 'user_id', weight: 'w'}, byUser(2))
  sameAsRows(await merge(files, {ci: true}), await rows(join(ROOT, 'fixtures/reference/weighted.csv'), {scores: ['score'], group: 'user_id', weight: 'w', ci: true}))
})

test('bucketed: within auc_error_bound of the exact AUC, equal to the same buckets made in JavaScript, probability metrics exact', {skip}, async () => {
  const exact = await rows(CTR, {scores: ['pctr', 'pctr_v2']})
  const {table} = await readTable(CTR, [{role: 'label', name: 'label', kind: 'label'}, {role: 's', name: 'pctr', kind: 'float'}, {role: 's', name: 'pctr_v2', kind: 'float'}], {progress: false})
  for (const buckets of [10, 100, 1000, 10000]) {
    for (const group of [undefined, 'user_id']) {
      const files = await shards(`b${buckets}${group ?? ''}`, {table: 'ctr', label: 'label', scores: ['pctr', 'pctr_v2'], group, buckets}, byUser(2))
      const got = await merge(files)
      for (const s of ['pctr', 'pctr_v2']) {
        const r = got.scores[s]
        const bound = r.auc_error_bound as number
        const err = Math.abs((r.auc as number) - (exact.scores[s].auc as number))
        assert.ok(err <= bound, `${s}, ${buckets} buckets: error ${err} > bound ${bound}`)
        const b = Float64Array.from(floatColumn(table, s), (x) => bucketOf(x, buckets))
        near(r.auc, aucOfHistogram(scoreHistogram(b, labelColumn(table, 'label'))), 1e-12, `${s} ${buckets}: SQL buckets = bucketOf`)
        for (const k of ['logloss', 'ne', 'brier', 'calibration']) near(r[k], exact.scores[s][k] as number, 1e-12, `${s}.${k}`)
        if (group) for (const k of ['gauc', 'gauc_unweighted', 'gauc_groups', 'gauc_groups_skipped']) assert.ok(r[k] !== undefined, k)
      }
    }
  }
})

test('logit scores: probability metrics null; exact and --score-scale logit bucketed merges agree with the rows', {skip}, async () => {
  const want = await rows(join(ROOT, 'fixtures/reference/logits.csv'), {scores: ['logit'], group: 'user_id'})
  const exact = await merge(await shards('logit-exact', {table: 'logits', label: 'label', scores: ['logit'], group: 'user_id'}, byUser(2)))
  sameAsRows(exact, want)
  assert.equal(exact.scores.logit.logloss, null)
  for (const scale of ['logit', 'probability'] as ScoreScale[]) {
    const got = await merge(await shards(`logit-${scale}`, {table: 'logits', label: 'label', scores: ['logit'], buckets: 200, scale}, byUser(2)))
    const bound = got.scores.logit.auc_error_bound as number
    assert.ok(Math.abs((got.scores.logit.auc as number) - (want.scores.logit.auc as number)) <= bound)
    if (scale === 'logit') assert.ok(bound < 0.02, `logit-spaced buckets fit logit scores: bound ${bound}`)
    else assert.ok(bound > 0.05, `probability buckets squeeze logits outside [0, 1] into the end buckets: bound ${bound}`)
    assert.equal(got.scores.logit.logloss, null)
  }
})

test('labels typed boolean, double and text count as 0 / 1 like integers', {skip}, async () => {
  const c = await db()
  await c.run(`CREATE TABLE typed AS SELECT user_id, pctr, label = 1 AS l_bool, CAST(label AS DOUBLE) AS l_double, CASE WHEN label = 1 THEN 'True' ELSE 'false' END AS l_text FROM ctr`)
  const want = await rows(CTR, {scores: ['pctr']})
  for (const label of ['l_bool', 'l_double', 'l_text']) {
    const got = await merge(await shards(`typed-${label}`, {table: 'typed', label, scores: ['pctr']}, [undefined]))
    sameAsRows(got, want, ['auc', 'pr_auc', 'logloss'])
  }
})

test('NULL, NaN and bad labels: exit 2 without --drop-invalid; with it the same dropped_rows and metrics as the rows', {skip}, async () => {
  const c = await db()
  await c.run(`CREATE TABLE dirty AS SELECT user_id,
    CASE WHEN rowid % 97 = 5 THEN 'maybe' ELSE CAST(label AS VARCHAR) END AS label,
    CASE WHEN rowid % 89 = 3 THEN NULL WHEN rowid % 83 = 1 THEN CAST('NaN' AS DOUBLE) ELSE pctr END AS pctr, bid FROM ctr`)
  const csv = join(dir, 'dirty.csv')
  await c.run(`COPY dirty TO '${csv}' (HEADER)`)
  const files = await shards('dirty', {table: 'dirty', label: 'label', scores: ['pctr'], group: 'user_id', weight: 'bid'}, byUser(2))
  const r = receval(['auc', '--stats', ...files])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /dirty-0\.csv, \S*dirty-1\.csv: the query left out \d+ rows with a missing or invalid value .* --drop-invalid accepts that/)
  const got = await merge(files, {dropInvalid: true})
  const want = await rows(csv, {scores: ['pctr'], group: 'user_id', weight: 'bid'}, true)
  assert.ok(want.dropped_rows > 400, `dropped ${want.dropped_rows}`)
  sameAsRows(got, want)
  await c.run(`CREATE TABLE negative AS SELECT label, pctr, CASE WHEN rowid = 7 THEN -1 ELSE bid END AS bid FROM ctr`)
  const neg = await shards('negative', {table: 'negative', label: 'label', scores: ['pctr'], weight: 'bid'}, [undefined])
  const n = receval(['auc', '--stats', ...neg, '--drop-invalid'])
  assert.equal(n.code, 2)
  assert.match(n.stderr, /negative-0\.csv: column "bid": 1 rows of the queried table have a negative weight/)
})

test('GAUC shards split by something other than the group overlap: exit 2', {skip}, async () => {
  const files = await shards('by-item', {table: 'ctr', label: 'label', scores: ['pctr'], group: 'user_id'}, ['item_id % 2 = 0', 'item_id % 2 = 1'])
  const r = receval(['auc', '--stats', ...files])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /by-item-1\.csv:\d+: column "grp": group "u\d+" of score pctr is also in .*by-item-0\.csv: GAUC shards must be split by the group column \(user_id\)/)
  // without --group the same shards are fine: histograms add up
  const plain = await shards('by-item-plain', {table: 'ctr', label: 'label', scores: ['pctr']}, ['item_id % 2 = 0', 'item_id % 2 = 1'])
  sameAsRows(await merge(plain), await rows(CTR, {scores: ['pctr']}))
})

test('an empty shard (WHERE matches nothing) still says what it is and merges', {skip}, async () => {
  const files = await shards('empty', {table: 'ctr', label: 'label', scores: ['pctr'], group: 'user_id', buckets: 50}, ['1 = 0', undefined])
  const got = await merge(files)
  assert.equal(got.rows, 20000)
  const alone = receval(['auc', '--stats', files[0]])
  assert.equal(alone.code, 2)
  assert.match(alone.stderr, /the statistics count no rows; AUC needs both positives and negatives/)
})
