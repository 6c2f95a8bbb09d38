import {test} from 'node:test'
import assert from 'node:assert/strict'
import {allOnes, decodeHybrid, ParquetDataError} from '../../src/io/parquet-levels.js'

// A small encoder for the RLE / bit-packed hybrid (the Parquet spec's layout) to test the decoder.
function varint(x: number): number[] {
  const out: number[] = []
  while (x >= 128) {
    out.push((x & 127) | 128)
    x = Math.floor(x / 128)
  }
  out.push(x)
  return out
}
function rleRun(value: number, count: number, width: number): number[] {
  const bytes: number[] = []
  for (let k = 0; k < (width + 7) >> 3; k++) bytes.push(Math.floor(value / 2 ** (8 * k)) & 255)
  return [...varint(count * 2), ...bytes]
}
function packedRun(values: number[], width: number): number[] {
  const groups = Math.ceil(values.length / 8)
  const bits: number[] = []
  for (let i = 0; i < groups * 8; i++) for (let t = 0; t < width; t++) bits.push(Math.floor((values[i] ?? 0) / 2 ** t) % 2)
  const bytes: number[] = []
  for (let i = 0; i < bits.length; i += 8) bytes.push(bits.slice(i, i + 8).reduce((a, b, k) => a + b * 2 ** k, 0))
  return [...varint(groups * 2 + 1), ...bytes]
}

test('decodeHybrid(Uint8Array.of(6, 1), 0, 2, 1, out, 3) is an RLE run of three 1s', () => {
  const out = new Uint8Array(3)
  assert.equal(decodeHybrid(Uint8Array.of(6, 1), 0, 2, 1, out, 3), 2)
  assert.deepEqual(Array.from(out), [1, 1, 1])
})

test('decodeHybrid reads RLE and bit-packed runs of every width 0..32 (seeded values)', () => {
  let seed = 3
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296)
  for (let width = 0; width <= 32; width++) {
    const max = 2 ** width
    const values: number[] = []
    const bytes: number[] = []
    for (let run = 0; run < 6; run++) {
      if (run % 2 === 0) {
        const v = Math.floor(rand() * max)
        const count = 1 + Math.floor(rand() * 300)
        bytes.push(...rleRun(v, count, width))
        for (let k = 0; k < count; k++) values.push(v)
      } else {
        const vs = Array.from({length: 8 * (1 + Math.floor(rand() * 5))}, () => Math.floor(rand() * max))
        bytes.push(...packedRun(vs, width))
        values.push(...vs)
      }
    }
    const out = new Int32Array(values.length)
    decodeHybrid(Uint8Array.from(bytes), 0, bytes.length, width, out, values.length)
    assert.deepEqual(Array.from(out, (x) => x >>> 0), values, `width ${width}`)
  }
})

test('decodeHybrid of narrow widths (1, 2, 4, 8: whole bytes at a time) stops at any n, into bytes or words', () => {
  let seed = 11
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296)
  for (const width of [1, 2, 3, 4, 8]) {
    const vs = Array.from({length: 40}, () => Math.floor(rand() * 2 ** width))
    const b = Uint8Array.from(packedRun(vs, width))
    for (let n = 0; n <= 40; n++) {
      for (const out of [new Uint8Array(n + 3).fill(99), new Int32Array(n + 3).fill(99)]) {
        decodeHybrid(b, 0, b.length, width, out, n)
        assert.deepEqual(Array.from(out), [...vs.slice(0, n), 99, 99, 99], `width ${width}, n ${n}, ${out.constructor.name}`)
      }
    }
  }
})

test('decodeHybrid stops at n values inside a run (the padding of the last bit-packed group)', () => {
  const b = Uint8Array.from(packedRun([1, 2, 3, 4, 5], 3))
  const out = new Int32Array(5)
  assert.equal(decodeHybrid(b, 0, b.length, 3, out, 5), b.length)
  assert.deepEqual(Array.from(out), [1, 2, 3, 4, 5])
})

test('decodeHybrid fails with ParquetDataError when the runs end early', () => {
  const out = new Uint8Array(10)
  assert.throws(() => decodeHybrid(Uint8Array.of(6, 1), 0, 2, 1, out, 10), (e) => e instanceof ParquetDataError && /encoded values end after 3 of 10/.test(e.message))
  assert.throws(() => decodeHybrid(Uint8Array.of(3), 0, 1, 8, out, 8), ParquetDataError)
  assert.throws(() => decodeHybrid(Uint8Array.of(6), 0, 1, 8, out, 3), ParquetDataError)
})

test('allOnes(Uint8Array.of(6, 1), 0, 2, 3) is true: an RLE run of three 1s', () => {
  assert.equal(allOnes(Uint8Array.of(6, 1), 0, 2, 3), true)
  assert.equal(allOnes(Uint8Array.of(6, 0), 0, 2, 3), false)
})

test('allOnes agrees with decodeHybrid on seeded definition levels (RLE and bit-packed runs, padding, truncation)', () => {
  let seed = 11
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296)
  let sawTrue = 0
  let sawFalse = 0
  for (let trial = 0; trial < 3000; trial++) {
    const values: number[] = []
    const bytes: number[] = []
    const runs = 1 + Math.floor(rand() * 4)
    for (let r = 0; r < runs; r++) {
      if (rand() < 0.5) {
        const v = rand() < 0.9 ? 1 : 0
        const count = Math.floor(rand() * 40)
        bytes.push(...rleRun(v, count, 1))
        for (let k = 0; k < count; k++) values.push(v)
      } else {
        const vs = Array.from({length: 8 * (1 + Math.floor(rand() * 3))}, () => (rand() < 0.97 ? 1 : 0))
        bytes.push(...packedRun(vs, 1))
        values.push(...vs)
      }
    }
    // n at most the values encoded (the rest of a bit-packed group is padding), sometimes more (truncated)
    const n = Math.max(0, values.length - Math.floor(rand() * 9) + (rand() < 0.1 ? 3 : 0))
    const b = Uint8Array.from(bytes)
    const out = new Uint8Array(n)
    let want: boolean
    try {
      decodeHybrid(b, 0, b.length, 1, out, n)
      want = out.every((x) => x === 1)
    } catch (e) {
      assert.ok(e instanceof ParquetDataError)
      want = false
    }
    assert.equal(allOnes(b, 0, b.length, n), want, `trial ${trial}: ${JSON.stringify(bytes)} n=${n}`)
    if (want) sawTrue++
    else sawFalse++
  }
  assert.ok(sawTrue > 300 && sawFalse > 300, `${sawTrue} / ${sawFalse}`)
})
