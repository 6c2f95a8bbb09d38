/**
 * The fast Parquet path: the pages of one flat column (REQUIRED or OPTIONAL, no repetition)
 * decoded straight into the typed array of its builder, with the CSV reader's typing rules.
 *
 * Supported: data pages v1 and v2; PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY and (booleans) RLE
 * value encodings; RLE definition levels; physical types BOOLEAN, INT32, INT64, FLOAT, DOUBLE
 * and BYTE_ARRAY (UTF-8 text). Anything else is left to hyparquet (see `fastLeaf` and
 * `scanChunk`). A NULL is the CSV reader's empty field: an invalid number or label, the key "".
 *
 * Per page: 1. definition levels (NULL positions) 2. the present values, decoded into one of
 * four forms (numbers, booleans, byte ranges, dictionary indices) 3. typed into the builder at
 * the page's rows in row order (key ids are given in order of first appearance, as the CSV reader
 * gives them), invalid values marked in `status`.
 */
import {endianness} from 'node:os'
import {Builder, canonicalIntOf, FATAL, FloatBuilder, INVALID, KeyBuilder, KeyListBuilder, LabelBuilder, OK} from './builders.js'
import {BAD_LABEL, parseLabel, parseNumber} from './numbers.js'
import {allOnes, decodeHybrid, ParquetDataError} from './parquet-levels.js'
import {DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE, PageHeader, PLAIN, PLAIN_DICTIONARY, readPageHeader, RLE, RLE_DICTIONARY} from './parquet-thrift.js'
import {DENSE_MAX} from './table.js'

export {ParquetDataError}

/** The schema element fields the fast path looks at (as hyparquet parses them). */
export interface SchemaElementLike {
  name: string
  type?: string
  repetition_type?: string
  converted_type?: string
  logical_type?: {type: string; isSigned?: boolean; scale?: number}
  scale?: number
  num_children?: number
}

/** A column the fast path can decode. */
export interface Leaf {
  name: string
  type: 'BOOLEAN' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY'
  unsigned: boolean
  optional: boolean
  /** DECIMAL stored as INT32 / INT64: the number of decimals (0 otherwise) */
  scale: number
}

