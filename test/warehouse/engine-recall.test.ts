import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {DUCKDB_MISSING, loadDuckDB} from '../helpers/duckdb.js'

// `receval recall --engine duckdb` runs the statistics query of `receval sql recall --dialect
// duckdb` in-process over the input files and merges the result: it must print what the
// row-level command prints (to 1e-12), the same fields, with the files' names.
const duck = await loadDuckDB()
const skip = duck ? false : DUCKDB_MISSING
const dir = tempDir('receval-engine-recall-')
const FX = (f: string) => join('fixtures', 'recall', f)

// the truth with its keys in text order, so that the bootstrap visits keys in the same order in both engines
const SORTED = join(dir, 'clicks-sorted.csv')
{
  const [head, ...lines] = readFileSync(join(ROOT, FX('clicks.csv')), 'utf8').trim().split('\n')
  const key = (l: string) => l.slice(0, l.indexOf(','))
  writeFileSync(SORTED, [head, ...lines.map((l, i) => [l, i] as const).sort((a, b) => (key(a[0]) < key(b[0]) ? -1 : key(a[0]) > key(b[0]) ? 1 : a[1] - b[1])).map(([l]) => l)].join('\n') + '\n')
}

type Json = Record<string, unknown>

function both(args: string[]): {rows: Json; engine: Json; stderr: string} {
  const r = receval(['recall', ...args, '--json'])
  const e = receval(['recall', ...args, '--engine', 'duckdb', '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.equal(e.code, 0, e.stderr)
  return {rows: r.json as Json, engine: e.json as Json, stderr: e.stderr}
}

/** Every field equal (numbers to 1e-12 relative), file names included; the engine adds `engine` and may add notes. */
function same(got: Json, want: Json): void {
  assert.equal(got.engine, 'duckdb')
  const walk = (g: unknown, w: unknown, path: string): void => {
    if (path === '.notes') return
    if (typeof w === 'number') near(g, w, 1e-12, path)
    else if (Array.isArray(w)) {
      assert.ok(Array.isArray(g) && g.length === w.length, path)
      w.forEach((x, i) => walk((g as unknown[])[i], x, `${path}[${i}]`))
    } else if (w !== null && typeof w === 'object') {
      assert.deepEqual(Object.keys(g as object).filter((k) => k !== 'engine').sort(), Object.keys(w).sort(), `${path}: fields`)
      for (const [k, x] of Object.entries(w)) walk((g as Json)[k], x, `${path}.${k}`)
    } else assert.equal(g, w, path)
  }
  walk(got, want, '')
  for (const n of want.notes as string[]) assert.ok((got.notes as string[]).includes(n), `note "${n}"`)
}

test('recall --engine duckdb equals the rows: long format, two retrievers, exclusions, segments, intervals and the comparison', {skip}, () => {
  const {rows, engine} = both(['--retrieved', FX('retrieved.csv'), '--retrieved', FX('retrieved-b.csv'), '--score', 'score', '--truth', SORTED, '--exclude', FX('train.csv'), '--segment', 'activity', '--ci', '--seed', '7', '-k', '5,10,20'])
  same(engine, rows)
  assert.deepEqual(Object.keys(engine.retrievers as Json), ['retrieved', 'retrieved-b'])
  assert.equal((engine.retrieved as Json).file, FX('retrieved.csv'))
})

test('recall --engine duckdb equals the rows: list format, single-dump mode, the k-NN recall of lists', {skip}, () => {
  const cases = [
    ['--retrieved', FX('retrieved-lists.csv'), '--items', 'items', '--truth', FX('clicks.csv'), '--exclude', FX('train.csv'), '-k', '10,20'],
    [FX('dump.csv'), '--by', 'user_id', '--score', 'pctr', '--label', 'click', '-k', '5,10'],
    ['--retrieved', FX('ann.csv'), '--items', 'neighbors', '--truth', FX('exact.csv'), '--truth-items', 'neighbors', '--truth-top', '--by', 'query', '-k', '1,10'],
  ]
  for (const args of cases) {
    const {rows, engine} = both(args)
    same(engine, rows)
  }
})

test('recall --engine duckdb reads TSV, gzip, JSONL and Parquet as the rows do', {skip}, async () => {
  const c = await (await (duck as NonNullable<typeof duck>).DuckDBInstance.create(':memory:')).connect()
  const src = (f: string) => `read_csv('${join(ROOT, FX(f))}', all_varchar = true)`
  const tsv = join(dir, 'retrieved.tsv')
  const jsonl = join(dir, 'clicks.jsonl')
  const parquet = join(dir, 'retrieved.parquet')
  await c.run(`COPY (SELECT * FROM ${src('retrieved.csv')}) TO '${tsv}' (HEADER, DELIMITER '\t')`)
  await c.run(`COPY (SELECT user_id, item_id, CAST(bid AS DOUBLE) AS bid, activity FROM ${src('clicks.csv')}) TO '${jsonl}' (FORMAT JSON)`)
  await c.run(`COPY (SELECT user_id, item_id, CAST(score AS DOUBLE) AS score FROM ${src('retrieved.csv')}) TO '${parquet}' (FORMAT PARQUET)`)
  const gz = join(dir, 'train.csv.gz')
  await c.run(`COPY (SELECT * FROM ${src('train.csv')}) TO '${gz}' (HEADER, COMPRESSION GZIP)`)
  const want = receval(['recall', '--retrieved', FX('retrieved.csv'), '--score', 'score', '--truth', FX('clicks.csv'), '--exclude', FX('train.csv'), '-k', '5,20', '--json'])
  for (const [ret, truth] of [
    [tsv, jsonl],
    [parquet, FX('clicks.csv')],
  ]) {
    const e = receval(['recall', '--retrieved', ret, '--score', 'score', '--truth', truth, '--exclude', gz, '-k', '5,20', '--engine', 'duckdb', '--json'])
    assert.equal(e.code, 0, e.stderr)
    for (const K of ['5', '20']) {
      for (const [m, v] of Object.entries(((want.json as Json).at as Json)[K] as Json)) near((((e.json as Json).at as Json)[K] as Json)[m], v as number, 1e-12, `${ret} @${K} ${m}`)
    }
    assert.equal((e.json as Json).truth && ((e.json as Json).truth as Json).rows, 452)
  }
})

test('recall --engine duckdb: what a query cannot do, and bad input, exit 2 with one line', {skip}, () => {
  const other = writeFile(dir, 'uid.csv', 'uid,item_id,score\nu1,1001,0.5\n')
  const jsonl = writeFile(dir, 'lists.jsonl', '{"user_id": "u1", "items": [1001, 1002]}\n')
  const bad = writeFile(dir, 'bad.csv', 'user_id,item_id,score\nu1,1001,abc\nu2,1002,0.5\n')
  const cases: [string[], RegExp][] = [
    [['--retrieved', FX('retrieved.csv'), '--truth', FX('clicks.csv')], /--engine duckdb needs --rank COL or --score COL to order long-format lists: a query has no file order/],
    [['--retrieved', FX('ann.csv'), '--items', 'neighbors', '--truth', FX('clicks.csv'), '--truth-top', '--by', 'query'], /--truth-top on a long-format truth: a query has no file order/],
    [['--retrieved', other, '--score', 'score', '--truth', FX('clicks.csv')], /--engine duckdb needs the key column to have one name in every file: \S*clicks\.csv has "user_id", \S*uid\.csv has "uid"/],
    [['--retrieved', jsonl, '--items', 'items', '--truth', FX('clicks.csv')], /--engine duckdb reads list fields of delimited files; \S*lists\.jsonl is JSONL/],
    [['--retrieved', '-', '--score', 'score', '--truth', FX('clicks.csv'), '--format', 'csv'], /--engine duckdb reads files, not stdin/],
    [['--retrieved', FX('retrieved.csv'), '--score', 'nope', '--truth', FX('clicks.csv')], /retrieved\.csv: no column "nope" \(--score\); the file has columns: "user_id", "item_id", "score"/],
    [['--retrieved', bad, '--score', 'score', '--truth', FX('clicks.csv')], /the query left out 1 rows with a missing or invalid value .*--drop-invalid accepts that/],
    [['--stats', FX('clicks.csv')], /--engine duckdb reads the rows files; --stats files are merged without it/],
  ]
  for (const [args, re] of cases) {
    const r = receval(['recall', ...args, '--engine', 'duckdb'])
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, re)
  }
  // --drop-invalid: the same dropped_rows as the rows
  const {rows, engine} = both(['--retrieved', bad, '--score', 'score', '--truth', FX('clicks.csv'), '--drop-invalid', '-k', '1'])
  assert.equal(engine.dropped_rows, 1)
  same(engine, rows)
})
