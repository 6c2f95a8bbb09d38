import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {aucStatsRows, columnsOf, DumpSpec, statsCsv, StatsRow} from '../helpers/auc-stats.js'
import {aucErrorBound, aucFromStatsFiles, AucStatsOptions} from '../../src/warehouse/merge-auc.js'
import {ColumnRequest, readTable} from '../../src/io/index.js'
import {evaluateClassification} from '../../src/metrics/classification.js'

const dir = tempDir('receval-merge-')
const ctr = columnsOf(readFileSync(join(ROOT, 'fixtures/ctr.csv'), 'utf8'))
// scikit-learn 1.2.1 / pROC 1.18 values of fixtures/ctr.csv (fixtures/reference/classification-expected.json)
const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures/reference/classification-expected.json'), 'utf8')).cases

interface Json {
  command: string
  file: string
  rows: number
  dropped_rows: number
  positives: number
  negatives: number
  columns: Record<string, unknown>
  stats: {schema: string; files: string[]; buckets: number}
  scores: Record<string, Record<string, number | null | number[]>>
  comparisons?: {a: string; b: string; delta: number; se: null; z: null; p_value: null}[]
  notes: string[]
}

/** The ctr fixture's rows whose user falls in shard `k` of `of` (by the user's number), as a dump spec. */
function ctrShard(k: number, of: number, extra: Partial<DumpSpec> = {}, scores = ['pctr', 'pctr_v2']): DumpSpec {
  const idx = ctr.user_id.map((_, i) => i).filter((i) => Number(ctr.user_id[i].slice(1)) % of === k)
  return {
    label: idx.map((i) => Number(ctr.label[i])),
    scores: Object.fromEntries(scores.map((s) => [s, idx.map((i) => Number(ctr[s][i]))])),
    group: idx.map((i) => ctr.user_id[i]),
    ...extra,
  }
}

function shardFiles(name: string, of: number, extra: Partial<DumpSpec> = {}): string[] {
  return Array.from({length: of}, (_, k) => writeFile(dir, `${name}-${k}.csv`, statsCsv(aucStatsRows(ctrShard(k, of, extra)))))
}

/** The merge in-process (what receval auc --stats runs), for the many cases that need no new process. */
async function merge(files: string[], opts: AucStatsOptions = {}): Promise<Json> {
  const r = await aucFromStatsFiles(files, (p, req) => readTable(p, req, {hash: true, progress: false}), opts)
  return JSON.parse(JSON.stringify(r)) as Json
}

/** receval auc on the rows of a fixture, in-process. */
async function rowLevel(file: string, spec: {scores: string[]; group?: string; weight?: string; ci?: boolean}): Promise<Json> {
  const req: ColumnRequest[] = [{role: 'label', name: 'label', kind: 'label'}, ...spec.scores.map((s): ColumnRequest => ({role: 'score', name: s, kind: 'float'}))]
  if (spec.group) req.push({role: 'group', name: spec.group, kind: 'key'})
  if (spec.weight) req.push({role: 'weight', name: spec.weight, kind: 'float'})
  const {table} = await readTable(join(ROOT, file), req, {progress: false})
  return JSON.parse(JSON.stringify(evaluateClassification(table, {label: 'label', ...spec}).result)) as Json
}

