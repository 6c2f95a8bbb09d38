/**
 * Page decompression for the Parquet reader, and the loader of the optional packages (hyparquet,
 * hyparquet-compressors, zstd-napi, zstddec). Each codec uses the fastest decoder measured on this
 * project's machines (bench/parquet.bench.js, 10M rows): GZIP and BROTLI through node:zlib
 * (native; about twice the JS inflate of hyparquet-compressors), ZSTD through node:zlib where Node
 * has it (22.15+), else zstd-napi (zstd's C library, native; about 2.5 times zstddec, and it writes
 * into a given buffer) when it is installed and built, else zstddec (the same C decoder as
 * WebAssembly; about 1.6 times parquet-zstd.ts), else parquet-zstd.ts (about twice fzstd, the
 * decoder of hyparquet-compressors), SNAPPY through hysnappy's WebAssembly (about 2.5 times
 * hyparquet's JS snappy), LZ4 through hyparquet-compressors.
 */
import {createRequire} from 'node:module'
import zlib from 'node:zlib'
import {UsageError} from '../cli/errors.js'
import {ParquetDataError} from './parquet-levels.js'
import {zstdDecompress} from './parquet-zstd.js'

/** Decompress one page body into exactly `size` bytes: a new buffer, or a view of `out` when the codec writes into a given buffer. */
export type Decompress = (input: Uint8Array, size: number, out?: Uint8Array) => Uint8Array

/** The part of hyparquet (an optional dependency) that receval uses. */
export interface Hyparquet {
  parquetMetadata(buffer: ArrayBuffer): unknown
  parquetSchema(metadata: unknown): SchemaNode
  parquetRead(options: {
    file: {byteLength: number; slice(start: number, end?: number): ArrayBuffer | Promise<ArrayBuffer>}
    metadata?: unknown
    columns?: string[]
    compressors?: unknown
    utf8?: boolean
    rowStart?: number
    rowEnd?: number
    onChunk?: (chunk: {columnName: string; columnData: ArrayLike<unknown>; rowStart: number; rowEnd: number}) => void
  }): Promise<void>
}

export interface SchemaNode {
  element: {name: string} & Record<string, unknown>
  children: SchemaNode[]
}

export type Codecs = Partial<Record<string, Decompress>>

export const PARQUET_PACKAGES = 'hyparquet@1.31.5 hyparquet-compressors@1.1.2'

/** An optional package: as an ES module from node_modules, else through require (which also searches NODE_PATH). */
async function optional<T>(id: string): Promise<T | undefined> {
  try {
    return (await import(id)) as T
  } catch {
    try {
      return createRequire(import.meta.url)(id) as T
    } catch {
      return undefined
    }
  }
}

/**
 * zstd's C decoder from an optional package: zstd-napi (native) or zstddec (WebAssembly). It gives
 * what the C code wrote, or throws, without saying more for bad data; a page of the wrong size is
 * decoded again by parquet-zstd.ts (see cFirst).
 */
type CZstd = (input: Uint8Array, size: number, out?: Uint8Array) => Uint8Array
let nativeZstd: CZstd | undefined
let wasmZstd: CZstd | undefined
let zstdLoading: Promise<void> | undefined
let wasmLoading: Promise<void> | undefined

/**
 * RECEVAL_ZSTD: 'js' keeps receval's JavaScript decoder, 'wasm' prefers zstddec to zstd-napi
 * (both for the tests and the benchmark); unset, the fastest one installed.
 */
const zstdChoice = () => process.env.RECEVAL_ZSTD
const zlibZstd = () => (zlib as unknown as ZlibZstd).zstdDecompressSync

/**
 * Set up this thread's zstd decoder: zstd-napi when it is installed and built, else zstddec when
 * it is installed (quietly nothing when neither is, or where node:zlib has zstd, or with
 * RECEVAL_ZSTD=js). decompressors() uses it afterwards.
 */
export function loadZstd(): Promise<void> {
  zstdLoading ??= (async () => {
    if (zstdChoice() === 'js' || zlibZstd()) return
    if (zstdChoice() !== 'wasm') nativeZstd = loadNative()
    if (!nativeZstd) await loadZstdWasm()
  })()
  return zstdLoading
}

/** zstd-napi's decompression context, writing into `out` when it is given and large enough. */
function loadNative(): CZstd | undefined {
  try {
    const binding = createRequire(import.meta.url)('zstd-napi/binding') as {DCtx: new () => {decompress(dst: Uint8Array, src: Uint8Array): number}}
    const d = new binding.DCtx()
    return (input, size, out) => {
      const dst = out !== undefined && out.length >= size ? out.subarray(0, size) : new Uint8Array(size)
      return dst.subarray(0, d.decompress(dst, input))
    }
  } catch {
    // not installed, or its native part was not built here
    return undefined
  }
}

