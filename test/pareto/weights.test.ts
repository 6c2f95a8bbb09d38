import {test} from 'node:test'
import assert from 'node:assert/strict'
import {gridSize, weightGrid} from '../../src/pareto/weights.js'

test('weightGrid(2, 2) doc example', () => {
  assert.deepEqual(Array.from(weightGrid(2, 2).weights), [1, 0, 0.5, 0.5, 0, 1])
})

test('weightGrid(2, 20) has 21 points, the weights k/20 exactly, from (1, 0) to (0, 1)', () => {
  const g = weightGrid(2, 20)
  assert.equal(g.count, 21)
  for (let i = 0; i < 21; i++) {
    assert.equal(g.weights[2 * i], (20 - i) / 20)
    assert.equal(g.weights[2 * i + 1], i / 20)
  }
  assert.equal(g.weights[2 * 7], 0.65)
  assert.equal(g.weights[2 * 7 + 1], 0.35)
})

for (const [k, s] of [[1, 5], [3, 10], [3, 20], [4, 7], [5, 6]] as const) {
  test(`weightGrid(${k}, ${s}) holds every composition of ${s} into ${k} parts once, in descending order`, () => {
    const g = weightGrid(k, s)
    // count the compositions independently: stars and bars
    let c = 1
    for (let i = 1; i < k; i++) c = (c * (s + i)) / i
    assert.equal(g.count, Math.round(c))
    assert.equal(gridSize(k, s), g.count)
    const seen = new Set<string>()
    let prev: number[] | undefined
    for (let p = 0; p < g.count; p++) {
      const parts = Array.from(g.parts.subarray(p * k, p * k + k))
      assert.equal(parts.reduce((a, b) => a + b, 0), s)
      assert.ok(parts.every((a) => a >= 0))
      parts.forEach((a, i) => assert.equal(g.weights[p * k + i], a / s))
      seen.add(parts.join(','))
      if (prev) {
        const j = parts.findIndex((a, i) => a !== (prev as number[])[i])
        assert.ok(parts[j] < prev[j], 'lexicographically descending')
      }
      prev = parts
    }
    assert.equal(seen.size, g.count)
  })
}

test('weightGrid rejects a non-integer or non-positive steps or k', () => {
  assert.throws(() => weightGrid(2, 0), /steps must be a positive integer/)
  assert.throws(() => weightGrid(2, 2.5), /steps must be a positive integer/)
  assert.throws(() => weightGrid(0, 2), /k must be a positive integer/)
})
