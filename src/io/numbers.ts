/**
 * Byte-level value parsers for the ingest hot loop. They read straight from the file's bytes and
 * never allocate for plain decimal numbers.
 *
 * `parseNumber` equals `Number(text)` bit for bit on every string it accepts: plain decimals with
 * at most 15 significant digits and a power of ten within 10^±22 are computed as one correctly
 * rounded IEEE division or multiplication of two exact doubles (Clinger's fast path); everything
 * else that has the syntax of a decimal number is handed to `Number()` itself.
 * It returns NaN for anything that is not a finite decimal number (empty, NaN, inf, hex, words),
 * which the readers report as an invalid value.
 */

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

/**
 * Parse bytes [s, e) of `b` as a decimal number.
 * @returns the number, or NaN when the text is not a finite decimal number
 * @example parseNumber(Buffer.from('0.125'), 0, 5) // 0.125
 */
export function parseNumber(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 32) s++
  while (e > s && b[e - 1] === 32) e--
  if (s >= e) return NaN
  let i = s
  let neg = false
  let c = b[i]
  if (c === 45 || c === 43) {
    neg = c === 45
    i++
  }
  let mant = 0
  let digits = 0 // significant digits accumulated into mant
  let dropped = 0 // significant integer digits beyond what mant holds exactly
  let scale = 0 // decimal exponent adjustment from the fraction
  let any = false
  let inexact = false
  while (i < e) {
    c = b[i] - 48
    if (c < 0 || c > 9) break
    any = true
    if (digits < 15) {
      if (mant !== 0 || c !== 0) {
        mant = mant * 10 + c
        digits++
      }
    } else {
      inexact = true
      dropped++
    }
    i++
  }
  if (i < e && b[i] === 46) {
    i++
    while (i < e) {
      c = b[i] - 48
      if (c < 0 || c > 9) break
      any = true
      if (digits < 15) {
        if (mant !== 0 || c !== 0) {
          mant = mant * 10 + c
          digits++
        }
        scale--
      } else if (c !== 0) {
        inexact = true
      }
      i++
    }
  }
  if (!any) return NaN
  let exp = 0
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++
    let eneg = false
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45
      i++
    }
    let eany = false
    while (i < e) {
      c = b[i] - 48
      if (c < 0 || c > 9) break
      eany = true
      if (exp < 100000) exp = exp * 10 + c
      i++
    }
    if (!eany) return NaN
    if (eneg) exp = -exp
  }
  if (i !== e) return NaN
  if (!inexact) {
    const p = exp + scale + dropped
    let v: number
    if (mant === 0) v = 0
    else if (p >= 0 && p <= 22) v = mant * POW10[p]
    else if (p < 0 && p >= -22) v = mant / POW10[-p]
    else return slow(b, s, e)
    return neg ? -v : v
  }
  return slow(b, s, e)
}

function slow(b: Uint8Array, s: number, e: number): number {
  let str = ''
  for (let i = s; i < e; i++) str += String.fromCharCode(b[i])
  const v = Number(str)
  return Number.isFinite(v) ? v : NaN
}

/** Sentinel returned by `parseLabel` for text that is not a label. */
export const BAD_LABEL = 255

/**
 * Parse a binary label: `0`, `1`, `true`, `false` (case-insensitive), surrounding spaces allowed.
 * @returns 0, 1, or BAD_LABEL
 */
export function parseLabel(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 32) s++
  while (e > s && b[e - 1] === 32) e--
  const n = e - s
  if (n === 1) {
    const c = b[s]
    return c === 48 ? 0 : c === 49 ? 1 : BAD_LABEL
  }
  if (n === 4 && (b[s] | 32) === 116 && (b[s + 1] | 32) === 114 && (b[s + 2] | 32) === 117 && (b[s + 3] | 32) === 101) return 1
  if (n === 5 && (b[s] | 32) === 102 && (b[s + 1] | 32) === 97 && (b[s + 2] | 32) === 108 && (b[s + 3] | 32) === 115 && (b[s + 4] | 32) === 101) return 0
  return BAD_LABEL
}

/** The same label rule for a string (quoted CSV fields, JSON values). */
export function labelOf(v: unknown): number {
  if (v === 0 || v === false) return 0
  if (v === 1 || v === true) return 1
  if (typeof v !== 'string') return BAD_LABEL
  const t = v.trim().toLowerCase()
  return t === '0' || t === 'false' ? 0 : t === '1' || t === 'true' ? 1 : BAD_LABEL
}

const enc = new TextEncoder()
/** The number rule for a string (quoted CSV fields, JSON string values). */
export function numberOf(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN
  if (typeof v !== 'string') return NaN
  const b = enc.encode(v)
  return parseNumber(b, 0, b.length)
}
