import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import zlib from 'node:zlib'
import {ROOT} from '../helpers/cli.js'
import {decompressors, loadZstd, loadZstdWasm, zstdDecoderName} from '../../src/io/parquet-codec.js'
import {ParquetDataError} from '../../src/io/parquet-levels.js'
import {parquetPages} from '../helpers/parquet-pages.js'
import {zstdDecompress} from '../../src/io/parquet-zstd.js'

// fixtures/zstd: inputs and their compressions by the zstd tool (fixtures/zstd.md); the Parquet
// pages of fixtures/parquet/ctr-2000.zstd.parquet (DuckDB) against fzstd, the decoder of
// hyparquet-compressors (skipped without it).
const dir = join(ROOT, 'fixtures/zstd')
const fzstd = await import('hyparquet-compressors').then(
  (m: {decompressZstd: (b: Uint8Array) => Uint8Array}) => m.decompressZstd,
  () => undefined,
)

function expected(file: string): Buffer {
  if (file === 'frames.zst') return Buffer.concat([readFileSync(join(dir, 'text.bin')), readFileSync(join(dir, 'doubles.bin'))])
  return readFileSync(join(dir, `${file.split('.')[0]}.bin`))
}

/** The bad inputs both zstd decoders must refuse with ParquetDataError (messages included). */
function refusesBadInput(decode: (b: Uint8Array, size: number) => Uint8Array, good: Buffer, size: number): void {
  assert.throws(() => decode(Uint8Array.of(1, 2, 3, 4, 5), 5), (e) => e instanceof ParquetDataError && /not a Zstandard frame/.test(e.message))
  assert.throws(() => decode(good, size + 1), (e) => e instanceof ParquetDataError && /decompressed to 15005 bytes, not 15006/.test(e.message))
  for (const n of [5, 10, 100, good.length - 5]) assert.throws(() => decode(good.subarray(0, n), size), ParquetDataError, `truncated to ${n}`)
}

/** `count` copies of `good`, each with one byte flipped (seeded), and where. */
function* flipped(good: Buffer, seed: number, count: number): Generator<{bad: Buffer; at: number}> {
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296)
  for (let k = 0; k < count; k++) {
    const bad = Buffer.from(good)
    const at = 6 + Math.floor(rand() * (bad.length - 6))
    bad[at] ^= 1 + Math.floor(rand() * 255)
    yield {bad, at}
  }
}

test('zstdDecompress gives back what the zstd tool compressed (levels 1, 3, 19, several frames, a skippable frame)', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.zst'))
  assert.equal(files.length, 10)
  for (const f of files) {
    const want = expected(f)
    assert.ok(Buffer.from(zstdDecompress(readFileSync(join(dir, f)), want.length)).equals(want), f)
  }
})

test('zstdDecompress of hand-made frames: a raw block, an RLE block, an empty frame', () => {
  // magic, descriptor (single segment, 1-byte content size), content size, block header
  const frame = (size: number, block: number[]) => Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x20, size, ...block)
  const raw = frame(3, [(3 << 3) | 1, 0, 0, 65, 66, 67])
  assert.deepEqual(Array.from(zstdDecompress(raw, 3)), [65, 66, 67])
  const rle = frame(5, [(5 << 3) | (1 << 1) | 1, 0, 0, 9])
  assert.deepEqual(Array.from(zstdDecompress(rle, 5)), [9, 9, 9, 9, 9])
  assert.deepEqual(Array.from(zstdDecompress(Uint8Array.of(...raw, ...rle), 8)), [65, 66, 67, 9, 9, 9, 9, 9])
  assert.equal(zstdDecompress(frame(0, [1, 0, 0]), 0).length, 0)
})

test('zstdDecompress fails with ParquetDataError on bad input, never loops or crashes', () => {
  const good = readFileSync(join(dir, 'text.3.zst'))
  const size = expected('text.3.zst').length
  refusesBadInput(zstdDecompress, good, size)
  // flipped bytes (seeded): either the right output or a ParquetDataError
  for (const {bad, at} of flipped(good, 5, 300)) {
    try {
      zstdDecompress(bad, size)
    } catch (e) {
      assert.ok(e instanceof ParquetDataError, `byte ${at}: ${(e as Error).stack}`)
    }
  }
})