const INT_CONVERTED = new Set([undefined, 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64'])
const TEXT_CONVERTED = new Set([undefined, 'UTF8', 'ENUM', 'JSON'])
const TEXT_LOGICAL = new Set([undefined, 'STRING', 'ENUM', 'JSON'])
const LITTLE_ENDIAN = endianness() === 'LE'

/**
 * The leaf description of a top-level schema element the fast path decodes, or undefined (nested,
 * repeated, or a type whose meaning hyparquet converts: DECIMAL, dates, timestamps, INT96, ...).
 */
export function fastLeaf(el: SchemaElementLike): Leaf | undefined {
  if (!LITTLE_ENDIAN || el.num_children || (el.repetition_type !== 'REQUIRED' && el.repetition_type !== 'OPTIONAL')) return undefined
  const optional = el.repetition_type === 'OPTIONAL'
  const logical = el.logical_type?.type
  switch (el.type) {
    case 'BOOLEAN':
    case 'FLOAT':
    case 'DOUBLE':
      return el.converted_type === undefined && logical === undefined ? {name: el.name, type: el.type, unsigned: false, optional, scale: 0} : undefined
    case 'INT32':
    case 'INT64': {
      if (el.converted_type === 'DECIMAL' || logical === 'DECIMAL') {
        // the value is unscaled / 10^scale, read as the CSV reader reads its decimal text
        const scale = el.scale ?? el.logical_type?.scale ?? 0
        return Number.isInteger(scale) && scale >= 0 && scale <= 22 ? {name: el.name, type: el.type, unsigned: false, optional, scale} : undefined
      }
      if (!INT_CONVERTED.has(el.converted_type) || (logical !== undefined && logical !== 'INTEGER')) return undefined
      const unsigned = el.converted_type?.startsWith('UINT_') === true || (logical === 'INTEGER' && el.logical_type?.isSigned === false)
      return {name: el.name, type: el.type, unsigned, optional, scale: 0}
    }
    case 'BYTE_ARRAY':
      return TEXT_CONVERTED.has(el.converted_type) && TEXT_LOGICAL.has(logical) ? {name: el.name, type: 'BYTE_ARRAY', unsigned: false, optional, scale: 0} : undefined
    default:
      return undefined
  }
}

/** One page of a column chunk: its header and where its bytes are in the chunk. */
export interface PageRef {
  header: PageHeader
  /** [start, end) of the page body (after the header) in the chunk */
  start: number
  end: number
}

/**
 * The pages of a column chunk, or null when one of them is outside the fast path (an encoding or
 * page kind it does not decode): the caller then reads the chunk with hyparquet.
 * @throws ParquetDataError for malformed page headers
 */
export function scanChunk(chunk: Uint8Array, leaf: Leaf): PageRef[] | null {
  const pages: PageRef[] = []
  let pos = 0
  while (pos < chunk.length) {
    let h: PageHeader
    try {
      h = readPageHeader(chunk, pos, chunk.length)
    } catch (e) {
      throw new ParquetDataError((e as Error).message)
    }
    const start = pos + h.headerLength
    const end = start + h.compressedSize
    if (end > chunk.length) throw new ParquetDataError('page runs past the end of the column chunk')
    pos = end
    if (h.type === DICTIONARY_PAGE) {
      if (h.encoding !== PLAIN && h.encoding !== PLAIN_DICTIONARY) return null
    } else if (h.type === DATA_PAGE || h.type === DATA_PAGE_V2) {
      const e = h.encoding
      if (!(e === PLAIN || e === PLAIN_DICTIONARY || e === RLE_DICTIONARY || (e === RLE && leaf.type === 'BOOLEAN'))) return null
      if (h.type === DATA_PAGE && leaf.optional && h.defEncoding !== RLE) return null
      if (h.type === DATA_PAGE_V2 && (h.repLength !== 0 || (!leaf.optional && h.defLength !== 0) || h.numRows !== h.numValues)) return null
      if (h.numValues < 0) throw new ParquetDataError('data page without a value count')
    } else continue // index pages carry nothing to read
    pages.push({header: h, start, end})
  }
  return pages
}

/** Decoded page bytes: `levels` (v2 only: repetition then definition levels) and the values part (v1: the whole page). */
export interface PageData {
  levels?: Uint8Array
  data: Uint8Array
}

const NUM = 0
const BOOL = 1
const BYTES = 2
const INDEX = 3

/** The present (non-NULL) values of a page or a dictionary, in one of four forms. */
interface Values {
  form: typeof NUM | typeof BOOL | typeof BYTES | typeof INDEX
  n: number
  /** NUM: the values as doubles (INT64 rounded to nearest when over 2^53) */
  num: Float64Array
  /** NUM from INT32 / INT64: integers, whose text is the exact decimal */
  ints: boolean
  /** NUM from INT64 with a value over 2^53: the (lo, hi) word pairs, for the exact decimal */
  i64: Int32Array | null
  /** NUM from a DECIMAL: the unscaled integers (num holds unscaled / 10^scale) */
  dec: Float64Array | null
  scale: number
  bool: Uint8Array
  /** BYTES: value j is bytes[offs[2j], offs[2j + 1]) */
  bytes: Uint8Array
  offs: Int32Array
  idx: Int32Array
}

/** A dictionary entry whose key is not known yet (deferred keys are negative, ids far below this). */
const UNSET = 0x7fffffff
const EMPTY_F64 = new Float64Array(0)
const EMPTY_U8 = new Uint8Array(0)
const EMPTY_I32 = new Int32Array(0)
const utf8 = new TextDecoder('utf-8')

function values(form: Values['form'], n: number): Values {
  return {form, n, num: EMPTY_F64, ints: false, i64: null, dec: null, scale: 0, bool: EMPTY_U8, bytes: EMPTY_U8, offs: EMPTY_I32, idx: EMPTY_I32}
}

function u32(b: Uint8Array, pos: number, end: number): number {
  if (pos + 4 > end) throw new ParquetDataError('truncated length prefix')
  return (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24)) >>> 0
}

/** Exact decimal text of an INT64 from its little-endian words. */
function int64Text(lo: number, hi: number, unsigned: boolean): string {
  const v = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)
  return String(unsigned ? v : BigInt.asIntN(64, v))
}

