/**
 * Page decompression for the Parquet reader, and the loader of the optional packages (hyparquet,
 * hyparquet-compressors, zstddec). Each codec uses the fastest decoder measured on this project's machines
 * (bench/parquet.bench.js, 10M rows): GZIP and BROTLI through node:zlib (native; about twice the
 * JS inflate of hyparquet-compressors), ZSTD through node:zlib where Node has it (22.15+), else
 * zstddec (zstd's own C decoder as WebAssembly; about 1.6 times parquet-zstd.ts) when it is
 * installed, else parquet-zstd.ts (about twice fzstd, the decoder of hyparquet-compressors), SNAPPY
 * through hysnappy's WebAssembly (about 2.5 times hyparquet's JS snappy), LZ4 through
 * hyparquet-compressors.
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


/** zstddec's decoder (an optional package; WebAssembly, so it is set up once per thread, asynchronously). */
type WasmZstd = (input: Uint8Array, size: number) => Uint8Array
let wasmZstd: WasmZstd | undefined
let wasmLoading: Promise<void> | undefined

/**
 * Set up zstddec in this thread when it is installed (quietly nothing otherwise, or with
 * RECEVAL_ZSTD=js, which keeps receval's JavaScript decoder). decompressors() uses it afterwards.
 */
export function loadZstdWasm(): Promise<void> {
  wasmLoading ??= (async () => {
    if (process.env.RECEVAL_ZSTD === 'js' || (zlib as unknown as ZlibZstd).zstdDecompressSync) return
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

/** Which zstd decoder decompressors() gives this thread now (for the benchmark and the tests). */
export function zstdDecoderName(): 'node:zlib' | 'zstddec' | 'parquet-zstd.ts' {
  return (zlib as unknown as ZlibZstd).zstdDecompressSync ? 'node:zlib' : wasmZstd && process.env.RECEVAL_ZSTD !== 'js' ? 'zstddec' : 'parquet-zstd.ts'
}

const missing = () => new UsageError(`reading Parquet needs the optional packages hyparquet and hyparquet-compressors: npm install ${PARQUET_PACKAGES}`)
let reader: Promise<Hyparquet> | undefined
let codecPackage: Promise<Codecs> | undefined

/** hyparquet alone (the footer, the slow path): hyparquet-compressors takes another 25 ms to load and only snappy, lz4 and the slow path need it. */
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
 * zstddec, checked: it returns what zstd's C decoder wrote (fewer bytes, or none, for bad data,
 * without a reason), so a page of the wrong size is decoded again by parquet-zstd.ts, whose error
 * says what is wrong (or which, should the two decoders ever disagree, gives the page).
 */
function wasmFirst(wasm: WasmZstd): Decompress {
  return (input, size) => {
    let out: Uint8Array | undefined
    try {
      out = wasm(input, size)
    } catch {
      out = undefined
    }
    return out !== undefined && out.length === size ? out : zstdDecompress(input, size)
  }
}

type ZlibZstd = {zstdDecompressSync?: (b: Uint8Array) => Buffer}

/**
 * The decompressors of the codecs in `used`, with what they need set up first in this thread:
 * zstddec for ZSTD, hyparquet-compressors for snappy and lz4 (returned too, for hyparquet's
 * slow path).
 */
export async function codecsFor(used: Iterable<string | undefined>): Promise<{codecs: Codecs; compressors?: Codecs}> {
  const names = new Set(used)
  if (names.has('ZSTD')) await loadZstdWasm()
  const compressors = [...names].some((c) => c !== undefined && NEEDS_COMPRESSORS.has(c)) ? await loadCompressors() : undefined
  return {codecs: decompressors(compressors), compressors}
}

/** Codecs that need hyparquet-compressors (the others are node:zlib or parquet-zstd.ts). */
export const NEEDS_COMPRESSORS = new Set(['SNAPPY', 'LZ4', 'LZ4_RAW'])

/** The page decompressor of each codec (by hyparquet's codec name); `compressors` from hyparquet-compressors. */
export function decompressors(compressors: Codecs = {}): Codecs {
  const zstd = (zlib as unknown as ZlibZstd).zstdDecompressSync
  const out: Codecs = {
    UNCOMPRESSED: (input, size) => exact('uncompressed', input, size),
    GZIP: guarded('gzip', (input) => zlib.unzipSync(input)),
    BROTLI: guarded('brotli', (input) => zlib.brotliDecompressSync(input)),
  }
  const wasm = process.env.RECEVAL_ZSTD === 'js' ? undefined : wasmZstd
  out.ZSTD = zstd ? guarded('zstd', (input) => zstd(input)) : wasm ? wasmFirst(wasm) : zstdDecompress
  for (const name of ['SNAPPY', 'LZ4', 'LZ4_RAW']) {
    const f = compressors[name]
    if (f) out[name] = guarded(name.toLowerCase(), f)
  }
  return out
}
