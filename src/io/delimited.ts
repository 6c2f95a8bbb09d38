import {InputError} from '../cli/errors.js'
import {Builder, FATAL, FloatBuilder, KeyBuilder, LabelBuilder, OK} from './builders.js'
import {parseLabel, parseNumber} from './numbers.js'
import {DENSE_MAX} from './table.js'

const LF = 10
const CR = 13
const QUOTE = 34
const utf8 = new TextDecoder('utf-8')

/** Where the caller's rows go: builders by field index (null = field not needed). */
export interface RowSink {
  slots: (Builder | null)[]
  /** make room for at least one more row */
  ensure(row: number): void
  /** rows the builders can hold now */
  capacity(): number
}

const SKIP = 0
const FLOAT = 1
const LABEL = 2
const KEY = 3
const OTHER = 4
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

/**
 * An RFC 4180 reader over byte chunks: delimiter-separated fields, fields in double quotes may
 * hold delimiters, newlines and doubled quotes; CRLF or LF line ends; blank lines are skipped.
 * Fast path: an unquoted field is scanned byte by byte and handed to its builder as a byte range
 * (no string); once the last needed field of a record is read and the chunk has no quote
 * character, the rest of the line is skipped with a native newline search.
 */
export class DelimitedParser {
  /** 1-based line number where the next record starts */
  line: number
  rows = 0
  dropped = 0
  private readonly last: number
  private qtext = ''
  private qlines = 0

  constructor(
    private readonly file: string,
    private readonly delim: number,
    private readonly header: string[],
    private readonly sink: RowSink,
    private readonly dropInvalid: boolean,
    firstLine: number,
  ) {
    this.line = firstLine
    let last = -1
    sink.slots.forEach((s, i) => {
      if (s) last = i
    })
    this.last = last
    this.kinds = sink.slots.map((s) => (s instanceof FloatBuilder ? FLOAT : s instanceof LabelBuilder ? LABEL : s instanceof KeyBuilder ? KEY : s ? OTHER : SKIP))
  }
  private readonly kinds: number[]

  /**
   * Parse every complete record of `b` from `pos`. Returns the offset of the first byte not
   * consumed (the start of an incomplete record), which the caller prepends to the next chunk.
   * With `final`, the end of `b` ends the last record.
   */
  parse(b: Uint8Array, pos: number, final: boolean): number {
    const quoteFree = (b as Buffer).indexOf(QUOTE, pos) === -1
    if (quoteFree && this.last >= 0) {
      const end = (b as Buffer).lastIndexOf(LF) + 1
      while (pos < end) {
        pos = this.fast(b, pos, end)
        if (pos < end) pos = this.general(b, pos, final, 1, true)
      }
    }
    return this.general(b, pos, final, Infinity, quoteFree)
  }

  /**
   * The general record loop (quotes, CRLF, every error). `limit` bounds the records it reads;
   * `quoteFree` says no quote occurs in `b` from `pos` on.
   */
  private general(b: Uint8Array, pos: number, final: boolean, limit: number, quoteFree: boolean): number {
    const n = b.length
    const d = this.delim
    const slots = this.sink.slots
    const last = this.last
    let records = 0
    while (pos < n && records < limit) {
      records++
      const recStart = pos
      const recLine = this.line
      let c = b[pos]
      if (c === LF) {
        pos++
        this.line++
        continue
      }
      if (c === CR) {
        if (pos + 1 >= n && !final) return recStart
        if (pos + 1 >= n || b[pos + 1] === LF) {
          pos += 2
          this.line++
          continue
        }
      }
      const row = this.rows
      this.sink.ensure(row)
      let f = 0
      let bad = -1
      let badCode = OK
      let badS = 0
      let badE = 0
      let badText: string | undefined
      let extraLines = 0
      for (;;) {
        if (pos < n && b[pos] === QUOTE) {
          const r = this.quoted(b, pos, final)
          if (r < 0) {
            if (!final) {
              this.line = recLine
              return recStart
            }
            throw new InputError({file: this.file, line: recLine, column: this.colName(f)}, 'unterminated quoted field (a " opens it and nothing closes it)')
          }
          extraLines += this.qlines
          pos = r
          const bl = f <= last ? slots[f] : null
          if (bl !== null) {
            const code = bl.setValue(row, this.qtext)
            if (code !== OK && (bad < 0 || code === FATAL)) {
              bad = f
              badCode = code
              badText = this.qtext
            }
          }
          if (pos < n) {
            c = b[pos]
            if (c === CR && (pos + 1 >= n || b[pos + 1] === LF)) {
              if (pos + 1 >= n && !final) {
                this.line = recLine
                return recStart
              }
              pos++
              c = LF
            }
            if (c !== d && c !== LF) {
              throw new InputError({file: this.file, line: recLine + extraLines, column: this.colName(f)}, 'unexpected text after a closing quote (a quote inside a quoted field must be doubled: "")')
            }
          } else if (!final) {
            this.line = recLine
            return recStart
          }
        } else {
          const s = pos
          while (pos < n) {
            c = b[pos]
            if (c === d || c === LF) break
            pos++
          }
          if (pos >= n && !final) {
            this.line = recLine
            return recStart
          }
          let e = pos
          if ((pos >= n || c === LF) && e > s && b[e - 1] === CR) e--
          const bl = f <= last ? slots[f] : null
          if (bl !== null) {
            const code = bl.setBytes(row, b, s, e)
            if (code !== OK && (bad < 0 || code === FATAL)) {
              bad = f
              badCode = code
              badS = s
              badE = e
              badText = undefined
            }
          }
        }
        f++
        if (pos >= n) break
        if (b[pos] === d) {
          pos++
          if (f > last && quoteFree) {
            const nl = (b as Buffer).indexOf(LF, pos)
            if (nl < 0) {
              if (!final) {
                this.line = recLine
                return recStart
              }
              pos = n
            } else pos = nl + 1
            break
          }
          continue
        }
        pos++ // the LF
        break
      }
      this.line += 1 + extraLines
      if (f <= last) {
        throw new InputError({file: this.file, line: recLine}, `row has ${f} field${f === 1 ? '' : 's'} but column "${this.header[last]}" is field ${last + 1} (a row with too few fields, or the wrong delimiter?)`)
      }
      if (bad >= 0) {
        const bl = slots[bad] as Builder
        const text = badText ?? utf8.decode(b.subarray(badS, badE))
        if (!this.dropInvalid || badCode === FATAL) {
          throw new InputError({file: this.file, line: recLine, column: this.header[bad]}, bl.reason(text) + (badCode === FATAL || this.dropInvalid ? '' : ' (--drop-invalid skips such rows)'))
        }
        this.dropped++
      } else this.rows++
    }
    return pos
  }

