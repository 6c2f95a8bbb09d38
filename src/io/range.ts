import {createReadStream} from 'node:fs'
import {InputError} from '../cli/errors.js'
import {Builder} from './builders.js'
import {DelimitedParser, RowSink} from './delimited.js'
import {Column, ColumnKind} from './table.js'

/** A needed field of a delimited file: its header position and how to type it (serialisable). */
export interface FieldSpec {
  index: number
  name: string
  kind: ColumnKind
  nonNegative?: boolean
  sep?: string
}

/** A sink over builders that grows them together, starting from an estimated row count. */
export function sinkFor(header: readonly string[], fields: readonly FieldSpec[], builders: readonly Builder[], initialCap: number): RowSink {
  let cap = 0
  const slots: (Builder | null)[] = header.map(() => null)
  fields.forEach((f, i) => (slots[f.index] = builders[i]))
  return {
    slots,
    ensure(row: number) {
      if (row < cap) return
      if (cap === 0) {
        // storage given in advance (shared memory of a two-thread read) is used as it is
        const have = Math.min(...builders.map((b) => b.capacity()))
        if (have > row) {
          cap = have
          return
        }
      }
      cap = cap === 0 ? Math.max(1024, initialCap) : Math.ceil(cap * 1.5)
      for (const b of builders) b.grow(cap)
    },
    capacity: () => cap,
  }
}

export interface RangeArgs {
  path: string
  display: string
  start: number
  /** exclusive */
  end: number
  delim: number
  header: string[]
  fields: FieldSpec[]
  dropInvalid: boolean
  /** line number of the first record in the range */
  firstLine: number
  capacity: number
  /** per field: rows go straight into this part of a SharedArrayBuffer (a two-thread read) */
  shared?: (SharedSlice | null)[]
}

/** `length` elements of the column's array type from element `offset` of `buffer`. */
export interface SharedSlice {
  buffer: SharedArrayBuffer
  offset: number
  length: number
}

export interface RangeResult {
  rows: number
  dropped: number
  /** the line number where the next record after the range would start */
  endLine: number
  columns: Column[]
}

/**
 * Parse the records in bytes [start, end) of a delimited file, which must begin at a record
 * start. Used for each half of a file read by two threads.
 */
export async function parseDelimitedRange(a: RangeArgs, builders: Builder[], finish = true): Promise<RangeResult> {
  const sink = sinkFor(a.header, a.fields, builders, a.capacity)
  const parser = new DelimitedParser(a.display, a.delim, a.header, sink, a.dropInvalid, a.firstLine)
  let buf: Buffer = Buffer.alloc(0)
  let pos = 0
  if (a.end > a.start) {
    const stream = createReadStream(a.path, {start: a.start, end: a.end - 1, highWaterMark: 1 << 20})
    for await (const c of stream) {
      const chunk = c as Buffer
      buf = buf.length === 0 ? chunk : joined(parser, buf, chunk)
      pos = parser.parse(buf, 0, false)
      buf = buf.subarray(pos)
    }
  }
  if (buf.length > 0) parser.parse(buf, 0, true)
  return {rows: parser.rows, dropped: parser.dropped, endLine: parser.line, columns: finish ? builders.map((b) => b.finish(parser.rows)) : []}
}

/**
 * The unparsed end of the previous chunk (`rest`, an incomplete record) followed by `chunk`,
 * without copying the chunk: the record that straddles the two is completed from the chunk's
 * first line and parsed on its own, and the rest of the chunk is returned as a view. Only when
 * the record goes on past that line (a quoted field with a newline) are the two copied together.
 */
function joined(parser: DelimitedParser, rest: Buffer, chunk: Buffer): Buffer {
  const lf = chunk.indexOf(10)
  if (lf < 0) return Buffer.concat([rest, chunk])
  const head = Buffer.concat([rest, chunk.subarray(0, lf + 1)])
  const used = parser.parse(head, 0, false)
  return used === head.length ? chunk.subarray(lf + 1) : Buffer.concat([head.subarray(used), chunk.subarray(lf + 1)])
}

/** Errors crossing the worker boundary: the parts of an InputError. */
export interface WorkerError {
  detail: string
  line?: number
  column?: string
  input: boolean
}

export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof InputError) return {detail: e.detail, line: e.line, column: e.column, input: true}
  return {detail: e instanceof Error ? e.message : String(e), input: false}
}
