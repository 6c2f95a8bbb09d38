/**
 * The typed column table every reader produces: one typed array per needed column, all of the
 * same length. Scores and weights are Float64Array, labels Uint8Array (0/1), keys Int32Array ids
 * into a dictionary (shared between files when the caller passes the same `KeyDict`), and key
 * lists (several items in one field) an offsets array plus an ids array.
 */

export type ColumnKind = 'float' | 'label' | 'key' | 'keylist'

/**
 * Open-addressing hash from non-negative integers (< 2^53) to Int32 ids, on typed arrays:
 * several times faster than a Map for the 10M-row key columns of a dump.
 */
export const DENSE_MAX = 1 << 24

class IntHash {
  private keys = new Float64Array(1 << 12).fill(-1)
  private vals = new Int32Array(1 << 12)
  private mask = (1 << 12) - 1
  private count = 0

  private slot(k: number): number {
    let h: number
    if (k < 2147483648) h = Math.imul(k | 0, 0x9e3779b1)
    else {
      const hi = Math.floor(k / 4294967296)
      h = Math.imul((k - hi * 4294967296) ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1)
    }
    return (h ^ (h >>> 15)) & this.mask
  }

  get(k: number): number {
    const keys = this.keys
    let i = this.slot(k)
    for (;;) {
      const x = keys[i]
      if (x === k) return this.vals[i]
      if (x === -1) return -1
      i = (i + 1) & this.mask
    }
  }

  set(k: number, v: number): void {
    if (2 * (this.count + 1) > this.keys.length) this.rehash()
    let i = this.slot(k)
    while (this.keys[i] !== -1) i = (i + 1) & this.mask
    this.keys[i] = k
    this.vals[i] = v
    this.count++
  }

  private rehash(): void {
    const oldK = this.keys
    const oldV = this.vals
    this.keys = new Float64Array(oldK.length * 2).fill(-1)
    this.vals = new Int32Array(oldK.length * 2)
    this.mask = oldK.length * 2 - 1
    this.count = 0
    for (let i = 0; i < oldK.length; i++) if (oldK[i] !== -1) this.set(oldK[i], oldV[i])
  }
}

export interface ExportedDict {
  ints: Float64Array
  texts: [number, string][]
}

/**
 * A dictionary from key text to dense Int32 ids (0, 1, 2, ... in order of first appearance),
 * shared between columns and files. Canonical integers (no sign, no leading zero, at most 15
 * digits) are hashed as numbers without building a string; their text is made only when
 * `values` is read.
 */
export class KeyDict {
  private readonly nums = new IntHash()
  private readonly strs = new Map<string, number>()
  /** the integer of each id, NaN for ids of non-integer text */
  private ints = new Float64Array(1024)
  private texts = new Map<number, string>()
  private n = 0
  private cache: string[] | undefined

  get size(): number {
    return this.n
  }

  /** id -> key text (built on first use, then kept up to date) */
  get values(): string[] {
    if (!this.cache) {
      const out: string[] = new Array(this.n)
      for (let id = 0; id < this.n; id++) out[id] = this.text(id)
      this.cache = out
    }
    return this.cache
  }

  /** The text of one id. */
  text(id: number): string {
    const v = this.ints[id]
    return v === v ? String(v) : (this.texts.get(id) as string)
  }

  private add(int: number, text: string | undefined): number {
    const id = this.n++
    if (id === this.ints.length) {
      const grown = new Float64Array(this.ints.length * 2)
      grown.set(this.ints)
      this.ints = grown
    }
    this.ints[id] = int
    if (text !== undefined) this.texts.set(id, text)
    this.cache?.push(text ?? String(int))
    return id
  }

  /** The id of `text`, inserted when new. */
  id(text: string): number {
    if (isCanonicalInt(text)) return this.idOfInt(Number(text))
    let id = this.strs.get(text)
    if (id === undefined) {
      id = this.add(NaN, text)
      this.strs.set(text, id)
    }
    return id
  }

