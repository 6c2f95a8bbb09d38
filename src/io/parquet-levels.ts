/**
 * The RLE / bit-packed hybrid encoding of Parquet (definition levels, dictionary indices,
 * booleans), decoded into typed arrays.
 * Reference: https://parquet.apache.org/docs/file-format/data-pages/encodings/#RLE
 *
 * A run starts with a ULEB128 header h: h & 1 = 0 is an RLE run of h >> 1 copies of one value
 * stored in ceil(width / 8) little-endian bytes; h & 1 = 1 is (h >> 1) groups of 8 values packed
 * LSB first, `width` bits each.
 */

/** Malformed Parquet data (the reader reports it as a corrupt file). */
export class ParquetDataError extends Error {}

/**
 * Decode `n` values of bit width `width` (0..32) from b[pos, end) into out[0, n).
 * @returns the position after the last run read
 * @throws ParquetDataError when the runs end before `n` values
 * @example decodeHybrid(Uint8Array.of(6, 1), 0, 2, 1, out, 3) // out = [1, 1, 1]
 */
export function decodeHybrid(b: Uint8Array, pos: number, end: number, width: number, out: Uint8Array | Int32Array, n: number): number {
  if (width > 32) throw new ParquetDataError(`bit width ${width} over 32`)
  let i = 0
  const bytes = (width + 7) >> 3
  while (i < n) {
    if (pos >= end) throw new ParquetDataError(`encoded values end after ${i} of ${n}`)
    let h = 0
    let mul = 1
    for (;;) {
      if (pos >= end) throw new ParquetDataError('truncated run header')
      const x = b[pos++]
      h += (x & 127) * mul
      if (x < 128) break
      mul *= 128
      if (mul > 2 ** 35) throw new ParquetDataError('bad run header')
    }
    if (h % 2 === 0) {
      const count = Math.min(h / 2, n - i)
      if (pos + bytes > end) throw new ParquetDataError('truncated run value')
      let v = 0
      for (let k = 0; k < bytes; k++) v += b[pos + k] * 2 ** (8 * k)
      pos += bytes
      out.fill(width === 32 ? v | 0 : v, i, i + count)
      i += count
    } else {
      const groups = (h - 1) / 2
      const len = groups * width
      if (pos + len > end) throw new ParquetDataError('truncated bit-packed run')
      const count = Math.min(groups * 8, n - i)
      unpack(b, pos, width, out, i, count)
      pos += len
      i += count
    }
  }
  return pos
}

/** Unpack `count` values of `width` bits, LSB first, from b[pos...] into out[at...]. */
function unpack(b: Uint8Array, pos: number, width: number, out: Uint8Array | Int32Array, at: number, count: number): void {
  if (width === 0) {
    out.fill(0, at, at + count)
    return
  }
  if (width === 1) {
    const full = count >> 3
    for (let g = 0; g < full; g++) {
      const x = b[pos + g]
      const o = at + g * 8
      out[o] = x & 1
      out[o + 1] = (x >> 1) & 1
      out[o + 2] = (x >> 2) & 1
      out[o + 3] = (x >> 3) & 1
      out[o + 4] = (x >> 4) & 1
      out[o + 5] = (x >> 5) & 1
      out[o + 6] = (x >> 6) & 1
      out[o + 7] = (x >> 7) & 1
    }
    for (let k = full * 8; k < count; k++) out[at + k] = (b[pos + (k >> 3)] >> (k & 7)) & 1
    return
  }
  if (width === 2 || width === 4) {
    // whole bytes of 4 or 2 values (DuckDB writes two-entry dictionaries with width 2)
    const per = 8 / width
    const mask = (1 << width) - 1
    const full = Math.floor(count / per)
    if (width === 2) {
      for (let g = 0; g < full; g++) {
        const x = b[pos + g]
        const o = at + g * 4
        out[o] = x & 3
        out[o + 1] = (x >> 2) & 3
        out[o + 2] = (x >> 4) & 3
        out[o + 3] = x >> 6
      }
    } else {
      for (let g = 0; g < full; g++) {
        const x = b[pos + g]
        out[at + g * 2] = x & 15
        out[at + g * 2 + 1] = x >> 4
      }
    }
    for (let k = full * per; k < count; k++) out[at + k] = (b[pos + Math.floor(k / per)] >> ((k % per) * width)) & mask
    return
  }
  if (width === 8) {
    for (let k = 0; k < count; k++) out[at + k] = b[pos + k]
    return
  }
  if (width <= 24) {
    const mask = (1 << width) - 1
    let acc = 0
    let bits = 0
    let p = pos
    for (let k = 0; k < count; k++) {
      while (bits < width) {
        acc |= b[p++] << bits
        bits += 8
      }
      out[at + k] = acc & mask
      acc >>>= width
      bits -= width
    }
    return
  }
  // wide indices (over 16M dictionary entries): bit by bit is fast enough for such rare data
  for (let k = 0; k < count; k++) {
    let v = 0
    const bit0 = k * width
    for (let t = 0; t < width; t++) {
      const bit = bit0 + t
      if ((b[pos + (bit >> 3)] >> (bit & 7)) & 1) v += 2 ** t
    }
    out[at + k] = v | 0
  }
}

/**
 * Whether the first `n` values of bit width 1 in b[pos, end) are all 1 (a column chunk without
 * NULLs: its definition levels), read from the runs without decoding them. False as soon as a 0
 * appears, and for anything malformed (decodeHybrid then decodes and reports it).
 * @example allOnes(Uint8Array.of(6, 1), 0, 2, 3) // true: an RLE run of three 1s
 */
export function allOnes(b: Uint8Array, pos: number, end: number, n: number): boolean {
  let i = 0
  while (i < n) {
    if (pos >= end) return false
    let h = 0
    let mul = 1
    for (;;) {
      if (pos >= end || mul > 2 ** 35) return false
      const x = b[pos++]
      h += (x & 127) * mul
      if (x < 128) break
      mul *= 128
    }
    if (h % 2 === 0) {
      if (pos >= end || (b[pos] !== 1 && h > 0)) return false
      pos++
      i += h / 2
    } else {
      const groups = (h - 1) / 2
      if (pos + groups > end) return false
      const count = Math.min(groups * 8, n - i)
      const full = count >> 3
      for (let g = 0; g < full; g++) if (b[pos + g] !== 255) return false
      const rest = count & 7
      if (rest > 0 && (b[pos + full] & ((1 << rest) - 1)) !== (1 << rest) - 1) return false
      pos += groups
      i += count
    }
  }
  return true
}
