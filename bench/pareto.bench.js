// receval pareto benchmarks (targets from issue 6):
//   sweep over 1M generated rows, 2 tasks (CVR on clicked rows), 21 weights      <= 8 s
//   table mode, 10,000 points in 3-D with --ref (all on the frontier: the hard case) <= 1 s
// plus a few sizes that back the speed claims in `receval pareto --help`.
// Data is generated (seeded) into bench/data, never committed.
import {existsSync, writeFileSync, createWriteStream} from 'node:fs'
import {join} from 'node:path'
import {DATA, receval, row} from './lib.js'

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

async function sweepData(rows) {
  const file = join(DATA, `pareto-sweep-${rows}.csv`)
  if (existsSync(file)) return file
  const r = rng(42)
  const out = createWriteStream(file)
  out.write('user_id,pctr,pcvr,click,conversion,bid\n')
  let buf = ''
  for (let i = 0; i < rows; i++) {
    const pctr = 0.001 + 0.2 * r()
    const pcvr = 0.01 + 0.5 * r()
    const click = r() < pctr * 1.5 ? 1 : 0
    const conv = click && r() < pcvr * 0.8 ? 1 : 0
    buf += `${Math.floor(r() * 50000)},${pctr.toFixed(6)},${pcvr.toFixed(6)},${click},${conv},${(0.1 + 3 * r()).toFixed(2)}\n`
    if (buf.length > 1 << 20) {
      out.write(buf)
      buf = ''
    }
  }
  out.write(buf)
  await new Promise((res) => out.end(res))
  return file
}

/** n points in d dimensions: on the positive unit sphere (all non-dominated) or uniform in the cube. */
function pointsData(n, d, kind) {
  const file = join(DATA, `pareto-points-${d}d-${n}-${kind}.csv`)
  if (existsSync(file)) return file
  const r = rng(7 + n + d)
  const lines = [Array.from({length: d}, (_, j) => `m${j}`).join(',')]
  for (let i = 0; i < n; i++) {
    const p = Array.from({length: d}, () => r() + 1e-9)
    const len = kind === 'sphere' ? Math.hypot(...p) : 1
    lines.push(p.map((v) => (v / len).toFixed(9)).join(','))
  }
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

const table = (file, d) => ['pareto', file, ...Array.from({length: d}, (_, j) => ['--objective', `m${j}:max`]).flat(), '--ref', Array(d).fill(0).join(','), '--json']
const check = (m, label, limit) => {
  if (m.code !== 0) throw new Error(`${label} failed: ${m.stderr}`)
  const j = JSON.parse(m.stdout)
  const ok = limit === undefined || m.wall <= limit
  console.log(row(label, m, `${limit !== undefined ? (ok ? `<= ${limit} s ok` : `> ${limit} s TOO SLOW`) : ''} frontier ${j.frontier.length}, hv ${j.hypervolume.toFixed(6)}`))
  return ok
}

let ok = true
const big = await sweepData(1_000_000)
const sweep = ['pareto', big, '--task', 'ctr=pctr:click', '--task', 'cvr=pcvr:conversion@click', '--steps', '20', '--baseline', '0.5,0.5', '--json']
ok = check(receval(sweep), 'sweep 1M rows, 2 tasks, 21 weights, auc', 8) && ok
check(receval([...sweep, '--fusion', 'sum', '--times', 'bid']), 'same, sum fusion times bid')
check(receval([...sweep, '--metric', 'gauc', '--group', 'user_id']), 'same, gauc by user (50k users)')
check(receval([...sweep, '--metric', 'recall@10', '--group', 'user_id']), 'same, recall@10 by user')
ok = check(receval(table(pointsData(10_000, 3, 'sphere'), 3)), 'table 10,000 points 3-D, all on the frontier', 1) && ok
check(receval(table(pointsData(10_000, 3, 'cube'), 3)), 'table 10,000 points 3-D, uniform')
check(receval(table(pointsData(100_000, 3, 'sphere'), 3)), 'table 100,000 points 3-D, all on the frontier')
check(receval(table(pointsData(1_000_000, 2, 'sphere'), 2)), 'table 1,000,000 points 2-D, all on the frontier')
check(receval(table(pointsData(1_000, 4, 'sphere'), 4)), 'table 1,000 points 4-D, all on the frontier')
check(receval(table(pointsData(2_000, 4, 'sphere'), 4)), 'table 2,000 points 4-D, all on the frontier')
check(receval(table(pointsData(300, 5, 'sphere'), 5)), 'table 300 points 5-D, all on the frontier')
check(receval(table(pointsData(100_000, 4, 'cube'), 4)), 'table 100,000 points 4-D, uniform')
process.exit(ok ? 0 : 1)
