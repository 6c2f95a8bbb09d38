// Issue 7 benchmark: the cost of --record and of reading a large run database.
//  1. receval auc on the CTR dump with and without --record (SHA-256 while reading, one SQLite write);
//     sha256sum of the same file for reference
//  2. parallel writers: 8 processes x 50 runs into one file (throughput, and that none is lost)
//  3. a database of 20,000 runs: runs list --tag, runs show, gate tag: against tag:, report weekly
// Needs `npm run build` (it uses dist/). BENCH_ROWS (default 10M) sizes the dump, as in auc.bench.js.
import {existsSync, rmSync, statSync} from 'node:fs'
import {spawn, spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {DATA, ROOT, best, measure, receval, row} from './lib.js'
import {generate} from './gen-ctr.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000)
const runs = Number(process.env.BENCH_RUNS ?? 3)
const file = join(DATA, `ctr-${ROWS}.csv`)
if (!existsSync(file)) {
  process.stderr.write(`generating ${file} (${ROWS} rows) ...\n`)
  await generate(ROWS, Math.max(1, Math.round(ROWS / 10)), file, 42)
}
spawnSync('cat', [file], {stdio: ['ignore', 'ignore', 'ignore']})

// 1. --record overhead
const db = join(DATA, 'history-bench.sqlite')
for (const f of [db, db + '-wal', db + '-shm']) rmSync(f, {force: true})
const plain = best(runs, () => receval(['auc', file, '--json']))
const recorded = best(runs, () => receval(['auc', file, '--json', '--record', '--db', db, '--tag', 'bench=1']))
const sha = best(runs, () => measure('sha256sum', [file]))
console.log(`${ROWS} rows, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`)
console.log(row('auc', plain))
console.log(row('auc --record (hash while reading + 1 write)', recorded, `+${(recorded.wall - plain.wall).toFixed(2)} s`))
console.log(row('sha256sum alone (reference)', sha))

// 2. parallel writers
const loop = join(ROOT, 'dist/test/helpers/record-loop.js')
const wdb = join(DATA, 'history-writers.sqlite')
for (const f of [wdb, wdb + '-wal', wdb + '-shm']) rmSync(f, {force: true})
const WRITERS = 8
const EACH = 50
const t0 = process.hrtime.bigint()
await Promise.all(
  Array.from({length: WRITERS}, (_, w) => new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [loop, wdb, String(EACH), `w${w}`, '4'], {stdio: ['ignore', 'ignore', 'inherit']})
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${w} exited ${code}`))))
  })),
)
const wall = Number(process.hrtime.bigint() - t0) / 1e9
const {RunStore} = await import(join(ROOT, 'dist/src/history/store.js'))
const ws = await RunStore.open(wdb, {create: false, recevalVersion: 'bench'})
const stored = ws.count()
ws.close()
console.log(`${WRITERS} writers x ${EACH} runs (4 KB results) into one file: ${wall.toFixed(2)} s wall, ${stored} of ${WRITERS * EACH} stored, ${(stored / wall).toFixed(0)} runs/s including process start-up`)

// 3. a large database
const bdb = join(DATA, 'history-big.sqlite')
if (!existsSync(bdb)) {
  const s = await RunStore.open(bdb, {create: true, recevalVersion: 'bench'})
  const day0 = Date.parse('2024-01-01T00:00:00Z')
  for (let i = 0; i < 20_000; i++) {
    const auc = 0.7 + 0.01 * Math.sin(i / 50)
    s.record({
      command: 'auc', argv: ['preds.csv', '--record'], cwd: '/ci', created_at: new Date(day0 + i * 600_000).toISOString(), duration_ms: 900, receval_version: 'bench',
      inputs: [{path: 'preds.csv', format: 'csv', bytes: 1e9, sha256: 'f'.repeat(64)}],
      tags: {branch: i % 10 === 0 ? 'main' : `feature-${i % 97}`, model: `m${i % 5}`, commit: i.toString(16)},
      result: {command: 'auc', rows: 1e7, scores: Object.fromEntries(['pctr', 'pctr_v2', 'pcvr'].map((k) => [k, {auc, auc_se: 0.0004, pr_auc: 0.3, logloss: 0.2, ne: 0.9, brier: 0.05, calibration: 1.01, gauc: auc - 0.05}]))},
    })
  }
  s.close()
}
console.log(row('runs list --tag branch=main (20k runs)', best(runs, () => receval(['runs', 'list', '--db', bdb, '--tag', 'branch=main', '--json']))))
console.log(row('runs show 12345', best(runs, () => receval(['runs', 'show', '12345', '--db', bdb, '--json']))))
console.log(row('gate tag:commit=4e1f --baseline tag:branch=main', best(runs, () => receval(['gate', 'tag:commit=4e1f', '--db', bdb, '--baseline', 'tag:branch=main', '--max-drop', 'scores.*.auc=0.05', '--json']))))
const demo = join(DATA, 'history-weekly-demo.sqlite')
for (const f of [demo, demo + '-wal', demo + '-shm']) rmSync(f, {force: true})
spawnSync(process.execPath, [join(ROOT, 'fixtures/gen-weekly-db.mjs'), demo], {stdio: 'inherit'})
console.log(row('report weekly, demo database (3 series, 23 charts)', best(runs, () => receval(['report', 'weekly', '--db', demo, '--since', '2024-05-08', '--until', '2024-05-14', '--html', join(DATA, 'weekly-demo.html'), '--json']))))
console.log(row('report weekly, 20k runs (2,016 in 2 windows, 486 series)', best(runs, () => receval(['report', 'weekly', '--db', bdb, '--since', '2024-03-01', '--until', '2024-03-07', '--html', join(DATA, 'weekly-big.html'), '--json']))))
console.log(row('receval --version (start-up floor)', best(runs, () => receval(['--version']))))
