// Seeded generator for the recall benchmark: a retrieved file of KEYS keys x LIST items (long
// format, keys grouped, rows of a key in random score order, as an unsorted ANN export) and a
// truth file of TRUTH click rows in time order (keys interleaved), a share of them on retrieved items.
import {createWriteStream, existsSync} from 'node:fs'
import {join} from 'node:path'
import {DATA} from './lib.js'

function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function writeLines(path, header, n, line) {
  const out = createWriteStream(path)
  let buf = header + '\n'
  for (let i = 0; i < n; i++) {
    buf += line(i) + '\n'
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r))
      buf = ''
    }
  }
  out.write(buf)
  await new Promise((r) => out.end(r))
}

/** Generate (once) and return {retrieved, truth} paths. */
export async function recallData({keys = 100_000, list = 100, truth = 1_000_000, items = 1_000_000, extraKeys = 5_000, seed = 7} = {}) {
  const tag = `${keys}x${list}-${truth}`
  const retrieved = join(DATA, `recall-retrieved-${tag}.csv`)
  const truthPath = join(DATA, `recall-truth-${tag}.csv`)
  if (existsSync(retrieved) && existsSync(truthPath)) return {retrieved, truth: truthPath}
  const rnd = mulberry32(seed)
  const ret = new Int32Array(keys * list)
  for (let i = 0; i < ret.length; i++) ret[i] = Math.floor(rnd() * items)
  // 9-digit scores: ties inside a list are rare enough (~1 key in the file) not to matter
  await writeLines(retrieved, 'user_id,item_id,score', ret.length, (i) => `${Math.floor(i / list)},${ret[i]},${(rnd() * 0.999999999 + 1e-9).toFixed(9)}`)
  await writeLines(truthPath, 'user_id,item_id,bid', truth, () => {
    const u = Math.floor(rnd() * (keys + extraKeys))
    const item = u < keys && rnd() < 0.4 ? ret[u * list + Math.floor(rnd() * list)] : Math.floor(rnd() * items)
    return `${u},${item},${(0.01 + rnd() * 4.99).toFixed(2)}`
  })
  return {retrieved, truth: truthPath}
}