/** `digits` (an integer's decimal text) with `scale` decimals: "-12345", 2 -> "-123.45". */
function withDecimals(digits: string, scale: number): string {
  const neg = digits.startsWith('-')
  const d = (neg ? digits.slice(1) : digits).padStart(scale + 1, '0')
  return (neg ? '-' : '') + d.slice(0, d.length - scale) + '.' + d.slice(d.length - scale)
}

/** Text of present value j, as the CSV of the same data would show it (for keys and messages). */
function textOf(v: Values, j: number, unsigned: boolean): string {
  switch (v.form) {
    case NUM: {
      let t: string | undefined
      if (v.i64 !== null) {
        const hi = v.i64[2 * j + 1]
        if (unsigned ? hi >>> 0 >= 2097152 : hi >= 2097152 || hi < -2097152) t = int64Text(v.i64[2 * j], hi, unsigned)
      }
      if (v.dec !== null) return withDecimals(t ?? String(v.dec[j]), v.scale)
      return t ?? String(v.num[j])
    }
    case BOOL:
      return v.bool[j] ? 'true' : 'false'
    case BYTES:
      return utf8.decode(v.bytes.subarray(v.offs[2 * j], v.offs[2 * j + 1]))
    default:
      throw new Error('textOf: dictionary indices have no text')
  }
}

/** The first problem row of a column: its row, code and text (null: a NULL). */
export interface FirstBad {
  row: number
  code: number
  text: string | null
}

/**
 * Decodes the pages of one flat column, chunk after chunk, into its builder. `status[row]` is
 * raised to INVALID / FATAL for rows with a rejected value; the first row whose code reaches
 * `threshold` is kept in `first` for the error message.
 */
export class ColumnDecoder {
  first: FirstBad | undefined
  private dict: Values | null = null
  private dictFloats: Float64Array | null = null
  private dictLabels: Uint8Array | null = null
  private dictKeys: Int32Array | null = null
  // scratch, reused from page to page
  private defs = EMPTY_U8
  private f64 = EMPTY_F64
  private words = EMPTY_I32
  private ints = EMPTY_I32
  private u8 = EMPTY_U8
  // the page being typed, for messages
  private curVals: Values | null = null
  private curDefs: Uint8Array | null = null
  private curRow = 0

  constructor(
    readonly builder: Builder,
    readonly leaf: Leaf,
    private readonly status: Uint8Array,
    private readonly threshold: number,
  ) {}

  /** A new column chunk: forget the previous chunk's dictionary. */
  startChunk(): void {
    this.dict = null
    this.dictFloats = null
    this.dictLabels = null
    this.dictKeys = null
  }