/** Set up zstddec in this thread when it is installed (WebAssembly, so asynchronously, once). */
export function loadZstdWasm(): Promise<void> {
  wasmLoading ??= (async () => {
    if (zstdChoice() === 'js' || zlibZstd()) return
    const m = await optional<{ZSTDDecoder: new () => {init(): Promise<void>; decode(a: Uint8Array, size?: number): Uint8Array}}>('zstddec')
    if (!m?.ZSTDDecoder) return
    try {
      const d = new m.ZSTDDecoder()
      // zstddec instantiates its module through fetch() of a data: URL when fetch exists, which
      // in Node loads undici first (about 40 ms more per thread); without fetch it instantiates
      // the same bytes directly. init() looks at fetch synchronously, so it is hidden only for
      // the duration of that call.
      const g = globalThis as {fetch?: unknown}
      const f = g.fetch
      let ready: Promise<void>
      g.fetch = undefined
      try {
        ready = d.init()
      } finally {
        g.fetch = f
      }
      await ready
      wasmZstd = (input, size) => d.decode(input, size)
    } catch {
      // no WebAssembly here: the JavaScript decoder does the work
    }
  })()
  return wasmLoading
}

/** The C decoder decompressors() uses now, if any. */
function cZstd(): {name: 'zstd-napi' | 'zstddec'; f: CZstd} | undefined {
  const choice = zstdChoice()
  if (choice === 'js') return undefined
  const native = nativeZstd && ({name: 'zstd-napi', f: nativeZstd} as const)
  const wasm = wasmZstd && ({name: 'zstddec', f: wasmZstd} as const)
  return choice === 'wasm' ? (wasm ?? native) : (native ?? wasm)
}

/** Which zstd decoder decompressors() gives this thread now (for the benchmark and the tests). */
export function zstdDecoderName(): 'node:zlib' | 'zstd-napi' | 'zstddec' | 'parquet-zstd.ts' {
  return zlibZstd() ? 'node:zlib' : (cZstd()?.name ?? 'parquet-zstd.ts')
}

const missing = () => new UsageError(`reading Parquet needs the optional packages hyparquet and hyparquet-compressors: npm install ${PARQUET_PACKAGES}`)
let reader: Promise<Hyparquet> | undefined
let codecPackage: Promise<Codecs> | undefined

/** hyparquet alone (the footer, the slow path): hyparquet-compressors takes another 25 ms to load and only lz4 and the slow path need it. */
export function loadReader(): Promise<Hyparquet> {
  reader ??= optional<Hyparquet>('hyparquet').then((h) => {
    if (!h) throw missing()
    return h
  })
  return reader
}

/** hyparquet-compressors' codecs, or the usage error. */
export function loadCompressors(): Promise<Codecs> {
  codecPackage ??= optional<{compressors: Codecs}>('hyparquet-compressors').then((c) => {
    if (!c) throw missing()
    return c.compressors
  })
  return codecPackage
}

function exact(name: string, out: Uint8Array, size: number): Uint8Array {
  if (out.length !== size) throw new ParquetDataError(`${name} page decompressed to ${out.length} bytes, not ${size}`)
  return out
}

function guarded(name: string, f: Decompress): Decompress {
  return (input, size, into) => {
    let out: Uint8Array
    try {
      out = f(input, size, into)
    } catch (e) {
      throw new ParquetDataError(`${name} data does not decompress (${(e as Error).message})`)
    }
    return exact(name, out, size)
  }
}

/**
 * zstd's C decoder, checked: it says nothing useful for bad data (it writes fewer bytes, or
 * throws), so a page of the wrong size is decoded again by parquet-zstd.ts, whose error says what
 * is wrong (or which, should the two decoders ever disagree, gives the page).
 */
function cFirst(c: CZstd): Decompress {
  return (input, size, into) => {
    let out: Uint8Array | undefined
    try {
      out = c(input, size, into)
    } catch {
      out = undefined
    }
    return out !== undefined && out.length === size ? out : zstdDecompress(input, size)
  }
}

type ZlibZstd = {zstdDecompressSync?: (b: Uint8Array) => Buffer}

/**
 * The decompressors of the codecs in `used`, with what they need set up first in this thread:
 * zstd-napi or zstddec for ZSTD, hysnappy for SNAPPY, hyparquet-compressors for LZ4 (returned
 * too, for hyparquet's slow path).
 */
export async function codecsFor(used: Iterable<string | undefined>): Promise<{codecs: Codecs; compressors?: Codecs}> {
  const names = new Set(used)
  if (names.has('ZSTD')) await loadZstd()
  const compressors = names.has('LZ4') || names.has('LZ4_RAW') ? await loadCompressors() : undefined
  const snappy = names.has('SNAPPY') ? await loadSnappy() : undefined
  return {codecs: decompressors({...compressors, ...snappy}), compressors}
}

