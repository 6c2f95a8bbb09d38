import {test} from 'node:test'
import assert from 'node:assert/strict'
import {copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {byHash, DUCKDB_MISSING, DuckConnection, ExportFormat, exportShards, loadDuckDB} from '../helpers/duckdb.js'
import {readTable} from '../../src/io/index.js'
import {readRecallInputs, RecallInputFlags} from '../../src/cli/recall-inputs.js'
import {evaluateRecall} from '../../src/metrics/recall.js'
import {RecallSqlSpec, renderRecallSql} from '../../src/warehouse/recall-sql.js'
import {recallFromStatsFiles, RecallStatsOptions} from '../../src/warehouse/merge-recall.js'

// The duckdb recall template runs on real DuckDB (@duckdb/node-api, an optional dependency: these
// tests skip without it) over the shipped recall fixtures split into key shards; the exported
// shards, merged by receval recall --stats, must give what receval recall gives on the rows, to
// 1e-12 (every field: metrics, counts, ties, segments, comparisons, intervals).
const duck = await loadDuckDB()
const skip = duck ? false : DUCKDB_MISSING
const dir = tempDir('receval-recall-duckdb-')
const FX = (f: string) => join(ROOT, 'fixtures', 'recall', f)

// the truth with its keys sorted (code-unit order, stable): then the row-level bootstrap visits
// the keys in the order the merge does, and intervals and p-values must agree too
const SORTED = join(dir, 'clicks-sorted.csv')
{
  const [head, ...lines] = readFileSync(FX('clicks.csv'), 'utf8').trim().split('\n')
  const key = (l: string) => l.slice(0, l.indexOf(','))
  const sorted = lines.map((l, i) => [l, i] as const).sort((a, b) => (key(a[0]) < key(b[0]) ? -1 : key(a[0]) > key(b[0]) ? 1 : a[1] - b[1]))
  writeFileSync(SORTED, [head, ...sorted.map(([l]) => l)].join('\n') + '\n')
}
// a second retriever whose file base name is also a valid view name
const B = join(dir, 'retrieved_b.csv')
copyFileSync(FX('retrieved-b.csv'), B)

let conn: DuckConnection | undefined
async function db(): Promise<DuckConnection> {
  if (conn) return conn
  if (!duck) throw new Error(DUCKDB_MISSING)
  const instance = await duck.DuckDBInstance.create(':memory:', {threads: '2'})
  conn = await instance.connect()
  // every column as text, as --engine duckdb reads delimited files: the SQL's casts decide validity
  const view = (name: string, file: string) => (conn as DuckConnection).run(`CREATE VIEW ${name} AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}', all_varchar = true)`)
  await view('clicks', SORTED)
  await view('retrieved', FX('retrieved.csv'))
  await view('retrieved_b', B)
  await view('train', FX('train.csv'))
  await view('lists', FX('retrieved-lists.csv'))
  await view('dump', FX('dump.csv'))
  await view('ann', FX('ann.csv'))
  await view('exact', FX('exact.csv'))
  return conn
}

/** Run the duckdb query of `spec` once per key shard and export each result: the shard files. */
async function shards(name: string, spec: Omit<RecallSqlSpec, 'dialect'>, n: number, formats: ExportFormat[] = ['csv']): Promise<string[]> {
  const wheres = n > 1 ? byHash(n, spec.by ?? 'user_id') : [undefined]
  return exportShards(await db(), dir, name, wheres.map((where) => renderRecallSql({...spec, dialect: 'duckdb', where})), formats)
}

type Json = Record<string, unknown>

async function merge(files: string[], opts: RecallStatsOptions = {}): Promise<{result: Json; warnings: string[]}> {
  const {result, warnings} = await recallFromStatsFiles(files, (p, r) => readTable(p, r, {hash: true, progress: false}), opts)
  return {result: JSON.parse(JSON.stringify(result)) as Json, warnings}
}

/** receval recall on the rows, in-process, with the command's bootstrap policy. */
async function rows(f: Partial<RecallInputFlags> & {ks: number[]; ci?: boolean}, dropInvalid = false): Promise<{result: Json; warnings: string[]}> {
  const flags: RecallInputFlags = {sep: ', ', 'truth-top': false, ...f}
  const {input, notes} = await readRecallInputs((p, r) => readTable(p, r, {progress: false, dropInvalid}), flags)
  const boot = f.ci || input.retrievers.length > 1 ? {replicates: 1000, seed: 1, alpha: 0.05} : undefined
  const {result, warnings} = evaluateRecall(input, {ks: f.ks, truthTop: flags['truth-top'], bootstrap: boot, intervals: f.ci})
  result.notes.unshift(...notes)
  return {result: JSON.parse(JSON.stringify(result)) as Json, warnings}
}

/**
 * Every field of the row-level result, numbers to 1e-12 relative, everything else equal; `file`
 * fields name tables in stats mode, and notes differ by design (checked where it matters).
 */
function sameAsRows(got: Json, want: Json): void {
  const walk = (g: unknown, w: unknown, path: string): void => {
    if (path.endsWith('.file') || path === '.notes' || path === '.stats') return
    if (typeof w === 'number') near(g, w, 1e-12, path)
    else if (Array.isArray(w)) {
      assert.ok(Array.isArray(g) && g.length === w.length, `${path}: ${JSON.stringify(g)} vs ${JSON.stringify(w)}`)
      w.forEach((x, i) => walk((g as unknown[])[i], x, `${path}[${i}]`))
    } else if (w !== null && typeof w === 'object') {
      assert.ok(g !== null && typeof g === 'object', `${path}: ${JSON.stringify(g)}`)
      assert.deepEqual(Object.keys(g as object).filter((k) => k !== 'stats').sort(), Object.keys(w).filter((k) => k !== 'stats').sort(), `${path}: fields`)
      for (const [k, x] of Object.entries(w)) walk((g as Json)[k], x, `${path}.${k}`)
    } else assert.equal(g, w, path)
  }
  walk(got, want, '')
}

test('long format by score: clicks in 3 key shards (CSV, TSV, JSONL) merge to receval recall on the rows, intervals too', {skip}, async () => {
  const spec = {truthTable: 'clicks', retrievedTables: ['retrieved'], score: 'score', bid: 'bid', ks: [5, 10, 20]}
  const files = await shards('long', spec, 3, ['csv', 'tsv', 'jsonl'])
  const got = await merge(files, {intervals: true, bootstrap: {replicates: 1000, seed: 1, alpha: 0.05}})
  const want = await rows({truth: SORTED, retrieved: [FX('retrieved.csv')], score: 'score', ks: [5, 10, 20], ci: true})
  sameAsRows(got.result, want.result)
  assert.deepEqual((got.result.stats as Json).files, files)
  // --no-coverage: no item rows, everything else the same, coverage null
  const lean = await merge(await shards('lean', {...spec, coverage: false}, 3))
  for (const K of ['5', '10', '20']) {
    const {coverage, ...rest} = (lean.result.at as Record<string, Json>)[K]
    const {coverage: _c, click_recall_ci: _1, cost_recall_ci: _2, hitrate_ci: _3, ...want5} = (want.result.at as Record<string, Json>)[K]
    assert.equal(coverage, null)
    assert.deepEqual(Object.keys(rest).sort(), Object.keys(want5).sort())
    for (const [f, v] of Object.entries(want5)) near(rest[f], v as number, 1e-12, `@${K} ${f}`)
  }
  assert.ok((lean.result.notes as string[]).includes('coverage is null: the statistics were made with --no-coverage (no item rows)'))
  // one shard alone is a smaller result, not an error
  const one = await merge(files.slice(0, 1))
  assert.ok((one.result.keys as number) < (want.result.keys as number))
})

test('two retrievers, exclusions and segments in 2 key shards: metrics, segments, ties and the paired comparison equal the rows', {skip}, async () => {
  const spec = {truthTable: 'clicks', retrievedTables: ['retrieved', 'retrieved_b'], excludeTable: 'train', score: 'score', bid: 'bid', segment: 'activity', ks: [5, 10, 20]}
  const got = await merge(await shards('two', spec, 2), {bootstrap: {replicates: 500, seed: 7, alpha: 0.1}})
  const want = await rows({truth: SORTED, retrieved: [FX('retrieved.csv'), B], exclude: FX('train.csv'), score: 'score', segment: 'activity', ks: [5, 10, 20]})
  // the row-level command ran its comparison with 1000 replicates, seed 1: do the same
  sameAsRows((await merge(await shards('two', spec, 2))).result, want.result)
  assert.equal((got.result.bootstrap as Json).seed, 7)
  assert.ok((got.result.exclude as Json).rows === 200)
})

test('list format with exclusions, and the k-NN recall of lists with --truth-top, equal the rows', {skip}, async () => {
  const lists = {truthTable: 'clicks', retrievedTables: ['lists'], items: 'items', bid: 'bid', excludeTable: 'train', ks: [10, 20]}
  sameAsRows((await merge(await shards('lists', lists, 3))).result, (await rows({truth: SORTED, retrieved: [FX('retrieved-lists.csv')], items: 'items', exclude: FX('train.csv'), ks: [10, 20]})).result)
  const ann = {truthTable: 'exact', retrievedTables: ['ann'], items: 'neighbors', truthItems: 'neighbors', truthTop: true, by: 'query', ks: [1, 5, 10]}
  const got = await merge(await shards('ann', ann, 2))
  sameAsRows(got.result, (await rows({truth: FX('exact.csv'), retrieved: [FX('ann.csv')], items: 'neighbors', 'truth-items': 'neighbors', 'truth-top': true, by: 'query', ks: [1, 5, 10]})).result)
  assert.equal(got.result.truth_top, true)
})

test('single-dump mode: each key ranked by pctr, clicks are the truth, per segment', {skip}, async () => {
  const c = await db()
  const dump = join(dir, 'dump-seg.csv')
  await c.run(`COPY (SELECT *, CASE WHEN hash(user_id) % 3 = 0 THEN 'a' ELSE 'b' END AS grp FROM dump) TO '${dump}' (HEADER)`)
  await c.run(`CREATE VIEW dump_seg AS SELECT * FROM read_csv('${dump}', all_varchar = true)`)
  const got = await merge(await shards('dump', {table: 'dump_seg', label: 'click', score: 'pctr', bid: 'bid', segment: 'grp', ks: [5, 10]}, 2))
  const want = await rows({file: dump, by: 'user_id', score: 'pctr', label: 'click', segment: 'grp', ks: [5, 10]})
  sameAsRows(got.result, want.result)
  assert.equal(got.result.mode, 'dump')
})

test('long-format truth ranked by --truth-rank, retrieved by --rank', {skip}, async () => {
  const c = await db()
  const exact = join(dir, 'exact-long.csv')
  const ann = join(dir, 'ann-long.csv')
  const longOf = (v: string) => `SELECT query, UNNEST(string_split(neighbors, ',')) AS doc, generate_subscripts(string_split(neighbors, ','), 1) AS nn FROM ${v}`
  // the truth rows shuffled (their rank says the order), the retrieved ranks as 10 * position
  await c.run(`COPY (SELECT * FROM (${longOf('exact')}) ORDER BY hash(query || doc)) TO '${exact}' (HEADER)`)
  await c.run(`COPY (SELECT query, doc, nn * 10 AS pos FROM (${longOf('ann')})) TO '${ann}' (HEADER)`)
  await c.run(`CREATE VIEW exact_long AS SELECT * FROM read_csv('${exact}', all_varchar = true)`)
  await c.run(`CREATE VIEW ann_long AS SELECT * FROM read_csv('${ann}', all_varchar = true)`)
  const spec = {truthTable: 'exact_long', retrievedTables: ['ann_long'], rank: 'pos', truthTop: true, truthRank: 'nn', by: 'query', item: 'doc', ks: [1, 3, 10]}
  const want = await rows({truth: exact, retrieved: [ann], rank: 'pos', 'truth-top': true, 'truth-rank': 'nn', by: 'query', item: 'doc', ks: [1, 3, 10]})
  sameAsRows((await merge(await shards('top-long', spec, 3))).result, want.result)
  // the same as the list files (k-NN recall does not depend on the format)
  const lists = await rows({truth: FX('exact.csv'), retrieved: [FX('ann.csv')], items: 'neighbors', 'truth-items': 'neighbors', 'truth-top': true, by: 'query', ks: [1, 3, 10]})
  for (const K of ['1', '3', '10']) near(((want.result.at as Json)[K] as Json).click_recall, ((lists.result.at as Json)[K] as Json).click_recall as number, 1e-12, `@${K}`)
})

test('by hand: ties across K, duplicates, an emptied list, a key without retrieval, invalid rows with --drop-invalid', {skip}, async () => {
  // ties are listed in item order, which is the order the SQL breaks them in (the rows keep file order)
  const truth = writeFile(dir, 'hand-truth.csv', 'user_id,item_id,bid\nu1,a,1\nu1,c,2\nu1,c,0.5\nu2,x,1\nu3,q,4\nu4,a,1\nu5,z,\n')
  const retrieved = writeFile(dir, 'hand-ret.csv', 'user_id,item_id,score\nu1,a,0.9\nu1,b,0.5\nu1,c,0.5\nu1,a,0.1\nu1,d,0.2\nu2,x,0.3\nu2,y,0.7\nu4,a,nan\nu4,b,0.4\nu9,e,0.1\n')
  const exclude = writeFile(dir, 'hand-ex.csv', 'user_id,item_id\nu2,x\nu2,y\nu1,d\n')
  const c = await db()
  for (const [v, f] of [['hand_truth', truth], ['hand_ret', retrieved], ['hand_ex', exclude]]) await c.run(`CREATE VIEW ${v} AS SELECT * FROM read_csv('${f}', all_varchar = true)`)
  const spec = {truthTable: 'hand_truth', retrievedTables: ['hand_ret'], excludeTable: 'hand_ex', score: 'score', bid: 'bid', ks: [1, 2, 3]}
  const files = await shards('hand', spec, 2)
  const want = await rows({truth, retrieved: [retrieved], exclude, score: 'score', bid: 'bid', ks: [1, 2, 3]}, true)
  const got = await merge(files, {dropInvalid: true})
  sameAsRows(got.result, want.result)
  assert.deepEqual(got.result.ties, {'1': 0, '2': 1, '3': 0})
  assert.equal(got.result.dropped_rows, 2)
  assert.equal(got.warnings.length, 1)
  assert.match(got.warnings[0], /hand_ret: tied scores cross the K boundary for 1 key at K=2 \(e\.g\. key "u1"\); ties are ordered by item \(a table has no file order\)/)
  // without --drop-invalid the left-out rows are an error, as on the rows
  const r = receval(['recall', '--stats', ...files])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /the query left out 2 rows with a missing or invalid value .*--drop-invalid accepts that/)
})

