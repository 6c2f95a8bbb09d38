import {UsageError} from '../cli/errors.js'
import {BAD_LABEL, labelOf, numberOf, parseLabel, parseNumber} from './numbers.js'
import {Column, ColumnKind, DENSE_MAX, ExportedDict, KeyDict} from './table.js'

/**
 * Growable typed arrays filled by the readers, one per needed column. `set*` writes the value of
 * the current row; the reader commits or discards the row afterwards, so a dropped row costs
 * nothing but being overwritten.
 * Each setter returns OK, INVALID (a value --drop-invalid may drop) or FATAL (an error even with
 * --drop-invalid, such as a negative weight); `reason` says what is wrong with a rejected text.
 */
export const OK = 0
export const INVALID = 1
export const FATAL = 2

export abstract class Builder {
  constructor(readonly name: string, readonly kind: ColumnKind) {}
  /** resize to `capacity` rows; `shared`: into shared memory (the final column of a parallel read) */
  abstract grow(capacity: number, shared?: boolean): void
  /** value from bytes [s, e) of an unquoted field */
  abstract setBytes(row: number, b: Uint8Array, s: number, e: number): number
  /** value from a decoded string (quoted field, JSON value) */
  abstract setValue(row: number, v: unknown): number
  /** why `text` was rejected, for the error message */
  abstract reason(text: string): string
  abstract finish(rows: number): Column
  /** rows the storage holds now */
  abstract capacity(): number
}

/** A builder whose rows live in one typed array (every kind but keylist). */
export abstract class ArrayBuilder<T extends ColumnArray> extends Builder {
  abstract data: T
  capacity(): number {
    return this.data.length
  }
  /** Write the rows into `view` (e.g. part of a SharedArrayBuffer) from row 0 on; it is replaced by a private array if it must grow. */
  adopt(view: T): void {
    this.data = view
  }
}

type TypedCtor<T> = {new (n: number): T; new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number}

/** `a` copied into a new array of length n; `shared`: backed by a SharedArrayBuffer, so worker threads can read it without a copy. */
function resized<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number, shared = false): T {
  const C = a.constructor as TypedCtor<T>
  const out = shared ? new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT)) : new C(n)
  out.set(a.subarray(0, Math.min(a.length, n)) as never)
  return out
}

/**
 * Release the unused tail when it is large; otherwise keep a view. Shared memory (a two-thread
 * read) is always kept as a view: it was sized from the row estimate, and a copy would be garbage
 * the size of the column until the next GC.
 */
function trimmed<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  return a.length > n * 1.125 + 1024 && !(a.buffer instanceof SharedArrayBuffer) ? resized(a, n) : (a.subarray(0, n) as T)
}

/** The typed array a column of this kind is stored in (for shared-memory reads). */
export type ColumnArray = Float64Array | Uint8Array | Int32Array
export const ARRAY_OF = {float: Float64Array, label: Uint8Array, key: Int32Array} as const
export type ArrayKind = keyof typeof ARRAY_OF

/** A view of `length` elements of a column of `kind` from element `offset` of a shared buffer. */
export function sharedView(kind: ArrayKind, buffer: SharedArrayBuffer, offset: number, length: number): ColumnArray {
  const C = ARRAY_OF[kind] as unknown as {new (b: SharedArrayBuffer, byteOffset: number, length: number): ColumnArray; BYTES_PER_ELEMENT: number}
  return new C(buffer, offset * C.BYTES_PER_ELEMENT, length)
}

export class FloatBuilder extends ArrayBuilder<Float64Array> {
  data = new Float64Array(0)
  constructor(name: string, readonly nonNegative = false) {
    super(name, 'float')
  }
  grow(cap: number, shared = false): void {
    this.data = resized(this.data, cap, shared)
  }
  setBytes(row: number, b: Uint8Array, s: number, e: number): number {
    const v = parseNumber(b, s, e)
    this.data[row] = v
    return v !== v ? INVALID : this.nonNegative && v < 0 ? FATAL : OK
  }
  setValue(row: number, v: unknown): number {
    const x = numberOf(v)
    this.data[row] = x
    return x !== x ? INVALID : this.nonNegative && x < 0 ? FATAL : OK
  }
  reason(text: string): string {
    const t = text.trim()
    if (t === '') return 'empty value where a number is needed'
    if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return `${JSON.stringify(text)} is not a finite number`
    if (this.nonNegative && Number(t) < 0) return `${t} is negative; weights must be >= 0`
    return `${JSON.stringify(text)} is not a number`
  }
  finish(rows: number): Column {
    return {kind: 'float', name: this.name, data: trimmed(this.data, rows)}
  }
}