  /**
   * Decode one page whose rows start at `row`; returns the number of rows it holds (0 for a
   * dictionary page).
   * @throws ParquetDataError for malformed data
   */
  page(h: PageHeader, p: PageData, row: number): number {
    if (h.type === DICTIONARY_PAGE) {
      this.dict = this.plain(p.data, 0, p.data.length, h.numValues, true)
      this.dictFloats = null
      this.dictLabels = null
      this.dictKeys = null
      return 0
    }
    const n = h.numValues
    if (row + n > this.status.length) throw new ParquetDataError('more values than the row group has rows')
    const d = p.data
    let pos = 0
    let defs: Uint8Array | null = null
    let present = n
    if (this.leaf.optional) {
      let lv: Uint8Array
      if (h.type === DATA_PAGE_V2) lv = (p.levels ?? EMPTY_U8).subarray(h.repLength, h.repLength + h.defLength)
      else {
        const len = u32(d, 0, d.length)
        if (4 + len > d.length) throw new ParquetDataError('definition levels run past the page')
        lv = d.subarray(4, 4 + len)
        pos = 4 + len
      }
      // no NULLs, the usual case, is seen in the encoded levels without decoding them
      if (!allOnes(lv, 0, lv.length, n)) {
        if (this.defs.length < n) this.defs = new Uint8Array(n)
        defs = this.defs.subarray(0, n)
        decodeHybrid(lv, 0, lv.length, 1, defs, n)
        present = 0
        for (let i = 0; i < n; i++) present += defs[i]
        if (present === n) defs = null
      }
    }
    const end = d.length
    const enc = h.encoding
    if (enc === PLAIN && defs === null && this.leaf.type === 'DOUBLE' && this.builder instanceof FloatBuilder) {
      // the common case: doubles copied straight into the column
      if (pos + 8 * n > end) throw new ParquetDataError('page holds fewer values than its header says')
      const out = this.builder.data
      new Uint8Array(out.buffer, out.byteOffset + 8 * row, 8 * n).set(d.subarray(pos, pos + 8 * n))
      this.curVals = null
      this.curDefs = null
      this.curRow = row
      this.checkFloats(row, n)
      return n
    }
    if (enc === PLAIN && defs === null && this.leaf.type === 'INT64' && this.leaf.scale === 0 && this.builder instanceof KeyBuilder && this.plainIdKeys(this.builder, d, pos, end, row, n)) return n
    if (enc !== PLAIN && enc !== RLE && defs === null && this.builder instanceof LabelBuilder && this.dictLabelsInto(this.builder, d, pos, end, row, n)) return n
    let v: Values
    if (enc === PLAIN) v = this.plain(d, pos, end, present, false)
    else if (enc === RLE) {
      const len = u32(d, pos, end)
      if (pos + 4 + len > end) throw new ParquetDataError('boolean runs past the page')
      v = values(BOOL, present)
      if (this.u8.length < present) this.u8 = new Uint8Array(present)
      v.bool = this.u8
      decodeHybrid(d, pos + 4, pos + 4 + len, 1, v.bool, present)
    } else {
      if (this.dict === null) throw new ParquetDataError('dictionary-encoded page without a dictionary page')
      v = values(INDEX, present)
      if (this.ints.length < present) this.ints = new Int32Array(present)
      v.idx = this.ints
      if (present > 0) {
        if (pos >= end) throw new ParquetDataError('dictionary page without a bit width')
        decodeHybrid(d, pos + 1, end, d[pos], v.idx, present)
      }
      const size = this.dict.n
      for (let j = 0; j < present; j++) if (v.idx[j] >>> 0 >= size) throw new ParquetDataError(`dictionary index ${v.idx[j]} out of range (the dictionary has ${size} entries)`)
    }
    this.curVals = v
    this.curDefs = defs
    this.curRow = row
    const b = this.builder
    if (b instanceof FloatBuilder) this.floats(b, v, defs, row, n)
    else if (b instanceof LabelBuilder) this.labels(b, v, defs, row, n)
    else if (b instanceof KeyBuilder) this.keys(b, v, defs, row, n)
    else this.lists(b as KeyListBuilder, v, defs, row, n)
    return n
  }

