// Issue 8 benchmark: a 10M-row, 3-column Parquet file (user_id BIGINT, score DOUBLE, label
// INTEGER, written by DuckDB with its defaults: OPTIONAL columns, 122,880-row row groups, PLAIN
// ids and scores, dictionary labels) loads no slower than the same data as CSV.
// 1. `receval auc FILE` (label and score) and `receval auc FILE --group user_id` (all three
//    columns) on CSV, Parquet snappy and Parquet zstd, runs interleaved so that the other load on
//    the machine hits them alike: wall time, CPU time (user + sys) and peak RSS, best and median.
//    (The zstd file is also read by one thread.)
// 1b. the load alone (the issue's words): readTable of score + label and of user_id + score +
//    label, timed in a fresh process from the call to the finished table, interleaved.
// 2. the page decompressors of each codec on the same files, side by side (which one is fastest).
// Needs hyparquet + hyparquet-compressors where receval can load them (node_modules or NODE_PATH).
// BENCH_ROWS (default 10M), BENCH_RUNS (default 5).
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {loadavg} from 'node:os'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import zlib from 'node:zlib'
import {DATA, ROOT, duckdb} from './lib.js'
import {generate} from './gen-ctr.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const src = join(DATA, `ctr-${ROWS}.csv`)
if (!existsSync(src)) await generate(ROWS, Math.max(1, Math.round(ROWS / 10)), src, 42)
const csv = join(DATA, `ctr3-${ROWS}.csv`)
const pq = {snappy: join(DATA, `ctr3-${ROWS}.parquet`), zstd: join(DATA, `ctr3-${ROWS}.zstd.parquet`)}
const read = `read_csv('${src}', header=true, columns={'user_id':'BIGINT','item_id':'BIGINT','score':'DOUBLE','label':'INTEGER','bid':'DOUBLE'})`
if (!existsSync(csv)) duckdb(`COPY (SELECT user_id, score, label FROM ${read}) TO '${csv}' (HEADER)`, 'parquet-csv')
for (const [codec, file] of Object.entries(pq)) if (!existsSync(file)) duckdb(`COPY (SELECT user_id, score, label FROM ${read}) TO '${file}' (FORMAT PARQUET, COMPRESSION ${codec})`, `parquet-${codec}`)
const files = {CSV: csv, 'Parquet snappy': pq.snappy, 'Parquet zstd': pq.zstd}
for (const f of Object.values(files)) spawnSync('cat', [f], {stdio: ['ignore', 'ignore', 'ignore']})

/** One run of receval: wall, CPU (user + sys) and peak RSS from /usr/bin/time. */
function run(args, env = {}) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, join(ROOT, 'bin/run.js'), ...args], {encoding: 'utf8', maxBuffer: 1 << 28, env: {...process.env, ...env}})
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const lines = r.stderr.trim().split('\n')
  const [user, sys, kb] = lines[lines.length - 1].split(' ').map(Number)
  if (r.status !== 0) throw new Error(`receval ${args.join(' ')} failed: ${lines.slice(0, -1).join('\n')}`)
  return {wall, cpu: user + sys, rssMB: kb / 1024, json: JSON.parse(r.stdout)}
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ')

