import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {rng} from '../helpers/random.js'
import {nonDominated, Sense} from '../../src/pareto/dominance.js'
import {bruteFrontier} from './brute.js'

interface Case {
  id: string
  source: string
  senses?: Sense[]
  points: number[][]
  ref?: number[]
  expect: {frontier?: number[]; frontier_keep_duplicates?: number[]; max_min?: number[]; min_max?: number[]; hypervolume?: number}
}
const cases: Case[] = JSON.parse(readFileSync(join(ROOT, 'fixtures/vectors/pareto.json'), 'utf8')).cases
const flat = (pts: number[][]) => Float64Array.from(pts.flat())
const front = (pts: number[][], senses: Sense[]) => Array.from(nonDominated(flat(pts), senses.length, senses))

test('nonDominated(values, 2, [max, min]) doc example', () => {
  assert.deepEqual(Array.from(nonDominated(Float64Array.of(1, 2, 2, 1, 5, 6, 7, 5), 2, ['max', 'min'])), [1, 3])
})

for (const c of cases) {
  const want = c.expect.frontier ?? c.expect.frontier_keep_duplicates
  if (want) {
    test(`nonDominated matches vector ${c.id} (${c.source})`, () => {
      assert.deepEqual(front(c.points, c.senses as Sense[]), want)
    })
  }
  if (c.expect.max_min) {
    test(`nonDominated matches vector ${c.id} with mixed senses (${c.source})`, () => {
      assert.deepEqual(front(c.points, ['max', 'min']), c.expect.max_min)
      assert.deepEqual(front(c.points, ['min', 'max']), c.expect.min_max)
    })
  }
}

test('nonDominated keeps every copy of a frontier point and drops every copy of a dominated one', () => {
  const pts = [[1, 1], [0, 2], [1, 1], [2, 2], [2, 2], [1, 1]]
  assert.deepEqual(front(pts, ['min', 'min']), [0, 1, 2, 5])
  assert.deepEqual(front(pts, ['max', 'max']), [3, 4])
})

test('nonDominated of identical rows returns them all', () => {
  assert.deepEqual(front([[3, 3, 3], [3, 3, 3], [3, 3, 3]], ['max', 'min', 'max']), [0, 1, 2])
})

test('nonDominated of nothing is empty, of one point is that point', () => {
  assert.deepEqual(Array.from(nonDominated(new Float64Array(0), 3)), [])
  assert.deepEqual(front([[5, 1, 2, 7]], ['min', 'min', 'min', 'min']), [0])
})

test('nonDominated in 1-D keeps every row tied for the best value', () => {
  assert.deepEqual(front([[3], [1], [3], [2]], ['max']), [0, 2])
  assert.deepEqual(front([[3], [1], [3], [1]], ['min']), [1, 3])
})

test('nonDominated treats -0 and 0 as the same value', () => {
  assert.deepEqual(front([[0, 1], [-0, 1]], ['min', 'min']), [0, 1])
})

test('nonDominated rejects NaN, a bad shape and a wrong number of senses', () => {
  assert.throws(() => nonDominated(Float64Array.of(1, NaN), 2), /finite/)
  assert.throws(() => nonDominated(Float64Array.of(1, 2, 3), 2), /multiple of d/)
  assert.throws(() => nonDominated(Float64Array.of(1, 2), 2, ['max']), /senses/)
})

// Random sets against an all-pairs check: integer values from a small range give many ties and
// duplicates; floats give generic positions. Senses are mixed per case.
for (const d of [2, 3, 4, 5]) {
  for (const kind of ['integers 0..5', 'floats']) {
    const seed = 1000 * d + (kind === 'floats' ? 1 : 0)
    test(`nonDominated equals all-pairs dominance on random ${d}-D ${kind} (seed ${seed})`, () => {
      const r = rng(seed)
      for (let rep = 0; rep < 60; rep++) {
        const n = 1 + Math.floor(r() * 60)
        const senses: Sense[] = Array.from({length: d}, () => (r() < 0.5 ? 'max' : 'min'))
        const pts = Array.from({length: n}, () => Array.from({length: d}, () => (kind === 'floats' ? r() : Math.floor(r() * 6))))
        assert.deepEqual(front(pts, senses), bruteFrontier(pts, senses), `rep ${rep}, senses ${senses}`)
      }
    })
  }
}

test('nonDominated of 20,000 points on a sphere (all non-dominated) in 3-D is fast and complete', () => {
  const r = rng(7)
  const n = 20000
  const v = new Float64Array(n * 3)
  for (let i = 0; i < n; i++) {
    const x = r() + 1e-9
    const y = r() + 1e-9
    const z = r() + 1e-9
    const len = Math.hypot(x, y, z)
    v.set([x / len, y / len, z / len], 3 * i)
  }
  const t0 = performance.now()
  const f = nonDominated(v, 3, ['max', 'max', 'max'])
  assert.equal(f.length, n)
  assert.ok(performance.now() - t0 < 2000)
})