  /**
   * The hot case of a BIGINT id column: PLAIN INT64 without NULLs, every value in [0, 2^31), read
   * as deferred keys straight from the words. Returns false (nothing written) for other values.
   */
  private plainIdKeys(b: KeyBuilder, d: Uint8Array, pos: number, end: number, row: number, n: number): boolean {
    if (pos + 8 * n > end) throw new ParquetDataError('page holds fewer values than its header says')
    const nw = 2 * n
    let w: Int32Array
    // the words in place when they are aligned (a REQUIRED column), else a copy (an OPTIONAL
    // column's values follow its levels)
    if ((d.byteOffset + pos) % 4 === 0) w = new Int32Array(d.buffer, d.byteOffset + pos, nw)
    else {
      if (this.words.length < nw) this.words = new Int32Array(Math.max(nw, 1024))
      w = this.words
      new Uint8Array(w.buffer, w.byteOffset, 4 * nw).set(d.subarray(pos, pos + 4 * nw))
    }
    // one pass; rows written before a value outside [0, 2^31) are written again by the general
    // path (and a large key's handle the builder made on the way stays unused)
    const out = b.data
    for (let j = 0; j < n; j++) {
      const x = w[2 * j]
      if ((w[2 * j + 1] | (x >>> 31)) !== 0) return false
      out[row + j] = x < DENSE_MAX ? -x - 1 : b.deferredInt(x)
    }
    return true
  }

  /**
   * The hot case of a label column: dictionary indices (at most 8 bits) without NULLs into a
   * dictionary of good labels (0 and 1), unpacked straight into the column and mapped there.
   * Returns false (nothing written) otherwise.
   */
  private dictLabelsInto(b: LabelBuilder, d: Uint8Array, pos: number, end: number, row: number, n: number): boolean {
    const dict = this.dict
    if (dict === null || n === 0 || pos >= end || d[pos] > 8) return false
    const t = this.labelTable()
    if (t.includes(BAD_LABEL)) return false
    const out = b.data.subarray(row, row + n)
    decodeHybrid(d, pos + 1, end, d[pos], out, n)
    const size = dict.n
    for (let j = 0; j < n; j++) {
      const k = out[j]
      if (k >= size) throw new ParquetDataError(`dictionary index ${k} out of range (the dictionary has ${size} entries)`)
      out[j] = t[k]
    }
    this.curVals = null
    this.curDefs = null
    this.curRow = row
    return true
  }

  /** Decode `n` PLAIN values at d[pos, end); `own`: into new arrays (a dictionary kept for the chunk). */
  private plain(d: Uint8Array, pos: number, end: number, n: number, own: boolean): Values {
    const type = this.leaf.type
    if (type === 'BOOLEAN') {
      if (pos + ((n + 7) >> 3) > end) throw new ParquetDataError('page holds fewer values than its header says')
      const v = values(BOOL, n)
      if (!own && this.u8.length < n) this.u8 = new Uint8Array(n)
      v.bool = own ? new Uint8Array(n) : this.u8
      for (let j = 0; j < n; j++) v.bool[j] = (d[pos + (j >> 3)] >> (j & 7)) & 1
      return v
    }
    if (type === 'BYTE_ARRAY') {
      const v = values(BYTES, n)
      const offs = own ? new Int32Array(2 * n) : this.offsets(2 * n)
      let p = pos
      for (let j = 0; j < n; j++) {
        const len = u32(d, p, end)
        const s = p + 4
        p = s + len
        if (p > end) throw new ParquetDataError('string runs past the page')
        offs[2 * j] = s
        offs[2 * j + 1] = p
      }
      v.bytes = d
      v.offs = offs
      return v
    }
    const width = type === 'INT32' || type === 'FLOAT' ? 4 : 8
    if (pos + width * n > end) throw new ParquetDataError('page holds fewer values than its header says')
    const v = values(NUM, n)
    if (!own && this.f64.length < n) this.f64 = new Float64Array(n)
    const num = own ? new Float64Array(n) : this.f64
    v.num = num
    if (type === 'DOUBLE') {
      new Uint8Array(num.buffer, num.byteOffset, 8 * n).set(d.subarray(pos, pos + 8 * n))
      return v
    }
    // an aligned copy of the words
    const nw = (width / 4) * n
    if (this.words.length < nw) this.words = new Int32Array(Math.max(nw, 1024))
    const w = own ? new Int32Array(nw) : this.words
    new Uint8Array(w.buffer, w.byteOffset, 4 * nw).set(d.subarray(pos, pos + 4 * nw))
    const unsigned = this.leaf.unsigned
    if (type === 'FLOAT') {
      const f = new Float32Array(w.buffer, w.byteOffset, n)
      for (let j = 0; j < n; j++) num[j] = f[j]
      return v
    }
    v.ints = true
    if (type === 'INT32') {
      if (unsigned) for (let j = 0; j < n; j++) num[j] = w[j] >>> 0
      else for (let j = 0; j < n; j++) num[j] = w[j]
      return this.leaf.scale > 0 ? this.scaled(v, n, own) : v
    }
    // INT64: hi * 2^32 + lo is one correctly rounded addition of two exact doubles
    let wide = false
    if (unsigned) {
      for (let j = 0; j < n; j++) {
        const hi = w[2 * j + 1] >>> 0
        num[j] = hi * 4294967296 + (w[2 * j] >>> 0)
        if (hi >= 2097152) wide = true
      }
    } else {
      for (let j = 0; j < n; j++) {
        const hi = w[2 * j + 1]
        num[j] = hi * 4294967296 + (w[2 * j] >>> 0)
        if (hi >= 2097152 || hi < -2097152) wide = true
      }
    }
    if (wide) v.i64 = w
    return this.leaf.scale > 0 ? this.scaled(v, n, own) : v
  }