console.log(`${ROWS} rows, 3 columns (${Object.entries(files).map(([k, f]) => `${k} ${(readFileSync(f).length / 2 ** 20).toFixed(0)} MiB`).join(', ')}), ${RUNS} interleaved runs each; load average before: ${load()}`)
const cases = [
  ['receval auc FILE', []],
  ['receval auc FILE --group user_id', ['--group', 'user_id']],
]
const verdicts = []
for (const [label, extra] of cases) {
  // the zstd file is also read by one thread (RECEVAL_PARQUET_SPLIT=0), for comparison
  const variants = {...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, [f, {}]])), 'zstd, one thread': [pq.zstd, {RECEVAL_PARQUET_SPLIT: '0'}]}
  const got = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
  for (let i = 0; i < RUNS; i++) for (const [k, [f, env]] of Object.entries(variants)) got[k].push(run(['auc', f, ...extra, '--json'], env))
  console.log(`\n${label}                       wall best / median     CPU best / median   peak RSS`)
  for (const [k, rs] of Object.entries(got)) {
    const w = rs.map((r) => r.wall)
    const c = rs.map((r) => r.cpu)
    console.log(`  ${k.padEnd(16)} ${Math.min(...w).toFixed(2).padStart(12)} / ${median(w).toFixed(2).padStart(5)} s ${Math.min(...c).toFixed(2).padStart(10)} / ${median(c).toFixed(2).padStart(5)} s ${Math.max(...rs.map((r) => r.rssMB)).toFixed(0).padStart(7)} MB`)
  }
  const ref = got.CSV[0].json.scores.score
  for (const k of ['Parquet snappy', 'Parquet zstd']) {
    const p = got[k]
    const mw = median(p.map((r) => r.wall))
    const cw = median(got.CSV.map((r) => r.wall))
    verdicts.push(`${mw <= cw ? 'MET ' : 'MISS'} ${label}: ${k} no slower than CSV (median wall ${mw.toFixed(2)} s vs ${cw.toFixed(2)} s)`)
    const same = p.every((r) => r.json.scores.score.auc === ref.auc && r.json.scores.score.gauc === ref.gauc)
    verdicts.push(`${same ? 'MET ' : 'MISS'} ${label}: ${k} gives the CSV's result`)
  }
}

// 1b. the load alone, as the issue words its target: readTable of the same columns (in a fresh
// process each time, timed from the call to the finished table), what `receval auc` reads
const loader = join(DATA, 'parquet-load.mjs')
writeFileSync(loader, `import {readTable} from ${JSON.stringify(join(ROOT, 'dist/src/io/index.js'))}
const cols = process.argv[3].split(',').map((c) => ({role: c, name: c, kind: c === 'label' ? 'label' : c === 'user_id' ? 'key' : 'float'}))
const c0 = process.cpuUsage()
const t0 = performance.now()
const r = await readTable(process.argv[2], cols, {progress: false})
const c = process.cpuUsage(c0)
console.log(JSON.stringify({wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, rows: r.table.rows}))
`)
for (const cols of ['score,label', 'user_id,score,label']) {
  const got = Object.fromEntries(Object.keys(files).map((k) => [k, []]))
  for (let i = 0; i < RUNS; i++) {
    for (const [k, f] of Object.entries(files)) {
      const r = spawnSync(process.execPath, [loader, f, cols], {encoding: 'utf8'})
      if (r.status !== 0) throw new Error(`load ${f}: ${r.stderr}`)
      got[k].push(JSON.parse(r.stdout))
    }
  }
  console.log(`\nload ${cols} (readTable)          wall best / median     CPU best / median`)
  for (const [k, rs] of Object.entries(got)) {
    const w = rs.map((r) => r.wall)
    const c = rs.map((r) => r.cpu)
    console.log(`  ${k.padEnd(16)} ${Math.min(...w).toFixed(2).padStart(12)} / ${median(w).toFixed(2).padStart(5)} s ${Math.min(...c).toFixed(2).padStart(10)} / ${median(c).toFixed(2).padStart(5)} s`)
  }
  for (const k of ['Parquet snappy', 'Parquet zstd']) {
    const mw = median(got[k].map((r) => r.wall))
    const cw = median(got.CSV.map((r) => r.wall))
    verdicts.push(`${mw <= cw ? 'MET ' : 'MISS'} load ${cols}: ${k} no slower than CSV (median ${mw.toFixed(2)} s vs ${cw.toFixed(2)} s)`)
  }
}
console.log(`\nload average after: ${load()}`)