export class LabelBuilder extends ArrayBuilder<Uint8Array> {
  data = new Uint8Array(0)
  constructor(name: string) {
    super(name, 'label')
  }
  grow(cap: number, shared = false): void {
    this.data = resized(this.data, cap, shared)
  }
  setBytes(row: number, b: Uint8Array, s: number, e: number): number {
    const v = parseLabel(b, s, e)
    this.data[row] = v
    return v === BAD_LABEL ? INVALID : OK
  }
  setValue(row: number, v: unknown): number {
    const x = labelOf(v)
    this.data[row] = x
    return x === BAD_LABEL ? INVALID : OK
  }
  reason(text: string): string {
    return `${JSON.stringify(text)} is not a label (expected 0, 1, true or false)`
  }
  finish(rows: number): Column {
    return {kind: 'label', name: this.name, data: trimmed(this.data, rows)}
  }
}

const utf8 = new TextDecoder('utf-8')

/** The canonical non-negative integer of bytes [s, e) (at most 15 digits, no leading zero), else -1. */
export function canonicalIntOf(b: Uint8Array, s: number, e: number): number {
  const n = e - s
  if (n <= 0 || n > 15 || (n > 1 && b[s] === 48)) return -1
  let v = 0
  for (let i = s; i < e; i++) {
    const c = b[i] - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/** Id of the key in bytes [s, e): canonical integers skip building a string. */
export function keyIdOfBytes(dict: KeyDict, b: Uint8Array, s: number, e: number): number {
  const v = canonicalIntOf(b, s, e)
  return v >= 0 ? dict.idOfInt(v) : dict.id(utf8.decode(b.subarray(s, e)))
}

/**
 * A direct-mapped cache from key bytes to ids in front of the dictionary, filled while the
 * dictionary is small: low-cardinality string keys (arm names, days) then skip decoding each field
 * to a string, which otherwise dominates reading them. Ids never change, so entries stay valid.
 */
class RecentKeys {
  private readonly bytes: (Uint8Array | undefined)[] = new Array(256)
  private readonly ids = new Int32Array(256)

  private static slot(b: Uint8Array, s: number, e: number): number {
    let h = e - s
    for (let i = s; i < e; i++) h = (Math.imul(h, 31) + b[i]) | 0
    return (h ^ (h >>> 8)) & 255
  }

  get(b: Uint8Array, s: number, e: number): number {
    const k = RecentKeys.slot(b, s, e)
    const c = this.bytes[k]
    if (c === undefined || c.length !== e - s) return -1
    for (let i = 0; i < c.length; i++) if (c[i] !== b[s + i]) return -1
    return this.ids[k]
  }

  put(b: Uint8Array, s: number, e: number, id: number): void {
    const k = RecentKeys.slot(b, s, e)
    this.bytes[k] = b.slice(s, e)
    this.ids[k] = id
  }
}

/**
 * Key columns are dictionary-encoded lazily. While a file is read, a row holds either a final id
 * (>= 0, written straight into `data` by a reader that has one) or a deferred value (< 0): a
 * small canonical integer v (< DENSE_MAX, user ids) as -(v + 1), anything else as
 * -(DENSE_MAX + 1 + h) with h a handle in a private dictionary. `settle` turns deferred rows into
 * ids of the shared dictionary in row order, so ids keep first-appearance order. Deferring the
 * lookup takes the random access into the id table out of the byte-parsing loop: done there it
 * costs a cache miss per row that the parser cannot overlap (about 2 s per 10M rows with 1M
 * users); done in one tight pass the misses overlap (about 0.1 s).
 */
const HANDLE0 = DENSE_MAX + 1

export class KeyBuilder extends ArrayBuilder<Int32Array> {
  data = new Int32Array(0)
  private recent = new RecentKeys()
  /** keys that are not small integers, until settled */
  private pending = new KeyDict()
  /** rows before this one hold final ids */
  private settled = 0
  constructor(name: string, readonly dict: KeyDict) {
    super(name, 'key')
  }
  grow(cap: number, shared = false): void {
    this.data = resized(this.data, cap, shared)
  }
  setBytes(row: number, b: Uint8Array, s: number, e: number): number {
    const v = canonicalIntOf(b, s, e)
    if (v >= 0 && v < DENSE_MAX) {
      this.data[row] = -v - 1
      return OK
    }
    let h = this.recent.get(b, s, e)
    if (h < 0) {
      h = keyIdOfBytes(this.pending, b, s, e)
      if (this.pending.size <= 256) this.recent.put(b, s, e, h)
    }
    this.data[row] = -HANDLE0 - h
    return OK
  }
  setValue(row: number, v: unknown): number {
    if (v === null || v === undefined || typeof v === 'object') return INVALID
    this.data[row] = this.deferred(String(v))
    return OK
  }
  /** The deferred value of a key text (for readers that have the text rather than bytes). */
  deferred(text: string): number {
    return -HANDLE0 - this.pending.id(text)
  }
  /** The deferred value of a canonical integer key at or above DENSE_MAX (below 10^15). */
  deferredInt(v: number): number {
    return -HANDLE0 - this.pending.idOfInt(v)
  }
  /** Encode the deferred rows in [settled, rows) into the shared dictionary, in row order. */
  settle(rows: number): void {
    const data = this.data
    const dict = this.dict
    const pending = this.pending
    let map: Int32Array | undefined
    // small integers look up the dictionary's direct table here, inline (a call per row costs
    // about a tenth more); a new key goes through idOfInt, which may grow the table
    let dense = dict.denseTable
    for (let i = this.settled; i < rows; i++) {
      const x = data[i]
      if (x >= 0) continue
      if (x >= -DENSE_MAX) {
        const k = -x - 1
        const id = k < dense.length ? dense[k] : -1
        if (id >= 0) data[i] = id
        else {
          data[i] = dict.idOfInt(k)
          dense = dict.denseTable
        }
      } else {
        const h = -x - HANDLE0
        map ??= new Int32Array(pending.size).fill(-1)
        let id = map[h]
        if (id < 0) {
          id = dict.id(pending.text(h))
          map[h] = id
        }
        data[i] = id
      }
    }
    this.settled = Math.max(this.settled, rows)
  }
  /** How many keys hold a handle (not small integers) until settled. */
  get pendingSize(): number {
    return this.pending.size
  }
  /** The texts and integers behind this builder's deferred handles (another thread's rows use them). */
  exportPending(): ExportedDict {
    return this.pending.export()
  }
  /**
   * Rows [from, to) hold deferred values of another builder whose handles are `other` (its
   * exportPending): rewrite its handles as this builder's, so that settle reads them.
   */
  adoptDeferred(other: ExportedDict, from: number, to: number): void {
    if (other.ints.length === 0) return
    const trans = this.pending.absorb(other)
    const data = this.data
    for (let i = from; i < to; i++) {
      const x = data[i]
      if (x < -DENSE_MAX) data[i] = -HANDLE0 - trans[-x - HANDLE0]
    }
  }
  /** Rows up to `rows` hold final ids from now on (appended by another thread's reader). */
  markSettled(rows: number): void {
    this.settled = rows
  }
  reason(text: string): string {
    return `${text === '' ? 'missing value' : JSON.stringify(text) + ' is not a key'} (a key is a string or a number)`
  }
  /**
   * The column as it is, rows not given ids, when every deferred key is a small integer (its
   * value is the key, so another thread's builder can settle the rows itself); else undefined.
   */
  finishDeferred(rows: number): Column | undefined {
    if (this.pendingSize > 0) return undefined
    return {kind: 'key', name: this.name, data: trimmed(this.data, rows), dict: this.dict}
  }
  finish(rows: number): Column {
    this.settle(rows)
    this.pending = new KeyDict() // every row holds a final id now
    this.recent = new RecentKeys()
    return {kind: 'key', name: this.name, data: trimmed(this.data, rows), dict: this.dict}
  }
}

/**
 * Several keys in one field, split on `sep` (a string of separator characters; empty pieces are
 * skipped), e.g. a retrieved list "12,7,33" or "12 7 33". JSON arrays are taken as they are.
 */
export class KeyListBuilder extends Builder {
  offsets = new Int32Array(1)
  ids = new Int32Array(1024)
  private n = 0
  private readonly seps: Set<number>
  constructor(name: string, readonly dict: KeyDict, readonly sep: string) {
    super(name, 'keylist')
    this.seps = new Set([...sep].map((c) => c.charCodeAt(0)))
  }
  grow(cap: number): void {
    this.offsets = resized(this.offsets, cap + 1)
  }
  capacity(): number {
    return this.offsets.length - 1
  }
  private push(id: number): void {
    if (this.n === this.ids.length) this.ids = resized(this.ids, this.ids.length * 2)
    this.ids[this.n++] = id
  }
  setBytes(row: number, b: Uint8Array, s: number, e: number): number {
    this.n = this.offsets[row]
    let start = s
    for (let i = s; i <= e; i++) {
      if (i === e || this.seps.has(b[i])) {
        if (i > start) this.push(keyIdOfBytes(this.dict, b, start, i))
        start = i + 1
      }
    }
    this.offsets[row + 1] = this.n
    return OK
  }
  setValue(row: number, v: unknown): number {
    this.n = this.offsets[row]
    if (Array.isArray(v)) {
      for (const x of v) {
        if (x === null || typeof x === 'object') return INVALID
        this.push(this.dict.id(String(x)))
      }
    } else if (typeof v === 'string') {
      let piece = ''
      for (const ch of v + [...this.seps].map((c) => String.fromCharCode(c))[0]) {
        if (this.seps.has(ch.charCodeAt(0))) {
          if (piece) this.push(this.dict.id(piece))
          piece = ''
        } else piece += ch
      }
    } else if (typeof v === 'number') this.push(this.dict.id(String(v)))
    else return INVALID
    this.offsets[row + 1] = this.n
    return OK
  }
  reason(text: string): string {
    return `${JSON.stringify(text)} is not a list of keys`
  }
  /** Append rows given as offsets/ids (another thread's), translating ids, after row `rows`. */
  appendLists(rows: number, offsets: Int32Array, ids: Int32Array, trans: Int32Array): void {
    this.n = this.offsets[rows]
    for (let r = 0; r + 1 < offsets.length; r++) {
      for (let k = offsets[r]; k < offsets[r + 1]; k++) this.push(trans[ids[k]])
      this.offsets[rows + r + 1] = this.n
    }
  }
  finish(rows: number): Column {
    return {kind: 'keylist', name: this.name, offsets: trimmed(this.offsets, rows + 1), ids: trimmed(this.ids, this.offsets[rows]), dict: this.dict}
  }
}

/** What a builder needs to know about its column (a ColumnRequest or a FieldSpec both fit). */
export interface BuilderSpec {
  kind: ColumnKind
  nonNegative?: boolean
  sep?: string
  dict?: KeyDict
}

/** The builder for a column of the given kind (keys encode into `spec.dict`, else a new one). */
export function makeBuilder(spec: BuilderSpec, name: string): Builder {
  switch (spec.kind) {
    case 'float':
      return new FloatBuilder(name, spec.nonNegative)
    case 'label':
      return new LabelBuilder(name)
    case 'key':
      return new KeyBuilder(name, spec.dict ?? new KeyDict())
    case 'keylist':
      return new KeyListBuilder(name, spec.dict ?? new KeyDict(), spec.sep ?? ', ')
  }
}

/**
 * One builder per distinct column the requests resolved to (`names[i]` for request i; undefined:
 * an optional column that is absent). Two requests of one column must want the same kind; a
 * float column is non-negative when any of its requests says so.
 */
export function buildersFor(requests: readonly (BuilderSpec & {flag?: string; role: string})[], names: readonly (string | undefined)[]): Map<string, Builder> {
  const builders = new Map<string, Builder>()
  requests.forEach((r, i) => {
    const name = names[i]
    if (name === undefined) return
    const prev = builders.get(name)
    if (prev !== undefined && prev.kind !== r.kind) throw new UsageError(`column "${name}" cannot be both ${prev.kind} and ${r.kind} (${r.flag ?? r.role})`)
    if (prev === undefined) builders.set(name, makeBuilder(r, name))
    else if (r.nonNegative) (prev as FloatBuilder & {nonNegative: boolean}).nonNegative = true
  })
  return builders
}
