/**
 * The Parquet page header (Thrift compact protocol), read without building an object per field:
 * the fast column decoder needs a handful of integers from each page header and skips the rest
 * (statistics, CRC, index pages). The file footer is parsed by hyparquet.
 * Reference: https://github.com/apache/parquet-format/blob/master/src/main/thrift/parquet.thrift
 * and the compact protocol spec, https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 */

/** PageType */
export const DATA_PAGE = 0
export const DICTIONARY_PAGE = 2
export const DATA_PAGE_V2 = 3

/** Encoding */
export const PLAIN = 0
export const PLAIN_DICTIONARY = 2
export const RLE = 3
export const RLE_DICTIONARY = 8

export interface PageHeader {
  type: number
  uncompressedSize: number
  compressedSize: number
  /** data pages: values including nulls; dictionary pages: entries */
  numValues: number
  encoding: number
  /** data page v1: encoding of the definition and repetition levels */
  defEncoding: number
  repEncoding: number
  /** data page v2 */
  numNulls: number
  numRows: number
  defLength: number
  repLength: number
  compressed: boolean
  /** bytes of the header itself */
  headerLength: number
}

const T_TRUE = 1
const T_FALSE = 2
const T_BYTE = 3
const T_I16 = 4
const T_I32 = 5
const T_I64 = 6
const T_DOUBLE = 7
const T_BINARY = 8
const T_LIST = 9
const T_SET = 10
const T_MAP = 11
const T_STRUCT = 12

class Compact {
  constructor(
    private readonly b: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  byte(): number {
    if (this.pos >= this.end) throw new RangeError('page header runs past the end of the column chunk')
    return this.b[this.pos++]
  }

  /** unsigned LEB128 (exact up to 2^53) */
  varint(): number {
    let r = 0
    let mul = 1
    for (let k = 0; k < 10; k++) {
      const x = this.byte()
      r += (x & 127) * mul
      if (x < 128) return r
      mul *= 128
    }
    throw new RangeError('bad varint in page header')
  }

  int(): number {
    const z = this.varint()
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2
  }

  advance(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new RangeError('page header runs past the end of the column chunk')
    this.pos += n
  }

  private element(t: number): void {
    if (t === T_TRUE || t === T_FALSE) this.advance(1)
    else this.skip(t)
  }

  skip(t: number): void {
    switch (t) {
      case T_TRUE:
      case T_FALSE:
        return
      case T_BYTE:
        return this.advance(1)
      case T_I16:
      case T_I32:
      case T_I64:
        this.varint()
        return
      case T_DOUBLE:
        return this.advance(8)
      case T_BINARY:
        return this.advance(this.varint())
      case T_LIST:
      case T_SET: {
        const h = this.byte()
        const n = h >> 4 === 15 ? this.varint() : h >> 4
        for (let i = 0; i < n; i++) this.element(h & 15)
        return
      }
      case T_MAP: {
        const n = this.varint()
        if (n === 0) return
        const kv = this.byte()
        for (let i = 0; i < n; i++) {
          this.element(kv >> 4)
          this.element(kv & 15)
        }
        return
      }
      case T_STRUCT:
        return this.struct(() => false)
      default:
        throw new RangeError(`bad thrift type ${t} in page header`)
    }
  }

  /** Walk a struct's fields; `field` reads the ones it wants and returns true, the rest are skipped. */
  struct(field: (id: number, type: number) => boolean): void {
    let id = 0
    for (;;) {
      const h = this.byte()
      const t = h & 15
      if (t === 0) return
      id = h >> 4 ? id + (h >> 4) : this.int()
      if (!field(id, t)) this.skip(t)
    }
  }
}

/**
 * Read the page header at `pos` of `b` (not past `end`).
 * @throws RangeError when the bytes are not a well-formed header
 */
export function readPageHeader(b: Uint8Array, pos: number, end: number): PageHeader {
  const r = new Compact(b, pos, end)
  const h: PageHeader = {type: -1, uncompressedSize: -1, compressedSize: -1, numValues: -1, encoding: -1, defEncoding: RLE, repEncoding: RLE, numNulls: 0, numRows: -1, defLength: 0, repLength: 0, compressed: true, headerLength: 0}
  const i32 = (t: number) => t === T_I32 || t === T_I16 || t === T_BYTE
  const num = (t: number) => (t === T_BYTE ? r.byte() : r.int())
  r.struct((id, t) => {
    if (t === T_STRUCT) {
      if (id === 5) {
        r.struct((f, ft) => {
          if (!i32(ft)) return false
          if (f === 1) h.numValues = num(ft)
          else if (f === 2) h.encoding = num(ft)
          else if (f === 3) h.defEncoding = num(ft)
          else if (f === 4) h.repEncoding = num(ft)
          else return false
          return true
        })
        return true
      }
      if (id === 7) {
        r.struct((f, ft) => {
          if (!i32(ft)) return false
          if (f === 1) h.numValues = num(ft)
          else if (f === 2) h.encoding = num(ft)
          else return false
          return true
        })
        return true
      }
      if (id === 8) {
        r.struct((f, ft) => {
          if (f === 7 && (ft === T_TRUE || ft === T_FALSE)) {
            h.compressed = ft === T_TRUE
            return true
          }
          if (!i32(ft)) return false
          if (f === 1) h.numValues = num(ft)
          else if (f === 2) h.numNulls = num(ft)
          else if (f === 3) h.numRows = num(ft)
          else if (f === 4) h.encoding = num(ft)
          else if (f === 5) h.defLength = num(ft)
          else if (f === 6) h.repLength = num(ft)
          else return false
          return true
        })
        return true
      }
      return false
    }
    if (!i32(t)) return false
    if (id === 1) h.type = num(t)
    else if (id === 2) h.uncompressedSize = num(t)
    else if (id === 3) h.compressedSize = num(t)
    else return false
    return true
  })
  if (h.type < 0 || h.compressedSize < 0 || h.uncompressedSize < 0) throw new RangeError('page header without type or sizes')
  h.headerLength = r.pos - pos
  return h
}