let snappyLoading: Promise<Codecs | undefined> | undefined

/**
 * SNAPPY alone: hysnappy (hyparquet-compressors' snappy, WebAssembly), imported by itself; the
 * whole of hyparquet-compressors (brotli's dictionary, gzip, lz4) takes about 30 ms more to load
 * in each thread.
 */
function loadSnappy(): Promise<Codecs | undefined> {
  snappyLoading ??= optional<{snappyUncompressor(): Decompress}>('hysnappy').then(async (m) => {
    const f = m?.snappyUncompressor ? snappyInto(m.snappyUncompressor) : (await loadCompressors()).SNAPPY
    return f ? {SNAPPY: lengthChecked(f)} : undefined
  })
  return snappyLoading
}

/**
 * A Snappy block's own length header must say the page's size: hysnappy decodes what the block
 * says and returns `size` bytes of it, so a block of another length would give wrong bytes
 * without an error.
 */
function lengthChecked(f: Decompress): Decompress {
  return (input, size, out) => {
    const len = snappyLength(input)
    if (len !== size) throw new ParquetDataError(len < 0 ? 'no length header' : `its header says ${len} bytes, the page's ${size}`)
    return f(input, size, out)
  }
}

/** The parts of WebAssembly used here (TypeScript's lib for Node has no WebAssembly types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}
interface Wasm {
  Instance: new (...args: unknown[]) => {exports: Record<string, unknown>}
  Memory: new (...args: unknown[]) => WasmMemory
}

/** The exports of hysnappy's WebAssembly module. */
interface SnappyWasm {
  memory: WasmMemory
  uncompress(inputStart: number, inputLength: number, outputStart: number): number
}

/** Where hysnappy puts a page's input in its memory (its C code uses the memory below). */
const SNAPPY_INPUT = 68000

/**
 * hysnappy's decoder, writing into a given buffer. hysnappy's own function returns each page as a
 * new buffer (a slice of its memory): fresh memory whose first touch costs as much as the
 * decompression on this project's machines. Its WebAssembly instance is caught as
 * snappyUncompressor() creates it, and pages then go from its memory into `out`. Without `out`
 * (dictionary pages, kept for their chunk), or should the instance not be caught (another version
 * of hysnappy), or for a block it refuses, hysnappy's own function does the work (and gives the
 * message).
 */
function snappyInto(make: () => Decompress): Decompress {
  const W = (globalThis as unknown as {WebAssembly: Wasm}).WebAssembly
  const Instance = W.Instance
  let exports: Partial<SnappyWasm> | undefined
  let plain: Decompress
  W.Instance = new Proxy(Instance, {
    construct(target, args: unknown[]) {
      const inst = Reflect.construct(target, args) as {exports: Record<string, unknown>}
      exports = inst.exports as Partial<SnappyWasm>
      return inst
    },
  })
  try {
    plain = make()
  } finally {
    W.Instance = Instance
  }
  const memory = exports?.memory
  const uncompress = exports?.uncompress
  if (!(memory instanceof W.Memory) || typeof uncompress !== 'function') return plain
  return (input, size, out) => {
    if (out === undefined) return plain(input, size)
    const at = SNAPPY_INPUT + input.length
    const need = at + size
    if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536))
    const mem = new Uint8Array(memory.buffer)
    mem.set(input, SNAPPY_INPUT)
    if (uncompress(SNAPPY_INPUT, input.length, at) !== 0) return plain(input, size)
    const o = out.length >= size ? out.subarray(0, size) : new Uint8Array(size)
    o.set(mem.subarray(at, need))
    return o
  }
}

/** The uncompressed length a Snappy block starts with (a varint), or -1. */
export function snappyLength(b: Uint8Array): number {
  let len = 0
  for (let i = 0, shift = 0; i < b.length && shift <= 28; i++, shift += 7) {
    const c = b[i]
    len += (c & 127) * 2 ** shift
    if (c < 128) return len
  }
  return -1
}

/** The page decompressor of each codec (by hyparquet's codec name); `compressors`: those of hyparquet-compressors or hysnappy, by name. */
export function decompressors(compressors: Codecs = {}): Codecs {
  const zstd = zlibZstd()
  const out: Codecs = {
    UNCOMPRESSED: (input, size) => exact('uncompressed', input, size),
    GZIP: guarded('gzip', (input) => zlib.unzipSync(input)),
    BROTLI: guarded('brotli', (input) => zlib.brotliDecompressSync(input)),
  }
  const c = cZstd()
  out.ZSTD = zstd ? guarded('zstd', (input) => zstd(input)) : c ? cFirst(c.f) : zstdDecompress
  for (const name of ['SNAPPY', 'LZ4', 'LZ4_RAW']) {
    const f = compressors[name]
    if (f) out[name] = guarded(name.toLowerCase(), f)
  }
  return out
}