/** Deep equality, numbers to 1e-12 relative (sums in another order differ in the last bits). */
function nearDeep(a: unknown, b: unknown, path: string): void {
  if (typeof b === 'number') return near(a, b, 1e-12, path)
  if (b === null || typeof b !== 'object') return assert.equal(a, b, path)
  assert.equal(typeof a, 'object', path)
  assert.deepEqual(Object.keys(a as object), Object.keys(b), path)
  for (const k of Object.keys(b)) nearDeep((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
}

function run(args: string[]): Json {
  const r = receval(args)
  assert.equal(r.code, 0, r.stderr)
  return r.json as Json
}

/** Run and expect exit 2 with one line on stderr matching `re`. */
function fails(args: string[], re: RegExp): string {
  const r = receval(args)
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}: ${r.stdout}${r.stderr}`)
  assert.equal(r.stdout, '')
  const lines = r.stderr.trim().split('\n')
  assert.equal(lines.length, 1, r.stderr)
  assert.match(lines[0], re)
  return lines[0]
}

test('aucErrorBound(h) is half the within-bucket pairs over P*N (its @example)', () => {
  assert.equal(aucErrorBound({values: Float64Array.of(0, 1), pos: Float64Array.of(1, 1), neg: Float64Array.of(1, 0), P: 2, N: 1}), 0.25)
})

test('exact statistics of 3 user shards merge to the row-level result (and to scikit-learn / pROC)', () => {
  const files = shardFiles('exact', 3)
  const j = run(['auc', '--stats', ...files, '--ci', '--json'])
  const row = run(['auc', 'fixtures/ctr.csv', '--score', 'pctr', '--score', 'pctr_v2', '--group', 'user_id', '--ci', '--json'])
  assert.equal(j.command, 'auc')
  assert.equal(j.file, files.join(', '))
  assert.deepEqual(j.stats, {schema: 'receval.auc.v1', files, buckets: 0, score_scale: 'probability'})
  assert.equal(j.rows, 20000)
  assert.equal(j.positives, row.positives)
  assert.equal(j.negatives, row.negatives)
  assert.deepEqual(j.columns, {label: 'label', scores: ['pctr', 'pctr_v2'], group: 'user_id'})
  for (const s of ['pctr', 'pctr_v2']) {
    assert.deepEqual(Object.keys(j.scores[s]), Object.keys(row.scores[s]))
    for (const [k, v] of Object.entries(row.scores[s])) {
      if (Array.isArray(v)) (j.scores[s][k] as number[]).forEach((x, i) => near(x, v[i], 1e-12, `${s}.${k}[${i}]`))
      else near(j.scores[s][k], v as number, 1e-12, `${s}.${k}`)
    }
    const e = expected['ctr-fixture']
    for (const k of ['auc', 'pr_auc', 'logloss', 'brier', 'ne', 'calibration']) near(j.scores[s][k], e.scores[s][k], 1e-12, `${s}.${k} vs scikit-learn`)
    for (const k of ['gauc', 'gauc_unweighted', 'gauc_groups', 'gauc_groups_skipped']) near(j.scores[s][k], e.gauc[s][k], 1e-12, `${s}.${k} vs scikit-learn`)
    near((j.scores[s].auc_se as number) ** 2, e.delong[s].var, 1e-10, `${s} DeLong variance vs pROC`)
  }
  assert.deepEqual(j.comparisons, [{a: 'pctr', b: 'pctr_v2', delta: (j.scores.pctr_v2.auc as number) - (j.scores.pctr.auc as number), se: null, z: null, p_value: null}])
  assert.ok(j.notes.some((n) => /paired DeLong covariance needs both scores of every row/.test(n)))
})

test('exact statistics give the same thresholds as the rows', async () => {
  const files = shardFiles('exact-t', 2)
  const j = await merge(files, {scores: ['pctr'], thresholds: [0.02, 0.05, 0.1, 0.2]})
  const t = j.scores.pctr.thresholds as unknown as {threshold: number; tp: number; fp: number; tn: number; fn: number}[]
  for (const x of t) {
    const e = expected['ctr-fixture'].thresholds[String(x.threshold)]
    assert.deepEqual([x.tp, x.fp, x.tn, x.fn], [e.tp, e.fp, e.tn, e.fn])
  }
  assert.deepEqual(j.columns.scores, ['pctr'])
})

test('bucketed statistics: auc within auc_error_bound of the exact AUC, probability metrics exact', async () => {
  const exact = await rowLevel('fixtures/ctr.csv', {scores: ['pctr', 'pctr_v2']})
  let previous = Infinity
  for (const buckets of [10, 100, 1000]) {
    const files = shardFiles(`b${buckets}`, 2, {buckets})
    const j = await merge(files)
    assert.equal(j.stats.buckets, buckets)
    for (const s of ['pctr', 'pctr_v2']) {
      const bound = j.scores[s].auc_error_bound as number
      assert.ok(bound > 0 && bound < 0.5, `bound ${bound}`)
      assert.ok(Math.abs((j.scores[s].auc as number) - (exact.scores[s].auc as number)) <= bound, `${s} at ${buckets} buckets: |${j.scores[s].auc} - ${exact.scores[s].auc}| > ${bound}`)
      for (const k of ['logloss', 'ne', 'brier', 'calibration']) near(j.scores[s][k], exact.scores[s][k] as number, 1e-12, `${s}.${k} at ${buckets} buckets`)
      if (s === 'pctr') {
        assert.ok(bound < previous, 'more buckets, smaller bound')
        previous = bound
      }
    }
    assert.ok(j.notes.some((n) => /bucketed statistics/.test(n)))
  }
  const h = receval(['auc', '--stats', join(dir, 'b100-0.csv'), join(dir, 'b100-1.csv')])
  assert.match(h.stdout, /score\s+auc\s+auc_error_bound\s+pr_auc/)
})

test('weights: exact merge equals receval auc --weight on the rows (scikit-learn sample_weight values)', async () => {
  const c = columnsOf(readFileSync(join(ROOT, 'fixtures/reference/weighted.csv'), 'utf8'))
  const all = c.label.map((_, i) => i)
  const part = (k: number) => all.filter((i) => Number(c.user_id[i]) % 2 === k)
  const files = [0, 1].map((k) => {
    const idx = part(k)
    return writeFile(dir, `weighted-${k}.csv`, statsCsv(aucStatsRows({label: idx.map((i) => Number(c.label[i])), scores: {score: idx.map((i) => Number(c.score[i]))}, group: idx.map((i) => c.user_id[i]), weight: idx.map((i) => Number(c.w[i])), weightName: 'w'})))
  })
  const j = await merge(files, {ci: true})
  const e = expected.weighted
  for (const k of ['auc', 'pr_auc', 'logloss', 'brier', 'ne', 'calibration']) near(j.scores.score[k], e.scores.score[k], 1e-12, k)
  for (const k of ['gauc', 'gauc_unweighted', 'gauc_groups', 'gauc_groups_skipped']) near(j.scores.score[k], e.gauc.score[k], 1e-12, k)
  assert.equal(j.scores.score.auc_se, null)
  assert.deepEqual(j.columns, {label: 'label', scores: ['score'], group: 'user_id', weight: 'w'})
})

test('TSV and JSONL stats files merge like CSV; an empty shard (meta rows only) adds nothing', async () => {
  const rows = aucStatsRows(ctrShard(0, 2))
  const tsv = writeFile(dir, 'fmt-0.tsv', statsCsv(rows).replace(/,/g, '\t'))
  const jsonl = writeFile(dir, 'fmt-1.jsonl', aucStatsRows(ctrShard(1, 2)).map((r) => JSON.stringify(r)).join('\n') + '\n')
  const empty = writeFile(dir, 'fmt-empty.csv', statsCsv(aucStatsRows({...ctrShard(0, 2), label: [], scores: {pctr: [], pctr_v2: []}, group: []})))
  const j = await merge([tsv, jsonl, empty])
  const row = await rowLevel('fixtures/ctr.csv', {scores: ['pctr', 'pctr_v2'], group: 'user_id'})
  near(j.scores.pctr.auc, row.scores.pctr.auc as number, 1e-15, 'auc')
  near(j.scores.pctr_v2.gauc, row.scores.pctr_v2.gauc as number, 1e-12, 'gauc')
  assert.equal(j.rows, 20000)
})

function edited(name: string, rows: StatsRow[], edit: (rows: StatsRow[]) => StatsRow[]): string {
  return writeFile(dir, name, statsCsv(edit(rows.map((r) => ({...r})))))
}

const small = aucStatsRows({label: [0, 1, 0, 1, 1, 0], scores: {s: [0.1, 0.8, 0.4, 0.35, 0.9, 0.2]}, group: ['a', 'a', 'b', 'b', 'c', 'c']})

test('--stats on a file that is not stats, or stats of another command or version: exit 2 naming it', () => {
  fails(['auc', '--stats', 'fixtures/ctr.csv'], /fixtures\/ctr\.csv: not a receval stats file: no stats_schema column/)
  const recall = writeFile(dir, 'recall-stats.csv', 'stats_schema,kind,key\nreceval.recall.v1,rows,1\n')
  fails(['auc', '--stats', recall], /recall-stats\.csv:2: column "stats_schema": receval\.recall\.v1 statistics \(from receval sql recall\) are not auc statistics \(receval\.auc\.v1\): use receval recall --stats/)
  const v2 = edited('v2.csv', small, (rs) => rs.map((r) => ({...r, stats_schema: 'receval.auc.v2'})))
  fails(['auc', '--stats', v2], /v2\.csv:2: column "stats_schema": receval\.auc\.v2 is a version of the auc statistics this receval does not read \(it reads receval\.auc\.v1\)/)
})

test('a stats file with missing columns, an unknown kind or missing meta rows: exit 2 with file, line and column', () => {
  const missing = writeFile(dir, 'missing.csv', statsCsv(small).split('\n').map((l) => l.split(',').slice(0, 9).join(',')).join('\n'))
  fails(['auc', '--stats', missing], /missing\.csv: receval\.auc\.v1 statistics need the columns u_stat, sum_score, sum_sq_error, sum_logloss, min_score, max_score; the export is incomplete/)
  const kind = edited('kind.csv', small, (rs) => rs.map((r, i) => (i === 2 ? {...r, kind: 'histogram'} : r)))
  fails(['auc', '--stats', kind], /kind\.csv:4: column "kind": unknown kind "histogram"/)
  const noMeta = edited('nometa.csv', small, (rs) => rs.filter((r) => !(r.kind === 'meta' && r.score_name === 'buckets')))
  fails(['auc', '--stats', noMeta], /nometa\.csv: column "kind": no meta buckets row/)
  const bad = writeFile(dir, 'badnum.csv', statsCsv(small).replace(/\n(receval\.auc\.v1,rows,,,0,0,)6,/, '\n$1six,'))
  fails(['auc', '--stats', bad], /badnum\.csv:2: column "n_rows": "six" is not a number/)
})

test('a truncated export (lost lines) is caught by the row counts: exit 2', () => {
  const cut = edited('cut.csv', small, (rs) => rs.filter((r, i) => !(r.kind === 'value' && i === 3)))
  fails(['auc', '--stats', cut], /cut\.csv: column "n_rows": the value rows of score s count 5 rows but the rows lines say 6: the export is incomplete/)
})

test('part files of one query result (meta rows in one of them) merge like the whole; a lost part is caught', async () => {
  const rows = aucStatsRows(ctrShard(0, 1))
  // rows in an arbitrary order, dealt into 3 parts, as a parallel writer leaves them
  const order = rows.map((r, i) => ({r, key: (i * 7919) % rows.length})).sort((a, b) => a.key - b.key).map((x) => x.r)
  const parts = [0, 1, 2].map((p) => writeFile(dir, `part-${p}.csv`, statsCsv(order.filter((_, i) => i % 3 === p))))
  const whole = writeFile(dir, 'whole.csv', statsCsv(rows))
  const a = await merge(parts, {ci: true})
  const b = await merge([whole], {ci: true})
  nearDeep({...a, file: '', stats: {}}, {...b, file: '', stats: {}}, 'parts vs whole')
  const r = receval(['auc', '--stats', parts[0], parts[2]])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /the export is incomplete/)
})

test('GAUC shards that share a group: exit 2 naming the group and both files', () => {
  const a = writeFile(dir, 'overlap-a.csv', statsCsv(aucStatsRows({label: [0, 1], scores: {s: [0.1, 0.8]}, group: ['u1', 'u1']})))
  const b = writeFile(dir, 'overlap-b.csv', statsCsv(aucStatsRows({label: [1, 0], scores: {s: [0.3, 0.2]}, group: ['u2', 'u1']})))
  fails(['auc', '--stats', a, b], /overlap-b\.csv:\d+: column "grp": group "u1" of score s is also in .*overlap-a\.csv: GAUC shards must be split by the group column \(user_id\)/)
})

test('shards of different queries, or the same shard twice: exit 2', () => {
  const a = writeFile(dir, 'q-a.csv', statsCsv(small))
  const b = writeFile(dir, 'q-b.csv', statsCsv(aucStatsRows({label: [0, 1], scores: {s: [0.1, 0.8]}, group: ['x', 'y'], buckets: 10})))
  fails(['auc', '--stats', a, b], /q-b\.csv:\d+: column "grp": made by a different query than .*q-a\.csv: buckets 10 here, 0 there/)
  fails(['auc', '--stats', a, a], /q-a\.csv: has the same contents as .*q-a\.csv: a shard given twice would be counted twice/)
})

test('rows the query left out: exit 2 unless --drop-invalid, which reports dropped_rows; negative weights always fail', () => {
  const inv = edited('invalid.csv', small, (rs) => [...rs, {...rs[0], kind: 'invalid', n_rows: 3, pos: 0, neg: 0}])
  fails(['auc', '--stats', inv], /invalid\.csv: the query left out 3 rows with a missing or invalid value .*--drop-invalid accepts that/)
  const j = run(['auc', '--stats', inv, '--drop-invalid', '--json'])
  assert.equal(j.dropped_rows, 3)
  assert.equal(j.rows, 6)
  const neg = edited('negative.csv', small, (rs) => [...rs, {...rs[0], kind: 'negative_weight', n_rows: 1, pos: 0, neg: 0}])
  fails(['auc', '--stats', neg, '--drop-invalid'], /negative\.csv: .*1 rows of the queried table have a negative weight; weights must be >= 0/)
})

test('flags that contradict the statistics: exit 2', () => {
  const a = writeFile(dir, 'flags.csv', statsCsv(small))
  fails(['auc', '--stats', a, '--score', 'pctr'], /--score pctr: the statistics have the scores s/)
  fails(['auc', '--stats', a, '--label', 'click'], /--label click: the statistics were computed with --label label/)
  fails(['auc', '--stats', a, '--weight', 'w'], /--weight w: the statistics were computed without --weight; render the query with --weight w/)
  const b = writeFile(dir, 'flags-b.csv', statsCsv(aucStatsRows({label: [0, 1], scores: {s: [0.1, 0.8]}, buckets: 10})))
  fails(['auc', '--stats', b, '--thresholds', '0.5'], /--thresholds needs exact statistics/)
  fails(['auc', '--stats', b, '--group', 'user_id'], /--group user_id: the statistics were computed without --group/)
})

test('statistics of one class only: exit 2 as receval auc does', () => {
  const one = writeFile(dir, 'oneclass.csv', statsCsv(aucStatsRows({label: [0, 0, 0], scores: {s: [0.1, 0.2, 0.3]}})))
  fails(['auc', '--stats', one], /oneclass\.csv: all 3 rows have label = 0; AUC needs both positives and negatives/)
})

test('--json errors carry the file, line and column', () => {
  const kind = join(dir, 'kind.csv')
  const r = receval(['auc', '--stats', kind, '--json'])
  assert.equal(r.code, 2)
  const e = (r.json as {error: Record<string, unknown>}).error
  assert.equal(e.code, 'INPUT_ERROR')
  assert.equal(e.line, 4)
  assert.equal(e.column, 'kind')
})
