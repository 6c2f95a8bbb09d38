// Generates a CTR prediction dump for benchmarks: user_id,item_id,score,label,bid.
// Scores have 6 decimals and depend on the label, so AUC is about 0.7; deterministic for a seed.
// usage: node bench/gen-ctr.js ROWS USERS OUT.csv [SEED]
import {createWriteStream} from 'node:fs'

export function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export async function generate(rows, users, out, seed = 42) {
  const rnd = mulberry32(seed)
  const ws = createWriteStream(out)
  ws.write('user_id,item_id,score,label,bid\n')
  let buf = ''
  for (let i = 0; i < rows; i++) {
    const u = Math.floor(rnd() * users)
    const item = Math.floor(rnd() * 200000)
    const y = rnd() < 0.05 ? 1 : 0
    const z = rnd() + rnd() + rnd() - 1.5 + (y ? 0.6 : 0)
    const p = 1 / (1 + Math.exp(-(z * 2 - 3)))
    const bid = (0.1 + rnd() * 2).toFixed(2)
    buf += `${u},${item},${p.toFixed(6)},${y},${bid}\n`
    if (buf.length > 1 << 20) {
      if (!ws.write(buf)) await new Promise((r) => ws.once('drain', r))
      buf = ''
    }
  }
  ws.write(buf)
  await new Promise((r) => ws.end(r))
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [rows, users, out, seed] = process.argv.slice(2)
  await generate(Number(rows), Number(users), out, Number(seed ?? 42))
}