  /**
   * The fast path for quote-free complete lines [pos, end): fields are parsed in place, decimals
   * without a call, labels and integer keys without a string. Returns where it stopped: `end`, a
   * full builder, or a record it cannot take as it is (odd number syntax, a bad value, too few
   * fields), which the general loop then reads and reports.
   */
  private fast(b: Uint8Array, pos: number, end: number): number {
    const d = this.delim
    const last = this.last
    const slots = this.sink.slots
    let row = this.rows
    if (row >= this.sink.capacity()) this.sink.ensure(row)
    const cap = this.sink.capacity()
    const kinds = this.kinds
    const f64: (Float64Array | null)[] = []
    const u8: (Uint8Array | null)[] = []
    const i32: (Int32Array | null)[] = []
    const nonNeg: boolean[] = []
    for (let f = 0; f <= last; f++) {
      const s = slots[f]
      f64.push(s instanceof FloatBuilder ? s.data : null)
      nonNeg.push(s instanceof FloatBuilder ? s.nonNegative : false)
      u8.push(s instanceof LabelBuilder ? s.data : null)
      i32.push(s instanceof KeyBuilder ? s.data : null)
    }
    let lines = 0
    let c = 0
    outer: while (pos < end && row < cap) {
      c = b[pos]
      if (c === LF) {
        pos++
        lines++
        continue
      }
      if (c === CR && b[pos + 1] === LF) {
        pos += 2
        lines++
        continue
      }
      const rec = pos
      for (let f = 0; f <= last; f++) {
        const k = kinds[f]
        if (k === SKIP) {
          c = b[pos]
          while (c !== d && c !== LF) c = b[++pos]
        } else if (k === FLOAT) {
          const s = pos
          c = b[pos]
          let neg = false
          if (c === 45) {
            neg = true
            c = b[++pos]
          }
          let m = 0
          let dg = 0
          let sc = 0
          let any = false
          let exact = true
          while (c >= 48 && c <= 57) {
            if (dg < 15) {
              if (m !== 0 || c !== 48) {
                m = m * 10 + (c - 48)
                dg++
              }
            } else exact = false
            any = true
            c = b[++pos]
          }
          if (c === 46) {
            c = b[++pos]
            while (c >= 48 && c <= 57) {
              if (dg < 15) {
                if (m !== 0 || c !== 48) {
                  m = m * 10 + (c - 48)
                  dg++
                }
                sc--
              } else if (c !== 48) exact = false
              any = true
              c = b[++pos]
            }
          }
          let v: number
          if (any && exact && sc >= -22 && (c === d || c === LF || (c === CR && b[pos + 1] === LF))) {
            v = sc === 0 ? m : m / POW10[-sc]
            if (neg) v = -v
          } else {
            while (c !== d && c !== LF) c = b[++pos]
            let e = pos
            if (e > s && b[e - 1] === CR) e--
            v = parseNumber(b, s, e)
            if (v !== v) {
              pos = rec
              break outer
            }
          }
          if (nonNeg[f] && v < 0) {
              pos = rec
              break outer
            }
          ;(f64[f] as Float64Array)[row] = v
        } else if (k === LABEL) {
          c = b[pos]
          const c1 = b[pos + 1]
          if ((c === 48 || c === 49) && (c1 === d || c1 === LF || (c1 === CR && b[pos + 2] === LF))) {
            ;(u8[f] as Uint8Array)[row] = c - 48
            c = c1
            pos++
          } else {
            const s = pos
            while (c !== d && c !== LF) c = b[++pos]
            let e = pos
            if (e > s && b[e - 1] === CR) e--
            const v = parseLabel(b, s, e)
            if (v > 1) {
              pos = rec
              break outer
            }
            ;(u8[f] as Uint8Array)[row] = v
          }
        } else if (k === KEY) {
          const s = pos
          c = b[pos]
          let v = 0
          while (c >= 48 && c <= 57) {
            v = v * 10 + (c - 48)
            c = b[++pos]
          }
          const len = pos - s
          if (len > 0 && len <= 15 && (len === 1 || b[s] !== 48) && (c === d || c === LF || (c === CR && b[pos + 1] === LF))) {
            // deferred: settled into the dictionary after the loop (KeyBuilder)
            ;(i32[f] as Int32Array)[row] = v < DENSE_MAX ? -v - 1 : (slots[f] as KeyBuilder).deferredInt(v)
          } else {
            while (c !== d && c !== LF) c = b[++pos]
            let e = pos
            if (e > s && b[e - 1] === CR) e--
            (slots[f] as Builder).setBytes(row, b, s, e)
          }
        } else {
          const s = pos
          c = b[pos]
          while (c !== d && c !== LF) c = b[++pos]
          let e = pos
          if (e > s && b[e - 1] === CR) e--
          if ((slots[f] as Builder).setBytes(row, b, s, e) !== OK) {
              pos = rec
              break outer
            }
        }
        // after a field: a delimiter, or the line end (fine only after the last needed field)
        if (c === d) pos++
        else if (f < last) {
              pos = rec
              break outer
            }
        else if (c === CR && b[pos + 1] !== LF) {
              pos = rec
              break outer
            }
        if (f === last) {
          if (c !== LF) pos = (b as Buffer).indexOf(LF, pos)
          pos++
          row++
          lines++
          continue outer
        }
      }
    }
    this.rows = row
    this.line += lines
    return pos
  }