  /** The id of a canonical non-negative integer key, inserted when new. */
  idOfInt(k: number): number {
    if (k < DENSE_MAX) {
      let dense = this.dense
      if (k >= dense.length) dense = this.growDense(k)
      let id = dense[k]
      if (id < 0) {
        id = this.add(k, undefined)
        dense[k] = id
      }
      return id
    }
    let id = this.nums.get(k)
    if (id === -1) {
      id = this.add(k, undefined)
      this.nums.set(k, id)
    }
    return id
  }

  /** Small integer keys (user ids < 2^24) index a direct table: one cache-friendly read per row. */
  private dense: Int32Array = new Int32Array(0)

  /** The direct table (id of small integer k, or -1; read-only for callers; replaced as it grows). */
  get denseTable(): Int32Array {
    return this.dense
  }

  private growDense(k: number): Int32Array {
    let size = Math.max(1024, this.dense.length)
    while (size <= k) size *= 2
    const grown = new Int32Array(Math.min(size, DENSE_MAX)).fill(-1)
    grown.set(this.dense)
    this.dense = grown
    return grown
  }

  /** The dictionary's contents, for sending to another thread. */
  export(): ExportedDict {
    return {ints: this.ints.slice(0, this.n), texts: [...this.texts]}
  }

  /**
   * Insert the keys of another dictionary (in its id order) and return the translation from
   * its ids to ours.
   */
  absorb(other: ExportedDict): Int32Array {
    const texts = new Map(other.texts)
    const out = new Int32Array(other.ints.length)
    for (let id = 0; id < other.ints.length; id++) {
      const v = other.ints[id]
      out[id] = v === v ? this.idOfInt(v) : this.id(texts.get(id) as string)
    }
    return out
  }

  /** The id of `text` without inserting it; -1 when absent. */
  lookup(text: string): number {
    if (isCanonicalInt(text)) {
      const k = Number(text)
      if (k < DENSE_MAX) return k < this.dense.length ? this.dense[k] : -1
      return this.nums.get(k)
    }
    return this.strs.get(text) ?? -1
  }
}

function isCanonicalInt(t: string): boolean {
  const n = t.length
  if (n === 0 || n > 15) return false
  if (n > 1 && t.charCodeAt(0) === 48) return false
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

export interface FloatColumn {
  kind: 'float'
  name: string
  data: Float64Array
}
export interface LabelColumn {
  kind: 'label'
  name: string
  data: Uint8Array
}
export interface KeyColumn {
  kind: 'key'
  name: string
  data: Int32Array
  dict: KeyDict
}
export interface KeyListColumn {
  kind: 'keylist'
  name: string
  /** row r's items are ids[offsets[r] .. offsets[r+1]) */
  offsets: Int32Array
  ids: Int32Array
  dict: KeyDict
}
export type Column = FloatColumn | LabelColumn | KeyColumn | KeyListColumn

export interface SourceInfo {
  /** the path as the user gave it ('-' for stdin) */
  path: string
  format: string
  /** bytes read from the file (compressed size for .gz) */
  bytes: number
  /** modification time of the file, ISO 8601; absent for stdin */
  mtime?: string
  /** SHA-256 of the bytes read, when asked for */
  sha256?: string
}

export interface Table {
  source: SourceInfo
  header: string[]
  rows: number
  /** rows dropped by --drop-invalid */
  dropped: number
  columns: Map<string, Column>
}

export function floatColumn(t: Table, name: string): Float64Array {
  const c = t.columns.get(name)
  if (!c || c.kind !== 'float') throw new Error(`no float column ${name}`)
  return c.data
}
export function labelColumn(t: Table, name: string): Uint8Array {
  const c = t.columns.get(name)
  if (!c || c.kind !== 'label') throw new Error(`no label column ${name}`)
  return c.data
}
export function keyColumn(t: Table, name: string): KeyColumn {
  const c = t.columns.get(name)
  if (!c || c.kind !== 'key') throw new Error(`no key column ${name}`)
  return c
}
export function keyListColumn(t: Table, name: string): KeyListColumn {
  const c = t.columns.get(name)
  if (!c || c.kind !== 'keylist') throw new Error(`no key list column ${name}`)
  return c
}
