import {test} from 'node:test'
import assert from 'node:assert/strict'
import {rng} from '../helpers/random.js'
import {RankSet} from '../../src/pareto/rank-set.js'

test('RankSet doc example: successor and predecessor', () => {
  const s = new RankSet(100)
  s.add(3)
  s.add(70)
  assert.equal(s.successor(3), 70)
  assert.equal(s.predecessor(70), 3)
  assert.equal(s.successor(70), -1)
  assert.equal(s.predecessor(3), -1)
})

for (const size of [1, 31, 32, 33, 1024, 1025, 40000]) {
  test(`RankSet of size ${size} agrees with a plain sorted list under random adds and deletes (seed ${size})`, () => {
    const r = rng(size)
    const s = new RankSet(size)
    const ref = new Set<number>()
    for (let op = 0; op < 3000; op++) {
      const i = Math.floor(r() * size)
      if (r() < 0.6) {
        s.add(i)
        ref.add(i)
      } else {
        s.delete(i)
        ref.delete(i)
      }
      const q = Math.floor(r() * size)
      const sorted = [...ref].sort((a, b) => a - b)
      assert.equal(s.has(q), ref.has(q))
      assert.equal(s.successor(q), sorted.find((x) => x > q) ?? -1, `successor(${q})`)
      assert.equal(s.predecessor(q), [...sorted].reverse().find((x) => x < q) ?? -1, `predecessor(${q})`)
    }
  })
}
