import {createReadStream, statSync} from 'node:fs'
import {createHash, Hash} from 'node:crypto'
import {createGunzip} from 'node:zlib'
import {Readable} from 'node:stream'
import {InputError} from '../cli/errors.js'
import {Progress} from './progress.js'

export interface OpenedSource {
  path: string
  /** total size on disk, when known (for progress) */
  size?: number
  mtime?: string
  gzip: boolean
  /** chunks of decompressed bytes */
  chunks: AsyncIterable<Buffer>
  /** raw bytes read so far and their hash */
  readonly bytesRead: () => number
  readonly sha256: () => string | undefined
  /** stop reading (the rest of the file is read some other way) */
  close(): void
}

const CHUNK = 1 << 20

/** The size of a regular file on disk; 0 for stdin, a missing file or anything else (a hint, never an error). */
export function fileBytes(path: string): number {
  if (path === '-') return 0
  try {
    const st = statSync(path)
    return st.isFile() ? st.size : 0
  } catch {
    return 0
  }
}

/**
 * Open a file (or stdin for '-') as a stream of decompressed chunks. Gzip is recognised by its
 * magic bytes, whatever the file is called. The raw bytes are hashed while they are read when
 * `hash` is set (one pass, no re-read).
 */
export async function openSource(path: string, opts: {hash?: boolean; progress?: boolean} = {}): Promise<OpenedSource> {
  let size: number | undefined
  let mtime: string | undefined
  let raw: Readable
  if (path === '-') {
    raw = process.stdin
  } else {
    let st
    try {
      st = statSync(path)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      throw new InputError({file: path}, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot open (${code})`)
    }
    if (st.isDirectory()) throw new InputError({file: path}, 'is a directory, not a file')
    size = st.size
    mtime = st.mtime.toISOString()
    if (size === 0) throw new InputError({file: path}, 'file is empty')
    raw = createReadStream(path, {highWaterMark: CHUNK})
  }
  const hash: Hash | undefined = opts.hash ? createHash('sha256') : undefined
  let bytes = 0
  let digest: string | undefined
  const progress = opts.progress !== false && process.stderr.isTTY ? new Progress(path, size) : undefined

  const iter = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const first = await iter.next()
  if (first.done || first.value.length === 0) throw new InputError({file: path}, 'file is empty')
  const head: Buffer = first.value
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b

  async function* rawChunks(): AsyncGenerator<Buffer> {
    let r: IteratorResult<Buffer> = first
    while (!r.done) {
      const c = r.value
      bytes += c.length
      hash?.update(c)
      progress?.update(bytes)
      yield c
      r = await iter.next()
    }
  }

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (!gzip) {
        yield* rawChunks()
      } else {
        const gunzip = createGunzip({chunkSize: CHUNK})
        const piped = Readable.from(rawChunks()).pipe(gunzip)
        try {
          for await (const c of piped) yield c as Buffer
        } catch (e) {
          throw new InputError({file: path}, `truncated or corrupt gzip data (${(e as Error).message})`)
        }
      }
    } finally {
      progress?.done()
    }
  }

  return {path, size, mtime, gzip, chunks: chunks(), bytesRead: () => bytes, sha256: () => (hash ? (digest ??= hash.digest('hex')) : undefined), close: () => raw.destroy()}
}
