// Issue 8 benchmark, recall part: the recall benchmark's files (100k keys x 100 retrieved items =
// 10M rows, 1M truth rows, K = 10,50,100). DuckDB, standing in for the warehouse, runs the query
// of `receval sql recall` in 1 and in 4 key shards and exports the statistics; `receval recall
// --stats` merges them. Also `receval recall --engine duckdb` on the same CSVs. Reported: wall and
// peak RSS of each step, the statistics' size, and the largest difference from `receval recall`
// on the rows over every metric.
import {readFileSync, statSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {DATA, ROOT, best, duckdb, receval, row} from './lib.js'
import {recallData} from './recall-data.js'

const KS = [10, 50, 100]
const KEYS = Number(process.env.BENCH_KEYS ?? 100_000)
const {retrieved, truth} = await recallData({keys: KEYS, list: 100, truth: 10 * KEYS})
const runs = Number(process.env.BENCH_RUNS ?? 1)
const views = `CREATE VIEW retrieved AS SELECT * FROM read_csv('${retrieved}', header = true, columns = {'user_id': 'BIGINT', 'item_id': 'BIGINT', 'score': 'DOUBLE'});
CREATE VIEW clicks AS SELECT * FROM read_csv('${truth}', header = true, columns = {'user_id': 'BIGINT', 'item_id': 'BIGINT', 'bid': 'DOUBLE'});`
const sqlOf = (where, extra = []) =>
  execFileSync(process.execPath, [join(ROOT, 'bin/run.js'), 'sql', 'recall', '--dialect', 'duckdb', '--truth-table', 'clicks', '--retrieved-table', 'retrieved', '--score', 'score', '--bid', 'bid', '-k', KS.join(','), ...(where ? ['--where', where] : []), ...extra], {encoding: 'utf8'})

const FIELDS = ['click_recall', 'click_recall_micro', 'cost_recall', 'hitrate', 'precision', 'ndcg', 'mrr', 'map', 'coverage']
const maxDiff = (a, b, fields = FIELDS) => Math.max(...KS.flatMap((K) => fields.map((f) => Math.abs(a.at[K][f] - b.at[K][f]))))

console.log(`recall warehouse path: ${KEYS / 1e4}M retrieved rows x ${KEYS / 1e5}M truth rows, K=${KS.join(',')}, best of ${runs}`)
const rows = best(runs, () => receval(['recall', '--retrieved', retrieved, '--truth', truth, '--score', 'score', '-k', KS.join(','), '--json']))
const want = JSON.parse(rows.stdout)
console.log(row('receval recall on the rows', rows))
let ok = true
for (const [n, extra] of [[1, []], [4, []], [4, ['--no-coverage']]]) {
  const files = []
  let query = 0
  let rss = 0
  for (let k = 0; k < n; k++) {
    const out = join(DATA, `recall-stats-${n}${extra.length ? '-lean' : ''}-${k}.csv`)
    const q = best(runs, () => duckdb(`${views}\nCOPY (${sqlOf(n > 1 ? `hash(user_id) % ${n} = ${k}` : undefined, extra)}) TO '${out}' (HEADER);`, 'warehouse-recall'))
    if (q.code !== 0) throw new Error(q.stderr)
    query += q.wall
    rss = Math.max(rss, q.rssMB)
    files.push(out)
  }
  const lines = files.reduce((s, f) => s + readFileSync(f, 'utf8').split('\n').length - 2, 0)
  const size = files.reduce((s, f) => s + statSync(f).size, 0)
  const m = best(runs, () => receval(['recall', '--stats', ...files, '--json']))
  if (m.code !== 0) throw new Error(m.stderr)
  const d = maxDiff(JSON.parse(m.stdout), want, extra.length ? FIELDS.filter((f) => f !== 'coverage') : FIELDS)
  console.log(`-- ${n} shard${n > 1 ? 's' : ''}${extra.length ? ` ${extra.join(' ')}` : ''}: ${lines} stats rows, ${(size / 1048576).toFixed(1)} MiB`)
  console.log(row(`  duckdb: the stats query + CSV export${n > 1 ? ` (sum of ${n})` : ''}`, {wall: query, rssMB: rss}))
  console.log(row('  receval recall --stats (merge)', m, `max diff ${d.toExponential(2)}`))
  ok &&= d < 1e-9
}
const e = best(runs, () => receval(['recall', '--retrieved', retrieved, '--truth', truth, '--score', 'score', '-k', KS.join(','), '--engine', 'duckdb', '--json']))
if (e.code !== 0) throw new Error(e.stderr)
const d = maxDiff(JSON.parse(e.stdout), want)
console.log(row('receval recall --engine duckdb', e, `max diff ${d.toExponential(2)}`))
ok &&= d < 1e-9
console.log(ok ? 'PASS: every path equals the rows (max diff < 1e-9)' : 'FAIL: a path differs from the rows')
process.exit(ok ? 0 : 1)
