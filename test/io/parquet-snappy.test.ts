import {test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {codecsFor, snappyLength} from '../../src/io/parquet-codec.js'
import {ParquetDataError} from '../../src/io/parquet-levels.js'
import {parquetPages} from '../helpers/parquet-pages.js'

// The SNAPPY codec: hysnappy (an optional package, with hyparquet-compressors) writing into the
// reader's buffer, checked against hysnappy's own function on the pages of a DuckDB file and on
// blocks of hysnappy's compressor.
type Codec = (b: Uint8Array, size: number, out?: Uint8Array) => Uint8Array
type Hysnappy = {snappyUncompressor(): (b: Uint8Array, size: number) => Uint8Array; snappyCompressor(): (b: Uint8Array) => Uint8Array}
const hysnappy = await import('hysnappy').then(
  (m: Hysnappy) => m,
  () => undefined,
)
// before parquet-codec.ts catches hysnappy's instance: the constructor must be left as it was
const wasmInstance = (globalThis as unknown as {WebAssembly: {Instance: unknown}}).WebAssembly.Instance
const skip = hysnappy ? false : 'hysnappy is not installed (optional dependency)'

/** Seeded bytes that compress partly: runs, repeats and noise, as page data has. */
function sample(n: number, seed: number): Uint8Array {
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296)
  const b = new Uint8Array(n)
  for (let i = 0; i < n; ) {
    const kind = rand()
    const len = 1 + Math.floor(rand() * 300)
    for (let k = 0; k < len && i < n; k++, i++) b[i] = kind < 0.3 ? 7 : kind < 0.6 && i > 64 ? b[i - 37] : Math.floor(rand() * 256)
  }
  return b
}

test('snappyLength reads the varint a Snappy block starts with', () => {
  assert.equal(snappyLength(Uint8Array.of(0)), 0)
  assert.equal(snappyLength(Uint8Array.of(3, 8, 97, 98, 99)), 3)
  assert.equal(snappyLength(Uint8Array.of(0x80, 0x01)), 128)
  assert.equal(snappyLength(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)), 2 ** 32 - 1)
  assert.equal(snappyLength(Uint8Array.of(0x80, 0x80)), -1)
  assert.equal(snappyLength(Uint8Array.of()), -1)
  assert.equal(snappyLength(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01)), -1)
})

test('the SNAPPY codec gives hysnappy\'s bytes, into the given buffer, on every page of a DuckDB file and on large blocks', {skip}, async () => {
  if (!hysnappy) return
  const codec = (await codecsFor(['SNAPPY'])).codecs.SNAPPY as Codec
  const plain = hysnappy.snappyUncompressor()
  const blocks = await parquetPages(join(ROOT, 'fixtures/parquet/ctr-2000.snappy.parquet'))
  assert.ok(blocks.length >= 8, `${blocks.length} pages`)
  // blocks larger than the WebAssembly memory hysnappy starts with (it grows), then small again
  const compress = hysnappy.snappyCompressor()
  for (const [n, seed] of [[3 << 20, 1], [100, 2], [9 << 20, 3], [1, 4], [0, 5]]) {
    const data = sample(n, seed)
    blocks.push({body: compress(data), size: n, where: `${n} bytes (seed ${seed})`})
  }
  let out = new Uint8Array(16)
  for (const {body, size, where} of blocks) {
    const want = Buffer.from(plain(body, size))
    assert.ok(Buffer.from(codec(body, size)).equals(want), where)
    if (out.length < size) out = new Uint8Array(size)
    out.fill(0xee)
    const got = codec(body, size, out)
    assert.ok(Buffer.from(got).equals(want), `${where} into a buffer`)
    assert.equal(got.buffer, out.buffer, `${where}: a view of the given buffer`)
  }
  // hysnappy's instance is caught as it is made, and WebAssembly is left as it was
  const wasm = (globalThis as unknown as {WebAssembly: {Instance: {name: string}; Module: unknown}}).WebAssembly
  assert.equal(wasm.Instance, wasmInstance)
})

test('the SNAPPY codec refuses a block whose length header is not the page\'s, and corrupt blocks, with ParquetDataError', {skip}, async () => {
  if (!hysnappy) return
  const codec = (await codecsFor(['SNAPPY'])).codecs.SNAPPY as Codec
  const good = hysnappy.snappyCompressor()(sample(5000, 9))
  const out = new Uint8Array(6000)
  for (const into of [undefined, out]) {
    assert.throws(() => codec(good, 4999, into), (e) => e instanceof ParquetDataError && /snappy data does not decompress \(its header says 5000 bytes, the page's 4999\)/.test(e.message))
    assert.throws(() => codec(good, 5001, into), (e) => e instanceof ParquetDataError && /its header says 5000 bytes, the page's 5001/.test(e.message))
    assert.throws(() => codec(Uint8Array.of(0x80, 0x80), 5, into), (e) => e instanceof ParquetDataError && /no length header/.test(e.message))
    // cut short: hysnappy's own message
    assert.throws(() => codec(good.subarray(0, good.length - 40), 5000, into), (e) => e instanceof ParquetDataError && /snappy data does not decompress \(/.test(e.message))
    // a copy from before the start of the output
    assert.throws(() => codec(Uint8Array.of(10, 0b000_111_01, 200, 0, 0), 10, into), ParquetDataError)
  }
})
