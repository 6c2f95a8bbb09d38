import {test} from 'node:test'
import assert from 'node:assert/strict'
import {Rng} from '../../src/stats/rng.js'

// Expected streams printed by fixtures/rng-reference.c (the reference C xoshiro128** with the same splitmix32 seeding).
const REFERENCE: [number, number[]][] = [
  [0, [3809008728, 1133695204, 53579671, 2891528803, 139681546]],
  [1, [2442144158, 3238099751, 3819917871, 2104621829, 2021136066]],
  [42, [2837322924, 544945897, 479756282, 3500138142, 339756180]],
  [4294967297, [2466671647, 704075991, 1425070668, 2363080060, 956336583]],
]

for (const [seed, want] of REFERENCE) {
  test(`new Rng(${seed}).uint32() matches the reference C xoshiro128**`, () => {
    const r = new Rng(seed)
    assert.deepEqual(Array.from({length: 5}, () => r.uint32()), want)
  })
}

// Rng(5).below(n) against Lemire's method in exact integers (Python): m = x * n over the same
// uint32 stream x, draws with (m mod 2^32) < (2^32 - n) mod n rejected, value m >> 32.
const LEMIRE: [number, number[]][] = [
  [105000, [88425, 87251, 65550, 28007, 49563, 78232]],
  [2147483649, [1808491029, 1340655218, 1013686960, 1704137562, 457850854, 1049754083]],
  [4294967295, [3616982057, 3568987856, 2681310435, 1145618997, 2027373920, 3200069350]],
]
for (const [n, want] of LEMIRE) {
  test(`new Rng(5).below(${n}) matches Lemire's method in exact integers`, () => {
    const r = new Rng(5)
    assert.deepEqual(Array.from({length: want.length}, () => r.below(n)), want)
  })
}

test('Rng.below(n) stays in [0, n) and is uniform enough (chi-square over 10 cells, seeded)', () => {
  const r = new Rng(7)
  const counts = new Array(10).fill(0)
  for (let i = 0; i < 100_000; i++) {
    const x = r.below(10)
    assert.ok(x >= 0 && x < 10 && Number.isInteger(x))
    counts[x]++
  }
  const chi2 = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0)
  assert.ok(chi2 < 27.88, `chi2 ${chi2} above the 0.999 quantile of chi-square(9)`)
})

test('Rng.below(1) is always 0 and the same seed gives the same stream', () => {
  const a = new Rng(3)
  const b = new Rng(3)
  for (let i = 0; i < 100; i++) assert.equal(a.below(1), 0)
  for (let i = 0; i < 100; i++) b.below(1)
  assert.equal(a.below(1000), b.below(1000))
})

test('Rng rejects seeds that are not non-negative safe integers and n out of range', () => {
  assert.throws(() => new Rng(-1), /seed must be a non-negative safe integer/)
  assert.throws(() => new Rng(1.5), /seed/)
  assert.throws(() => new Rng(0).below(0), /n must be an integer/)
})
