import {BAD_LABEL, labelOf, numberOf, parseLabel, parseNumber} from './numbers.js'
import {Column, ColumnKind, KeyDict} from './table.js'

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
  abstract grow(capacity: number): void
  /** value from bytes [s, e) of an unquoted field */
  abstract setBytes(row: number, b: Uint8Array, s: number, e: number): number
  /** value from a decoded string (quoted field, JSON value) */
  abstract setValue(row: number, v: unknown): number
  /** why `text` was rejected, for the error message */
  abstract reason(text: string): string
  abstract finish(rows: number): Column
}

function resized<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const out = new (a.constructor as new (n: number) => T)(n)
  out.set(a.subarray(0, Math.min(a.length, n)) as never)
  return out
}

/** Release the unused tail when it is large; otherwise keep a view. */
function trimmed<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  return a.length > n * 1.125 + 1024 ? resized(a, n) : (a.subarray(0, n) as T)
}

export class FloatBuilder extends Builder {
  data = new Float64Array(0)
  constructor(name: string, readonly nonNegative = false) {
    super(name, 'float')
  }
  grow(cap: number): void {
    this.data = resized(this.data, cap)
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

export class LabelBuilder extends Builder {
  data = new Uint8Array(0)
  constructor(name: string) {
    super(name, 'label')
  }
  grow(cap: number): void {
    this.data = resized(this.data, cap)
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

/** Id of the key in bytes [s, e): canonical integers skip building a string. */
export function keyIdOfBytes(dict: KeyDict, b: Uint8Array, s: number, e: number): number {
  const n = e - s
  if (n > 0 && n <= 15 && (n === 1 || b[s] !== 48)) {
    let v = 0
    let i = s
    for (; i < e; i++) {
      const c = b[i] - 48
      if (c < 0 || c > 9) break
      v = v * 10 + c
    }
    if (i === e) return dict.idOfInt(v)
  }
  return dict.id(utf8.decode(b.subarray(s, e)))
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

export class KeyBuilder extends Builder {
  data = new Int32Array(0)
  private readonly recent = new RecentKeys()
  constructor(name: string, readonly dict: KeyDict) {
    super(name, 'key')
  }
  grow(cap: number): void {
    this.data = resized(this.data, cap)
  }
  setBytes(row: number, b: Uint8Array, s: number, e: number): number {
    let id = this.recent.get(b, s, e)
    if (id < 0) {
      id = keyIdOfBytes(this.dict, b, s, e)
      if (this.dict.size <= 256) this.recent.put(b, s, e, id)
    }
    this.data[row] = id
    return OK
  }
  setValue(row: number, v: unknown): number {
    if (v === null || v === undefined || typeof v === 'object') return INVALID
    this.data[row] = this.dict.id(String(v))
    return OK
  }
  reason(text: string): string {
    return `${text === '' ? 'missing value' : JSON.stringify(text) + ' is not a key'} (a key is a string or a number)`
  }
  finish(rows: number): Column {
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