// 2. decompressors, on the pages of the score and label columns (what `receval auc FILE` reads)
const {parquetMetadata, snappyUncompress} = await import('hyparquet')
const {decompressZstd, gunzip} = await import('hyparquet-compressors')
const {readPageHeader} = await import(join(ROOT, 'dist/src/io/parquet-thrift.js'))
const {zstdDecompress} = await import(join(ROOT, 'dist/src/io/parquet-zstd.js'))
const zstddec = await import('zstddec').then(
  async (m) => {
    const d = new m.ZSTDDecoder()
    await d.init()
    return d
  },
  () => undefined,
)
const zstdNapi = (() => {
  try {
    return new (createRequire(import.meta.url)('zstd-napi/binding').DCtx)()
  } catch {
    return undefined
  }
})()
const hysnappy = await import('hysnappy').catch(() => undefined)
// receval's own codecs, as the reader sets them up (into a reused buffer, as the reader decodes)
const codec = await import(join(ROOT, 'dist/src/io/parquet-codec.js'))
const {codecs} = await codec.codecsFor(['SNAPPY', 'ZSTD'])
const usedZstd = codec.zstdDecoderName()
let scratch = new Uint8Array(1 << 20)
const into = (f) => (p) => {
  if (scratch.length < p.size) scratch = new Uint8Array(p.size)
  return f(p.body, p.size, scratch)
}
const gz = join(DATA, `ctr3-${ROWS}.gzip.parquet`)
if (!existsSync(gz)) duckdb(`COPY (SELECT user_id, score, label FROM ${read}) TO '${gz}' (FORMAT PARQUET, COMPRESSION gzip)`, 'parquet-gzip')
function pagesOf(file) {
  const buf = readFileSync(file)
  const md = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length))
  const pages = []
  for (const g of md.row_groups) {
    for (const c of g.columns.slice(1)) {
      const m = c.meta_data
      let pos = Number(m.dictionary_page_offset || m.data_page_offset)
      const end = pos + Number(m.total_compressed_size)
      while (pos < end) {
        const h = readPageHeader(buf, pos, end)
        pages.push({body: buf.subarray(pos + h.headerLength, pos + h.headerLength + h.compressedSize), size: h.uncompressedSize})
        pos += h.headerLength + h.compressedSize
      }
    }
  }
  return pages
}
const used = (name) => (name === usedZstd ? 'used' : zlib.zstdDecompressSync ? 'not used: zlib has zstd' : 'not used')
const candidates = {
  snappy: [pq.snappy, {
    'receval SNAPPY: hysnappy into the reader\'s buffer (used)': into(codecs.SNAPPY),
    ...(hysnappy ? {'hysnappy\'s own function (a new buffer per page)': ((f) => (p) => f(p.body, p.size))(hysnappy.snappyUncompressor())} : {}),
    'hyparquet snappy (JS)': (p) => snappyUncompress(p.body, new Uint8Array(p.size)),
  }],
  gzip: [gz, {'node:zlib (used)': (p) => zlib.unzipSync(p.body), 'hyparquet-compressors gunzip (JS)': (p) => gunzip(p.body, new Uint8Array(p.size))}],
  zstd: [pq.zstd, {
    ...(zlib.zstdDecompressSync ? {'node:zlib (used when Node has it)': (p) => zlib.zstdDecompressSync(p.body)} : {}),
    ...(zstdNapi ? {[`zstd-napi (native; ${used('zstd-napi')})`]: into((b, size, out) => out.subarray(0, zstdNapi.decompress(out.subarray(0, size), b)))} : {}),
    ...(zstddec ? {[`zstddec (WebAssembly; ${used('zstddec')})`]: (p) => zstddec.decode(p.body, p.size)} : {}),
    [`parquet-zstd.ts (${used('parquet-zstd.ts')})`]: (p) => zstdDecompress(p.body, p.size),
    'fzstd (hyparquet-compressors)': (p) => decompressZstd(p.body),
  }],
}
console.log('\npage decompressors on the score and label pages, best of 3 (CPU s, MB/s of output)')
for (const [codec, [file, fns]] of Object.entries(candidates)) {
  const pages = pagesOf(file)
  const total = pages.reduce((s, p) => s + p.size, 0)
  for (const [name, fn] of Object.entries(fns)) {
    let best = Infinity
    for (let k = 0; k < 3; k++) {
      const c0 = process.cpuUsage()
      for (const p of pages) fn(p)
      const c = process.cpuUsage(c0)
      best = Math.min(best, (c.user + c.system) / 1e6)
    }
    console.log(`  ${codec.padEnd(7)} ${name.padEnd(58)} ${best.toFixed(3).padStart(6)} s ${(total / best / 1e6).toFixed(0).padStart(5)} MB/s`)
  }
}
console.log('')
for (const v of verdicts) console.log(v)
