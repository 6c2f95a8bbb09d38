import {test} from 'node:test'
import assert from 'node:assert/strict'
import {parseLabel, parseNumber} from '../../src/io/numbers.js'

const enc = new TextEncoder()
const num = (s: string) => {
  const b = enc.encode(s)
  return parseNumber(b, 0, b.length)
}
const same = (a: number, b: number) => Object.is(a, b)

/** xorshift32: a seeded generator for the random cases below */
function rng(seed: number) {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 4294967296
  }
}

test('parseNumber(0.125) is 0.125', () => {
  assert.equal(num('0.125'), 0.125)
})

test('parseNumber equals Number() bit for bit on 200,000 random decimal strings (seed 7)', () => {
  const r = rng(7)
  const digits = (n: number) => Array.from({length: n}, () => Math.floor(r() * 10)).join('')
  let checked = 0
  for (let i = 0; i < 200000; i++) {
    const intLen = Math.floor(r() * 20)
    const fracLen = Math.floor(r() * 22)
    let s = (r() < 0.3 ? '-' : r() < 0.05 ? '+' : '') + digits(intLen)
    if (fracLen > 0 || intLen === 0) s += '.' + digits(Math.max(fracLen, intLen === 0 ? 1 : 0))
    if (r() < 0.2) s += (r() < 0.5 ? 'e' : 'E') + (r() < 0.5 ? '-' : r() < 0.5 ? '+' : '') + Math.floor(r() * 330)
    const want = Number(s)
    const got = num(s)
    if (Number.isFinite(want)) assert.ok(same(got, want), `${s}: got ${got}, Number() ${want}`)
    else assert.ok(Number.isNaN(got), `${s}: not finite, expected NaN, got ${got}`)
    checked++
  }
  assert.equal(checked, 200000)
})

test('parseNumber equals Number() on the shortest round-trip text of random doubles (seed 11)', () => {
  const r = rng(11)
  const buf = new Float64Array(1)
  const bits = new Uint32Array(buf.buffer)
  for (let i = 0; i < 100000; i++) {
    bits[0] = Math.floor(r() * 4294967296)
    bits[1] = Math.floor(r() * 4294967296)
    const v = buf[0]
    if (!Number.isFinite(v)) continue
    for (const s of [String(v), v.toFixed(6), v.toPrecision(17)]) {
      const want = Number(s)
      assert.ok(same(num(s), want), `${s}: got ${num(s)}, Number() ${want}`)
    }
  }
})

test('parseNumber rejects what is not a finite decimal number', () => {
  for (const s of ['', ' ', 'NaN', 'nan', 'inf', '-inf', 'Infinity', '0x10', '1e', '1e+', '.', '-', '1.2.3', '1,5', 'abc', '1 2', '--1', '1e999']) {
    assert.ok(Number.isNaN(num(s)), `"${s}" should be rejected, got ${num(s)}`)
  }
})

test('parseNumber keeps the sign of zero and allows surrounding spaces', () => {
  assert.ok(Object.is(num('-0'), -0))
  assert.ok(Object.is(num('-0.000'), -0))
  assert.equal(num(' 0.5 '), 0.5)
  assert.equal(num('.5'), 0.5)
  assert.equal(num('5.'), 5)
  assert.equal(num('+1e3'), 1000)
})

test('parseLabel accepts 0, 1, true, false in any case and nothing else', () => {
  const lab = (s: string) => {
    const b = enc.encode(s)
    return parseLabel(b, 0, b.length)
  }
  assert.deepEqual(['0', '1', 'true', 'FALSE', 'True', ' 1 '].map(lab), [0, 1, 1, 0, 1, 1])
  for (const s of ['2', '-1', '1.0', 'yes', '', 't', '01']) assert.equal(lab(s), 255, s)
})