  private colName(f: number): string {
    return this.header[f] ?? `field ${f + 1}`
  }

  /** A quoted field starting at `pos`: sets qtext and qlines, returns the offset after the closing quote, or -1 if `b` ends first. */
  private quoted(b: Uint8Array, pos: number, final: boolean): number {
    const n = b.length
    const start = pos + 1
    let i = start
    let escaped = false
    for (;;) {
      const q = (b as Buffer).indexOf(QUOTE, i)
      if (q < 0) return -1
      if (q + 1 < n && b[q + 1] === QUOTE) {
        escaped = true
        i = q + 2
        continue
      }
      if (q + 1 >= n && !final) return -1
      let lines = 0
      for (let k = start; k < q; k++) if (b[k] === LF) lines++
      this.qlines = lines
      const raw = utf8.decode(b.subarray(start, q))
      this.qtext = escaped ? raw.replaceAll('""', '"') : raw
      return q + 1
    }
  }
}

/**
 * Split the header record at the start of `b` (quotes allowed). Returns the field names and the
 * offset after the record's line end, or null when `b` holds no complete record yet.
 */
export function splitHeader(b: Uint8Array, delim: number, final: boolean): {fields: string[]; end: number; lines: number} | null {
  const n = b.length
  const fields: string[] = []
  let pos = 0
  let lines = 1
  for (;;) {
    if (pos < n && b[pos] === QUOTE) {
      let i = pos + 1
      let text = ''
      for (;;) {
        const q = (b as Buffer).indexOf(QUOTE, i)
        if (q < 0) return null
        text += utf8.decode(b.subarray(i, q))
        if (q + 1 < n && b[q + 1] === QUOTE) {
          text += '"'
          i = q + 2
          continue
        }
        pos = q + 1
        break
      }
      for (const ch of text) if (ch === '\n') lines++
      fields.push(text)
      if (pos < n && b[pos] === CR) pos++
    } else {
      const s = pos
      while (pos < n && b[pos] !== delim && b[pos] !== LF) pos++
      if (pos >= n && !final) return null
      let e = pos
      if (e > s && b[e - 1] === CR) e--
      fields.push(utf8.decode(b.subarray(s, e)))
    }
    if (pos >= n) return final ? {fields, end: n, lines} : null
    if (b[pos] === delim) {
      pos++
      continue
    }
    return {fields, end: pos + 1, lines}
  }
}

/** Pick the delimiter of a `.txt` table from its first line: the most frequent of tab, comma, semicolon, pipe, space. */
export function sniffDelimiter(firstLine: string): number {
  let best = ','
  let bestCount = 0
  for (const cand of ['\t', ',', ';', '|', ' ']) {
    let count = 0
    let inQ = false
    for (const ch of firstLine) {
      if (ch === '"') inQ = !inQ
      else if (!inQ && ch === cand) count++
    }
    if (count > bestCount) {
      best = cand
      bestCount = count
    }
  }
  return best.charCodeAt(0)
}
