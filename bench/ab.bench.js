// receval ab on 10M unit rows (one row per user), 3 arms, 4 metrics: wall time and peak RSS.
// Data: bench/data/ab-10m.csv, generated once (seeded; fixed-width hashed-looking user ids,
// string arm names), never committed. Run: npm run bench ab
import {createWriteStream, existsSync, renameSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {spawnSync} from 'node:child_process'
import {DATA, ROOT, best, row} from './lib.js'

const ROWS = 10_000_000
const SEED = 12345
const file = join(DATA, 'ab-10m.csv')

function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function generate() {
  process.stderr.write(`generating ${file} (${ROWS} rows, seed ${SEED}) ...\n`)
  const rnd = rng(SEED)
  const arms = ['control', 'treatment_a', 'treatment_b']
  const tmp = file + '.tmp'
  const w = createWriteStream(tmp)
  w.write('user_id,arm,impressions,clicks,cost,conversions\n')
  let buf = []
  for (let i = 0; i < ROWS; i++) {
    const imp = 1 + Math.floor(-Math.log(1 - rnd()) * 20)
    const p = 0.03 * (0.5 + rnd())
    let clk = 0
    for (let k = 0; k < imp; k++) if (rnd() < p) clk++
    const cost = clk === 0 ? '0' : (clk * (0.2 + rnd())).toFixed(3)
    const conv = clk > 0 && rnd() < 0.1 ? 1 : 0
    const id = 100000000 + Math.floor(rnd() * 900000000)
    buf.push(`${id},${arms[Math.floor(rnd() * 3)]},${imp},${clk},${cost},${conv}`)
    if (buf.length === 10000) {
      if (!w.write(buf.join('\n') + '\n')) await new Promise((r) => w.once('drain', r))
      buf = []
    }
  }
  if (buf.length) w.write(buf.join('\n') + '\n')
  await new Promise((r) => w.end(r))
  renameSync(tmp, file)
}

/** 10M user-day rows: 2M users over 14 days, for --unit --day (rows of one user share its arm). */
const daysFile = join(DATA, 'ab-days-10m.csv')
async function generateDays() {
  process.stderr.write(`generating ${daysFile} (${ROWS} rows, seed ${SEED + 1}) ...\n`)
  const rnd = rng(SEED + 1)
  const arms = ['control', 'treatment_a', 'treatment_b']
  const users = 2_000_000
  const armOf = new Uint8Array(users).map(() => Math.floor(rnd() * 3))
  const tmp = daysFile + '.tmp'
  const w = createWriteStream(tmp)
  w.write('day,user_id,arm,impressions,clicks,cost,conversions\n')
  let buf = []
  for (let i = 0; i < ROWS; i++) {
    const day = `2024-05-${String(1 + Math.floor((i / ROWS) * 14)).padStart(2, '0')}`
    const u = Math.floor(rnd() * users)
    const imp = 1 + Math.floor(-Math.log(1 - rnd()) * 4)
    let clk = 0
    for (let k = 0; k < imp; k++) if (rnd() < 0.03) clk++
    const cost = clk === 0 ? '0' : (clk * (0.2 + rnd())).toFixed(3)
    buf.push(`${day},${100000000 + u},${arms[armOf[u]]},${imp},${clk},${cost},${clk > 0 && rnd() < 0.1 ? 1 : 0}`)
    if (buf.length === 10000) {
      if (!w.write(buf.join('\n') + '\n')) await new Promise((r) => w.once('drain', r))
      buf = []
    }
  }
  if (buf.length) w.write(buf.join('\n') + '\n')
  await new Promise((r) => w.end(r))
  renameSync(tmp, daysFile)
}

if (!existsSync(file)) await generate()
const withDays = process.argv.includes('--days')
if (withDays && !existsSync(daysFile)) await generateDays()
// the online metrics of the ads notebook (CTR, CPM, PPC, cost per user) read 3 numeric columns;
// swapping PPC for CVR adds a 4th (conversions)
const ads = ['--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions', '--metric', 'ppc=cost/clicks', '--metric', 'cost_per_user=cost']
const withCvr = ['--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions', '--metric', 'cvr=conversions/clicks', '--metric', 'cost_per_user=cost']
const run = (metrics, extra = []) => ['ab', file, '--arm', 'arm', '--control', 'control', ...metrics, ...extra, '--json']
const mb = (statSync(file).size / 2 ** 20).toFixed(0)
console.log(`receval ab: ${ROWS / 1e6}M unit rows (${mb} MiB CSV, 6 columns), 3 arms, 4 metrics; best of 3 (peak RSS: max); budget 3 s and 60 B/row`)
const cases = [
  ['ctr, cpm, ppc, cost_per_user (3 columns)', run(ads)],
  ['ctr, cpm, cvr, cost_per_user (4 columns)', run(withCvr)],
  ['the same, one reader thread', run(withCvr), {RECEVAL_THREADS: '1'}],
  ['ctr, cpm, ppc, cost_per_user, --cap cost=P99.9', run(ads, ['--cap', 'cost=P99.9'])],
]
// the --unit --day case is optional (another 350 MB of data): node bench/ab.bench.js --days
if (withDays) cases.push(['--unit user_id --day day, 2M users x 14 days', ['ab', daysFile, '--unit', 'user_id', '--day', 'day', ...ads, '--json']])
// --engine duckdb (optional dependency) on the same file: node bench/ab.bench.js --engine
if (process.argv.includes('--engine')) {
  cases.push(['--engine duckdb, ctr, cpm, ppc, cost_per_user', run(ads, ['--engine', 'duckdb'])])
  cases.push(['--engine duckdb, --unit user_id', run(ads, ['--unit', 'user_id', '--engine', 'duckdb'])])
  cases.push(['--engine duckdb, --cap cost=P99.9', run(ads, ['--cap', 'cost=P99.9', '--engine', 'duckdb'])])
}
for (const [label, args, env] of cases) {
  const m = best(3, () => timed(args, env))
  if (m.code !== 0) throw new Error(`${label}: exit ${m.code}: ${m.stderr}`)
  const bytesPerRow = (m.rssMB * 2 ** 20) / ROWS
  console.log(row(label, m, `${bytesPerRow.toFixed(1)} B/row, cpu ${m.cpu.toFixed(2)} s`))
}

/**
 * Like lib.js receval(), also reporting CPU time (user + system): on a shared 2-core machine the
 * wall time of one run depends on what else runs, its CPU time much less.
 */
function timed(args, env = {}) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, join(ROOT, 'bin/run.js'), ...args], {encoding: 'utf8', maxBuffer: 1 << 28, env: {...process.env, ...env}})
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const lines = r.stderr.trim().split('\n')
  const [user, sys, kb] = lines[lines.length - 1].split(' ').map(Number)
  return {wall, cpu: user + sys, rssMB: kb / 1024, code: r.status, stderr: lines.slice(0, -1).join('\n')}
}