test('receval recall --stats through the CLI: the same JSON and table as the rows, --html works', {skip}, async () => {
  const files = await shards('cli', {truthTable: 'clicks', retrievedTables: ['retrieved'], score: 'score', bid: 'bid', ks: [5, 10, 20]}, 2)
  const html = join(dir, 'recall-stats.html')
  const r = receval(['recall', '--stats', ...files, '--json', '--html', html])
  assert.equal(r.code, 0, r.stderr)
  const want = receval(['recall', '--retrieved', FX('retrieved.csv'), '--truth', SORTED, '--score', 'score', '-k', '5,10,20', '--json'])
  sameAsRows(r.json as Json, want.json as Json)
  assert.deepEqual((r.json as Json).stats, {schema: 'receval.recall.v1', files, tiebreak: 'item'})
  assert.match(readFileSync(html, 'utf8'), /receval-result/)
  // -k picks some of the statistics' cut-offs
  const some = receval(['recall', '--stats', ...files, '-k', '10', '--json'])
  assert.deepEqual(Object.keys((some.json as Json).at as Json), ['10'])
  const table = receval(['recall', '--stats', ...files])
  const rowsTable = receval(['recall', '--retrieved', FX('retrieved.csv'), '--truth', SORTED, '--score', 'score', '-k', '5,10,20'])
  assert.equal(table.stdout.split('\n').slice(3).join('\n'), rowsTable.stdout.split('\n').slice(3).join('\n'), 'the metric table')
})

