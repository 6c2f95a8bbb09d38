import {test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {nearDeep} from '../helpers/assert.js'
import {byHash, DUCKDB_MISSING, DuckConnection, ExportFormat, exportShards, loadDuckDB} from '../helpers/duckdb.js'
import {readTable} from '../../src/io/index.js'
import {AbFlags, AbResult, runAb} from '../../src/ab/run.js'
import {AbSqlSpec, renderAbSql} from '../../src/warehouse/ab-sql.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

// The duckdb template of `receval sql ab` runs on real DuckDB (@duckdb/node-api, an optional
// dependency: these tests skip without it) over the shipped A/B fixtures split into shards of
// users; the exported shards, analysed by `receval ab --stats`, must give what `receval ab`
// gives on the unit rows, to 1e-12 relative.
const duck = await loadDuckDB()
const skip = duck ? false : DUCKDB_MISSING
const dir = tempDir('receval-ab-duckdb-')
const USERS = join(ROOT, 'fixtures', 'ab', 'users.csv')
const DAYS = join(ROOT, 'fixtures', 'ab', 'user-days.csv')

let conn: DuckConnection | undefined
async function db(): Promise<DuckConnection> {
  if (conn) return conn
  if (!duck) throw new Error(DUCKDB_MISSING)
  const instance = await duck.DuckDBInstance.create(':memory:', {threads: '2'})
  conn = await instance.connect()
  // typed as DuckDB guesses them (day: DATE, counts: BIGINT, cost: DOUBLE), as a warehouse table would be
  await conn.run(`CREATE TABLE users AS SELECT * FROM read_csv('${USERS}')`)
  await conn.run(`CREATE TABLE days AS SELECT * FROM read_csv('${DAYS}')`)
  return conn
}

/** Run the duckdb query of `spec` once per --where and export each result: the shard files. */
async function shards(name: string, spec: Omit<AbSqlSpec, 'dialect'>, wheres: (string | undefined)[], formats: ExportFormat[] = ['csv']): Promise<string[]> {
  return exportShards(await db(), dir, name, wheres.map((where) => renderAbSql({...spec, dialect: 'duckdb', where})), formats)
}

/** Shard k of n by a hash of the user: disjoint by unit, as the merge needs. */
const byUser = (n: number) => byHash(n)

const reader = (p: string, r: Parameters<typeof readTable>[1]) => readTable(p, r, {progress: false})

function flags(f: Partial<AbFlags>): AbFlags {
  return {metric: [], alpha: 0.05, method: 'welch', covariate: [], cap: [], sequential: false, tuning: 5000, power: 0.8, ...f}
}

/** receval ab on the unit rows, in-process. */
async function rows(file: string, f: Partial<AbFlags>): Promise<AbResult> {
  return JSON.parse(JSON.stringify(await runAb(flags({file, ...f}), reader))) as AbResult
}

/** receval ab --stats on the shards, in-process (the metric names select; --covariate names the metric). */
async function merged(files: string[], f: Partial<AbFlags>): Promise<AbResult> {
  const metric = (f.metric ?? []).map((m) => m.split('=')[0])
  const covariate = (f.covariate ?? []).map((c) => c.split('=')[0])
  return JSON.parse(JSON.stringify(await runAb(flags({...f, file: undefined, stats: files, metric, covariate, unit: undefined, cap: [], day: f.day ? 'day' : undefined}), reader))) as AbResult
}

/** Every number of `want` equals the one in `got` to 1e-12 relative; everything else exactly. */
const same = (got: any, want: any, path = ''): void => nearDeep(got, want, 1e-12, path)

/**
 * The analysis fields (what the statistics determine): all but the description of the input
 * (with --stats, the covariate of a CUPED result is named by its stats column, cov_sum).
 */
function sameAnalysis(got: AbResult, want: AbResult): void {
  const strip = ({file: _f, stats_files: _s, rows: _r, dropped_rows: _d, metrics: _m, capping: _c, notes: _n, ...rest}: AbResult) => {
    for (const r of [...rest.results, ...(rest.daily ?? []), ...(rest.cumulative ?? [])]) if (r.cuped) r.cuped.covariate = null
    return rest
  }
  same(strip(got), strip(want))
}

const CTR_CPM = ['ctr=clicks/impressions', 'cpm=1000*cost/impressions']

test('users.csv (a row per user) in 3 user shards exported as CSV, TSV and JSONL: ab --stats equals ab on the rows, CUPED included', {skip}, async () => {
  const metric = [...CTR_CPM, 'cost_per_user=cost', 'clicks=clicks']
  const covariate = ['ctr=pre_clicks', 'clicks=pre_clicks']
  const files = await shards('users', {table: 'users', arm: 'arm', metrics: metric, covariates: covariate}, byUser(3), ['csv', 'tsv', 'jsonl'])
  const want = await rows(USERS, {metric, covariate})
  const got = await merged(files, {metric, covariate})
  sameAnalysis(got, want)
  assert.equal(got.units, 2000)
  assert.ok(want.results.every((r) => r.metric !== 'clicks' || (r.cuped?.variance_reduction as number) > 0.4), 'CUPED is at work')
})

test('user-days.csv --unit --day in 3 user shards: overall, daily and cumulative equal ab on the rows (CUPED, sequential)', {skip}, async () => {
  const spec = {table: 'days', arm: 'arm', unit: 'user_id', day: 'day', metrics: [...CTR_CPM, 'clicks=clicks'], covariates: ['clicks=pre_clicks']}
  const files = await shards('days', spec, byUser(3))
  const f = {unit: 'user_id', day: 'day', metric: spec.metrics, covariate: spec.covariates, sequential: true}
  const want = await rows(DAYS, f)
  const got = await merged(files, f)
  sameAnalysis(got, want)
  assert.equal(want.days?.length, 7)
  assert.equal(want.cumulative?.length, 7 * 2 * 3)
  // the CLI reads the same files the same way
  const cli = receval(['ab', '--stats', ...files, '--day', 'day', '--covariate', 'clicks', '--sequential', '--json'])
  assert.equal(cli.code, 0, cli.stderr)
  sameAnalysis(cli.json as AbResult, want)
})

test('user-days.csv --unit without --day: units summed over all their days', {skip}, async () => {
  const metric = [...CTR_CPM, 'cost_per_user=cost']
  const files = await shards('units', {table: 'days', arm: 'arm', unit: 'user_id', metrics: metric, covariates: ['ctr=pre_clicks']}, byUser(2))
  const f = {unit: 'user_id', metric, covariate: ['ctr=pre_clicks']}
  sameAnalysis(await merged(files, f), await rows(DAYS, f))
})

test('user-days.csv --day without --unit: every row its own unit, per day and cumulatively', {skip}, async () => {
  const files = await shards('rowdays', {table: 'days', arm: 'arm', day: 'day', metrics: CTR_CPM}, byUser(2))
  const want = await rows(DAYS, {day: 'day', metric: CTR_CPM})
  sameAnalysis(await merged(files, {day: 'day', metric: CTR_CPM}), want)
  assert.ok(want.notes.some((n) => n.startsWith('--day without --unit')))
})

test('--cap COL=VALUE caps each unit value before the sums, daily and cumulatively, as on the rows', {skip}, async () => {
  const spec = {table: 'days', arm: 'arm', unit: 'user_id', day: 'day', metrics: [...CTR_CPM, 'cost_per_user=cost'], caps: ['cost=1.5', 'impressions=40']}
  const f = {unit: 'user_id', day: 'day', metric: spec.metrics, cap: spec.caps}
  const want = await rows(DAYS, f)
  assert.ok((want.capping ?? []).every((c) => c.units_capped > 10), JSON.stringify(want.capping))
  const got = await merged(await shards('cap', spec, byUser(2)), f)
  sameAnalysis(got, want)
  const uncapped = await rows(DAYS, {...f, cap: []})
  assert.notEqual(got.results[1].treatment, uncapped.results[1].treatment, 'the caps change the result')
})

test('days that are all numbers are ordered as numbers, as receval ab orders them (1, 2, ..., 10, not 1, 10, 2)', {skip}, async () => {
  // a text day column holding 1..12: text order would put 10, 11, 12 before 2
  const lines = ['day,user_id,arm,impressions,clicks']
  let seed = 7
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  for (let day = 1; day <= 12; day++) {
    for (let u = 0; u < 60; u++) if (rnd() < 0.5) lines.push(`${day},u${u},${u % 2 ? 'treatment' : 'control'},${1 + Math.floor(rnd() * 9)},${Math.floor(rnd() * 3)}`)
  }
  const file = writeFile(dir, 'numeric-days.csv', lines.join('\n') + '\n')
  const c = await db()
  await c.run(`CREATE TABLE numdays AS SELECT * FROM read_csv('${file}', all_varchar = true)`)
  const f = {unit: 'user_id', day: 'day', metric: ['ctr=clicks/impressions']}
  const want = await rows(file, f)
  assert.deepEqual(want.days, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
  const got = await merged(await shards('numdays', {table: 'numdays', arm: 'arm', unit: 'user_id', day: 'day', metrics: f.metric}, byUser(2)), f)
  sameAnalysis(got, want)
})

test('an arm without activity on a day still gets its cumulative row', {skip}, async () => {
  const csv = ['day,user_id,arm,impressions,clicks', 'd1,a,control,10,1', 'd1,b,control,12,2', 'd1,c,treatment,9,1', 'd1,d,treatment,11,0', 'd2,a,control,5,1', 'd2,e,control,7,0', 'd3,c,treatment,8,2', 'd3,f,treatment,6,1']
  const file = writeFile(dir, 'gaps.csv', csv.join('\n') + '\n')
  const c = await db()
  await c.run(`CREATE TABLE gaps AS SELECT * FROM read_csv('${file}', all_varchar = true)`)
  const f = {unit: 'user_id', day: 'day', metric: ['ctr=clicks/impressions']}
  const files = await shards('gaps', {table: 'gaps', arm: 'arm', unit: 'user_id', day: 'day', metrics: f.metric}, [undefined])
  const want = await rows(file, f)
  sameAnalysis(await merged(files, f), want)
  // shards that miss a day altogether ({b, d, f} has no row on d2): the merge carries each
  // shard's cumulative rows forward over the days it lacks
  const split = await shards('gap-shards', {table: 'gaps', arm: 'arm', unit: 'user_id', day: 'day', metrics: f.metric}, ["user_id IN ('b', 'd', 'f')", "user_id IN ('a', 'c', 'e')"])
  sameAnalysis(await merged(split, f), want)
  // treatment has no rows on d2: no daily row, but a cumulative one equal to d1's
  const stats = (await c.runAndReadAll(`SELECT * FROM read_csv('${files[0]}', all_varchar = true) WHERE arm = 'treatment' AND day = 'd2'`)).getRowObjectsJson()
  assert.deepEqual(stats.map((r) => [r.cumulative, r.units]), [['1', '2']])
})

test('rows receval ab refuses: the query marks their group, ab --stats exits 2 naming the column', {skip}, async () => {
  const c = await db()
  const cases: [string, string, RegExp][] = [
    ['NULL cost', `CASE WHEN user_id = 'u00007' THEN NULL ELSE cost END AS cost`, /found rows receval ab refuses: column "cost" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out/],
    ['NaN cost', `CASE WHEN user_id = 'u00007' THEN 'NaN'::DOUBLE ELSE cost END AS cost`, /column "cost" has NULL, NaN, infinite/],
    ['negative cost', `CASE WHEN user_id = 'u00007' THEN -1 ELSE cost END AS cost`, /column "cost" has negative values, but it is a count or amount in a ratio metric and must be >= 0/],
  ]
  for (const [name, expr, re] of cases) {
    await c.run(`CREATE OR REPLACE TABLE dirty AS SELECT user_id, CASE WHEN user_id = 'u00011' THEN NULL ELSE arm END AS arm0, arm, impressions, clicks, ${expr}, pre_clicks FROM users`)
    const files = await shards(`dirty-${name.replace(' ', '-')}`, {table: 'dirty', arm: 'arm', unit: 'user_id', metrics: CTR_CPM}, byUser(2))
    const r = receval(['ab', '--stats', ...files])
    assert.equal(r.code, 2, `${name}: ${r.stdout}`)
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, re, name)
    assert.match(r.stderr, /dirty-\S+-\d\.csv: /)
  }
  // an empty arm, and a covariate that differs between the rows of one user
  const arm = await shards('empty-arm', {table: 'dirty', arm: 'arm0', unit: 'user_id', metrics: CTR_CPM}, [undefined])
  assert.match(receval(['ab', '--stats', ...arm]).stderr, /rows with an empty arm \(column "arm0" NULL or empty\): fill them in or filter them out/)
  await c.run(`CREATE OR REPLACE TABLE twice AS SELECT day, user_id, arm, impressions, clicks, CASE WHEN user_id = 'v12' AND day = DATE '2024-05-03' THEN pre_clicks + 1 ELSE pre_clicks END AS pre_clicks FROM days`)
  const cov = await shards('cov', {table: 'twice', arm: 'arm', unit: 'user_id', day: 'day', metrics: ['clicks=clicks'], covariates: ['clicks=pre_clicks']}, [undefined])
  const r = receval(['ab', '--stats', ...cov, '--day', 'day', '--covariate', 'clicks'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /covariate column "pre_clicks" differs between the rows of one unit/)
  // the same rows filtered out with --where are fine
  const ok = await shards('cov-ok', {table: 'twice', arm: 'arm', unit: 'user_id', day: 'day', metrics: ['clicks=clicks'], covariates: ['clicks=pre_clicks']}, ["user_id <> 'v12'"])
  const fine = receval(['ab', '--stats', ...ok, '--day', 'day', '--covariate', 'clicks'])
  assert.equal(fine.code, 0, fine.stderr)
})

test('shards must be disjoint by unit, which per-arm sums cannot show: day shards of --unit statistics are wrong, not refused', {skip}, async () => {
  // documented in docs/warehouse.md: shard by a hash of the unit. Split by day, a user active on
  // two days is two units with part of their sums each, and nothing in the sums reveals it.
  const metric = ['ctr=clicks/impressions']
  const byDay = await shards('byday', {table: 'days', arm: 'arm', unit: 'user_id', metrics: metric}, ["day <= DATE '2024-05-03'", "day > DATE '2024-05-03'"])
  const want = await rows(DAYS, {unit: 'user_id', metric})
  const got = await merged(byDay, {metric})
  assert.ok(got.units > want.units, `${got.units} units from day shards, ${want.units} users`)
})