  /**
   * DECIMAL values: num becomes unscaled / 10^scale, one correctly rounded division as the CSV
   * reader computes its text (beyond 2^53 the exact text is parsed); dec keeps the integers.
   */
  private scaled(v: Values, n: number, own: boolean): Values {
    const scale = this.leaf.scale
    const dec = own ? new Float64Array(n) : this.decScratch(n)
    dec.set(v.num.subarray(0, n))
    const p = 10 ** scale
    for (let j = 0; j < n; j++) {
      const x = dec[j]
      if (x > -9007199254740992 && x < 9007199254740992) v.num[j] = x / p
      else {
        const t = withDecimals(textOf({...v, dec: null}, j, false), scale)
        v.num[j] = parseNumber(new TextEncoder().encode(t), 0, t.length)
      }
    }
    v.ints = false
    v.dec = dec
    v.scale = scale
    return v
  }

  private decBuf = EMPTY_F64
  private decScratch(n: number): Float64Array {
    if (this.decBuf.length < n) this.decBuf = new Float64Array(n)
    return this.decBuf
  }

  private offsets(n: number): Int32Array {
    if (this.ints.length < n) this.ints = new Int32Array(n)
    return this.ints
  }

  private scratchF64(n: number): Float64Array {
    if (this.f64.length < n) this.f64 = new Float64Array(n)
    return this.f64
  }

  // --- typing into the builders ---------------------------------------------------------------

  /** Row `row`'s value was rejected with `code`. */
  private bad(row: number, code: number): void {
    raiseStatus(this.status, row, code)
    if (this.first === undefined && code >= this.threshold) this.first = {row, code, text: this.textAt(row)}
  }

  /** The text of the value at `row` of the current page (null for a NULL). */
  private textAt(row: number): string | null {
    const i = row - this.curRow
    const defs = this.curDefs
    if (defs !== null && !defs[i]) return null
    let j = i
    if (defs !== null) {
      j = 0
      for (let k = 0; k < i; k++) j += defs[k]
    }
    const v = this.curVals
    if (v === null) return String((this.builder as FloatBuilder).data[row])
    if (v.form === INDEX) return textOf(this.dict as Values, v.idx[j], this.leaf.unsigned)
    return textOf(v, j, this.leaf.unsigned)
  }

  private checkFloats(row: number, n: number): void {
    const b = this.builder as FloatBuilder
    const out = b.data
    const end = row + n
    if (b.nonNegative) {
      for (let i = row; i < end; i++) {
        const x = out[i]
        if (x - x !== 0) this.bad(i, INVALID)
        else if (x < 0) this.bad(i, FATAL)
      }
    } else {
      for (let i = row; i < end; i++) {
        const x = out[i]
        if (x - x !== 0) this.bad(i, INVALID)
      }
    }
  }