test('overlapping shards, another schema, missing columns, an incomplete export, mixed -k, a shard twice: exit 2 with one line', {skip}, async () => {
  const spec = {truthTable: 'clicks', retrievedTables: ['retrieved'], score: 'score', bid: 'bid', ks: [5, 10]}
  const c = await db()
  // shards split by item, not by key: users appear in both
  const byItem: string[] = []
  for (const k of [0, 1]) {
    const file = join(dir, `by-item-${k}.csv`)
    await c.run(`COPY (${renderRecallSql({...spec, dialect: 'duckdb', where: `hash(item_id) % 2 = ${k}`})}) TO '${file}' (HEADER)`)
    byItem.push(file)
  }
  const good = await shards('good', spec, 2)
  const text = readFileSync(good[0], 'utf8')
  const lines = text.trim().split('\n')
  const v2 = writeFile(dir, 'v2.csv', text.replace(/receval\.recall\.v1/g, 'receval.recall.v2'))
  const auc = writeFile(dir, 'auc.csv', text.replace(/receval\.recall\.v1/g, 'receval.auc.v1'))
  const noDcg = writeFile(dir, 'no-dcg.csv', lines.map((l) => l.split(',').filter((_, i) => i !== 14).join(',')).join('\n') + '\n')
  const cut = writeFile(dir, 'cut.csv', lines.filter((l, i) => i === 0 || !l.includes(',unit,') || i % 7 !== 0).join('\n') + '\n')
  const other = await shards('k20', {...spec, ks: [5, 10, 20]}, 2)
  const cases: [string[], RegExp][] = [
    [byItem, /by-item-1\.csv:\d+: column "key": key "u\d+" \(retriever retrieved, K = \d+\) is also in \S*by-item-0\.csv: recall shards must be split by the key column \(user_id\)/],
    [[v2], /v2\.csv:2: column "stats_schema": receval\.recall\.v2 is a version of the recall statistics this receval does not read/],
    [[auc], /auc\.csv:2: column "stats_schema": receval\.auc\.v1 statistics \(from receval sql auc\) are not recall statistics .*use receval auc --stats/],
    [[noDcg], /no-dcg\.csv: receval\.recall\.v1 statistics need the column dcg; the export is incomplete/],
    [[cut], /the unit rows of retriever retrieved at K = \d+ count \d+ keys but the truth lines say \d+: the export is incomplete/],
    [[good[0], other[1]], /the unit rows of retriever retrieved at K = 20 count \d+ keys but the truth lines say \d+: .*or the shards were made with different -k/],
    [[good[0], good[1], good[0]], /good-0\.csv: has the same contents as \S*good-0\.csv: a shard given twice would be counted twice/],
    [[FX('clicks.csv')], /clicks\.csv: not a receval stats file: no stats_schema column/],
  ]
  for (const [files, re] of cases) {
    const r = receval(['recall', '--stats', ...files])
    assert.equal(r.code, 2, `${files.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, re)
  }
  // recall statistics given to auc --stats say where they belong
  const a = receval(['auc', '--stats', good[0]])
  assert.equal(a.code, 2)
  assert.match(a.stderr, /receval\.recall\.v1 statistics \(from receval sql recall\) are not auc statistics .*use receval recall --stats/)
  // flags that contradict the statistics
  const flags: [string[], RegExp][] = [
    [['--segment', 'activity'], /--segment activity: the statistics were computed without --segment/],
    [['--score', 'pctr'], /--score pctr: the statistics were computed with --score score/],
    [['-k', '50'], /-k 50: the statistics have the cut-offs 5, 10/],
    [['--truth-top'], /--truth-top: the statistics were computed without --truth-top/],
    [['--truth', FX('clicks.csv')], /--truth reads rows; with --stats every file is a stats file/],
  ]
  for (const [args, re] of flags) {
    const r = receval(['recall', '--stats', ...good, ...args])
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.match(r.stderr, re)
  }
})

test('a negative bid fails; an empty shard (the filter matches nothing) merges; no truth at all is an error', {skip}, async () => {
  const c = await db()
  await c.run(`CREATE VIEW neg AS SELECT user_id, item_id, CASE WHEN item_id = '1040' THEN '-1' ELSE bid END AS bid FROM clicks`)
  const neg = await shards('neg', {truthTable: 'neg', retrievedTables: ['retrieved'], score: 'score', bid: 'bid', ks: [5]}, 1)
  const r = receval(['recall', '--stats', ...neg, '--drop-invalid'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /column "bid": \d+ rows of the queried truth have a negative bid; bids must be >= 0/)
  const spec = {truthTable: 'clicks', retrievedTables: ['retrieved'], score: 'score', bid: 'bid', ks: [5, 10]}
  const empty = join(dir, 'empty.csv')
  await c.run(`COPY (${renderRecallSql({...spec, dialect: 'duckdb', where: '1 = 0'})}) TO '${empty}' (HEADER)`)
  const all = await shards('all', spec, 1)
  sameAsRows((await merge([empty, ...all])).result, (await merge(all)).result)
  const alone = receval(['recall', '--stats', empty])
  assert.equal(alone.code, 2)
  assert.match(alone.stderr, /the statistics count no truth rows: there is nothing to recall/)
})
