// receval ab on 10M unit rows (one row per user), 3 arms, 4 metrics: wall time and peak RSS.
// Data: bench/data/ab-10m.csv, generated once (seeded; fixed-width hashed-looking user ids,
// string arm names), never committed. Run: npm run bench ab
import {createWriteStream, existsSync, renameSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {DATA, best, receval, row} from './lib.js'

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

if (!existsSync(file)) await generate()
const metrics = ['--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions', '--metric', 'cvr=conversions/clicks', '--metric', 'cost_per_user=cost']
const base = ['ab', file, '--arm', 'arm', '--control', 'control', ...metrics, '--json']
const mb = (statSync(file).size / 2 ** 20).toFixed(0)
console.log(`receval ab: ${ROWS / 1e6}M unit rows (${mb} MiB CSV), 3 arms, 4 metrics; best of 3 (peak RSS: max)`)
for (const [label, args] of [
  ['ab, 4 metrics', base],
  ['ab, 4 metrics, --cap cost=P99.9', [...base, '--cap', 'cost=P99.9']],
]) {
  const m = best(3, () => receval(args))
  if (m.code !== 0) throw new Error(`${label}: exit ${m.code}: ${m.stderr}`)
  const bytesPerRow = (m.rssMB * 2 ** 20) / ROWS
  const ok = m.wall <= 3 && bytesPerRow <= 60
  console.log(row(label, m, `${bytesPerRow.toFixed(1)} B/row  ${ok ? 'within' : 'OVER'} the 3 s / 60 B/row budget`))
}