  /** Dictionary entry k as a number, by the CSV rules (text is parsed; booleans are no numbers). */
  private floatTable(): Float64Array {
    if (this.dictFloats === null) {
      const dv = this.dict as Values
      const t = new Float64Array(dv.n)
      for (let k = 0; k < dv.n; k++) t[k] = dv.form === NUM ? dv.num[k] : dv.form === BYTES ? parseNumber(dv.bytes, dv.offs[2 * k], dv.offs[2 * k + 1]) : NaN
      this.dictFloats = t
    }
    return this.dictFloats
  }

  private floats(b: FloatBuilder, v: Values, defs: Uint8Array | null, row: number, n: number): void {
    const out = b.data
    let src: Float64Array
    const m = v.n
    if (v.form === NUM) src = v.num
    else {
      src = this.scratchF64(m)
      if (v.form === INDEX) {
        const t = this.floatTable()
        const idx = v.idx
        for (let j = 0; j < m; j++) src[j] = t[idx[j]]
      } else if (v.form === BYTES) {
        const offs = v.offs
        for (let j = 0; j < m; j++) src[j] = parseNumber(v.bytes, offs[2 * j], offs[2 * j + 1])
      } else src.fill(NaN, 0, m)
    }
    if (defs === null) out.set(src.subarray(0, n), row)
    else {
      let j = 0
      for (let i = 0; i < n; i++) out[row + i] = defs[i] ? src[j++] : NaN
    }
    this.checkFloats(row, n)
  }

  private labelTable(): Uint8Array {
    if (this.dictLabels === null) {
      const dv = this.dict as Values
      const t = new Uint8Array(dv.n)
      for (let k = 0; k < dv.n; k++) t[k] = labelAt(dv, k)
      this.dictLabels = t
    }
    return this.dictLabels
  }

  private labels(b: LabelBuilder, v: Values, defs: Uint8Array | null, row: number, n: number): void {
    const out = b.data
    const m = v.n
    let bad = defs !== null
    if (v.form === INDEX) {
      const t = this.labelTable()
      for (let k = 0; k < t.length && !bad; k++) bad = t[k] === BAD_LABEL
      const idx = v.idx
      if (defs === null) for (let j = 0; j < m; j++) out[row + j] = t[idx[j]]
      else {
        let j = 0
        for (let i = 0; i < n; i++) out[row + i] = defs[i] ? t[idx[j++]] : BAD_LABEL
      }
    } else {
      bad = true
      if (defs === null) for (let j = 0; j < m; j++) out[row + j] = labelAt(v, j)
      else {
        let j = 0
        for (let i = 0; i < n; i++) out[row + i] = defs[i] ? labelAt(v, j++) : BAD_LABEL
      }
    }
    // a dictionary of good labels and no NULLs: nothing to check
    if (bad) for (let i = row; i < row + n; i++) if (out[i] === BAD_LABEL) this.bad(i, INVALID)
  }

  /**
   * The key of present value j (not a dictionary index) by the CSV rules, as the KeyBuilder's
   * deferred value (-(v + 1) for a small integer v, else a pending handle): the builder gives ids
   * in row order when it settles, as for CSV (keys of dropped rows never get one).
   */
  private keyOf(b: KeyBuilder, v: Values, j: number): number {
    if (v.form === NUM) {
      if (v.dec !== null) return b.deferred(textOf(v, j, false))
      const x = v.num[j]
      // canonical integer texts (no sign, at most 15 digits) are hashed as numbers, as CSV does
      if (x >= 0 && x < 1e15 && (v.ints || Number.isInteger(x))) return x < DENSE_MAX ? -x - 1 : b.deferredInt(x)
      return b.deferred(textOf(v, j, this.leaf.unsigned))
    }
    if (v.form === BYTES) {
      const s = v.offs[2 * j]
      const e = v.offs[2 * j + 1]
      const x = canonicalIntOf(v.bytes, s, e)
      return x < 0 ? b.deferred(utf8.decode(v.bytes.subarray(s, e))) : x < DENSE_MAX ? -x - 1 : b.deferredInt(x)
    }
    return b.deferred(v.bool[j] ? 'true' : 'false')
  }