test('zstdDecompress equals fzstd on every page of a DuckDB zstd Parquet file', {skip: fzstd ? false : 'hyparquet-compressors is not installed'}, async () => {
  const pages = await parquetPages(join(ROOT, 'fixtures/parquet/ctr-2000.zstd.parquet'))
  for (const {body, size, where} of pages) assert.ok(Buffer.from(zstdDecompress(body, size)).equals(Buffer.from((fzstd as (b: Uint8Array) => Uint8Array)(body))), where)
  assert.ok(pages.length >= 8, `${pages.length} pages`)
})

// zstd-napi (zstd's C library, native) and zstddec (the same decoder as WebAssembly), optional
// packages, are used where Node has no zlib zstd: the fastest one installed, RECEVAL_ZSTD=wasm
// for zstddec, RECEVAL_ZSTD=js for receval's own decoder
const zlibZstd = typeof (zlib as unknown as {zstdDecompressSync?: unknown}).zstdDecompressSync === 'function'
const installed = async (id: string) => await import(id).then(() => true, () => false)
const skipIf = async (id: string) => (zlibZstd ? 'this Node decompresses zstd with node:zlib' : (await installed(id)) ? false : `${id} is not installed (optional dependency)`)

async function withZstd<T>(choice: string | undefined, f: () => T | Promise<T>): Promise<T> {
  const before = process.env.RECEVAL_ZSTD
  if (choice === undefined) delete process.env.RECEVAL_ZSTD
  else process.env.RECEVAL_ZSTD = choice
  try {
    return await f()
  } finally {
    if (before === undefined) delete process.env.RECEVAL_ZSTD
    else process.env.RECEVAL_ZSTD = before
  }
}

/** The ZSTD codec now gives the zstd tool's bytes, and receval's decoder's messages on bad input. */
function agreesWithJsDecoder(): void {
  const codec = decompressors().ZSTD as (b: Uint8Array, size: number, out?: Uint8Array) => Uint8Array
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.zst'))) {
    const want = expected(f)
    assert.ok(Buffer.from(codec(readFileSync(join(dir, f)), want.length)).equals(want), f)
    // into a given buffer (a view of it, when the decoder writes there), or a new one
    const out = new Uint8Array(want.length + 100).fill(7)
    const got = codec(readFileSync(join(dir, f)), want.length, out)
    assert.ok(Buffer.from(got).equals(want), `${f} into a buffer`)
  }
  // bad input: the JavaScript decoder says what is wrong
  const good = readFileSync(join(dir, 'text.3.zst'))
  const size = expected('text.3.zst').length
  refusesBadInput(codec, good, size)
  for (const {bad, at} of flipped(good, 9, 300)) {
    let a: Buffer | Error
    let b: Buffer | Error
    try {
      a = Buffer.from(codec(bad, size))
    } catch (e) {
      a = e as Error
    }
    try {
      b = Buffer.from(zstdDecompress(bad, size))
    } catch (e) {
      b = e as Error
    }
    // the same bytes, or both a ParquetDataError (zstd's checksum-free frames may decode flipped
    // bytes; on these 300 both decoders agree, though zstd's library can let through garbage that
    // receval's decoder refuses: see parquet-fast.test.ts)
    if (a instanceof Error || b instanceof Error) assert.ok(a instanceof ParquetDataError && b instanceof ParquetDataError, `byte ${at}: ${String(a)} / ${String(b)}`)
    else assert.ok(a.equals(b), `byte ${at}`)
  }
}

test('the ZSTD codec with zstd-napi where installed gives zstdDecompress\'s bytes, and its messages on bad input', {skip: await skipIf('zstd-napi')}, async () => {
  await withZstd(undefined, async () => {
    await loadZstd()
    assert.equal(zstdDecoderName(), 'zstd-napi')
    agreesWithJsDecoder()
    // it writes into the given buffer
    const want = expected('text.3.zst')
    const out = new Uint8Array(want.length)
    assert.equal((decompressors().ZSTD as (b: Uint8Array, size: number, out?: Uint8Array) => Uint8Array)(readFileSync(join(dir, 'text.3.zst')), want.length, out).buffer, out.buffer)
  })
})

test('the ZSTD codec with zstddec (RECEVAL_ZSTD=wasm) gives zstdDecompress\'s bytes, and its messages on bad input', {skip: await skipIf('zstddec')}, async () => {
  await withZstd('wasm', async () => {
    await loadZstdWasm()
    assert.equal(zstdDecoderName(), 'zstddec')
    agreesWithJsDecoder()
  })
  // RECEVAL_ZSTD=js keeps the JavaScript decoder
  await withZstd('js', () => {
    assert.equal(zstdDecoderName(), 'parquet-zstd.ts')
    assert.equal(decompressors().ZSTD, zstdDecompress)
  })
})