  private keys(b: KeyBuilder, v: Values, defs: Uint8Array | null, row: number, n: number): void {
    const out = b.data
    if (v.form === INDEX) {
      // each dictionary entry's key once per chunk (UNSET: not seen yet), then a gather
      if (this.dictKeys === null) this.dictKeys = new Int32Array((this.dict as Values).n).fill(UNSET)
      const map = this.dictKeys
      const dv = this.dict as Values
      const idx = v.idx
      let j = 0
      for (let i = 0; i < n; i++) {
        if (defs !== null && !defs[i]) {
          out[row + i] = b.deferred('')
          continue
        }
        const k = idx[j++]
        let id = map[k]
        if (id === UNSET) id = map[k] = this.keyOf(b, dv, k)
        out[row + i] = id
      }
      return
    }
    if (v.form === NUM && v.ints && v.i64 === null && v.dec === null && defs === null) {
      // integer ids: the hot loop of a BIGINT user_id column
      const num = v.num
      for (let i = 0; i < n; i++) {
        const x = num[i]
        out[row + i] = x >= 0 && x < DENSE_MAX ? -x - 1 : x >= 0 && x < 1e15 ? b.deferredInt(x) : b.deferred(String(x))
      }
      return
    }
    if (v.form === BYTES) {
      const offs = v.offs
      let j = 0
      for (let i = 0; i < n; i++) {
        if (defs !== null && !defs[i]) b.setBytes(row + i, v.bytes, 0, 0)
        else {
          b.setBytes(row + i, v.bytes, offs[2 * j], offs[2 * j + 1])
          j++
        }
      }
      return
    }
    let j = 0
    for (let i = 0; i < n; i++) out[row + i] = defs !== null && !defs[i] ? b.deferred('') : this.keyOf(b, v, j++)
  }

  private lists(b: KeyListBuilder, v: Values, defs: Uint8Array | null, row: number, n: number): void {
    const dv = v.form === INDEX ? (this.dict as Values) : v
    let j = 0
    for (let i = 0; i < n; i++) {
      const r = row + i
      let code = OK
      if (defs !== null && !defs[i]) code = b.setValue(r, '')
      else {
        const k = v.form === INDEX ? v.idx[j] : j
        j++
        if (dv.form === BYTES) code = b.setBytes(r, dv.bytes, dv.offs[2 * k], dv.offs[2 * k + 1])
        else code = b.setValue(r, textOf(dv, k, this.leaf.unsigned))
      }
      if (code !== OK) this.bad(r, code)
    }
  }
}

/**
 * Raise status[row] to `code` (never lower it). Atomic: with two reading threads (parquet-split.ts)
 * the status is shared, and a row's number columns and its key-list or slow columns may be typed
 * by different threads.
 */
export function raiseStatus(status: Uint8Array, row: number, code: number): void {
  for (;;) {
    const cur = Atomics.load(status, row)
    if (code <= cur || Atomics.compareExchange(status, row, cur, code) === cur) return
  }
}

/** Whether any row's status is not OK (OK is 0), four rows at a time. */
export function anyNonZero(status: Uint8Array): boolean {
  const n = status.length
  const head = Math.min((4 - (status.byteOffset % 4)) % 4, n)
  for (let i = 0; i < head; i++) if (status[i] !== 0) return true
  const words = new Int32Array(status.buffer, status.byteOffset + head, (n - head) >> 2)
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return true
  for (let i = head + 4 * words.length; i < n; i++) if (status[i] !== 0) return true
  return false
}

function labelAt(v: Values, j: number): number {
  if (v.form === NUM) {
    const x = v.num[j]
    return x === 0 ? 0 : x === 1 ? 1 : BAD_LABEL
  }
  if (v.form === BOOL) return v.bool[j]
  return parseLabel(v.bytes, v.offs[2 * j], v.offs[2 * j + 1])
}
