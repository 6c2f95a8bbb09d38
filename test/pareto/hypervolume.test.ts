import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/cli.js'
import {near} from '../helpers/assert.js'
import {rng} from '../helpers/random.js'
import {Sense} from '../../src/pareto/dominance.js'
import {hypervolume, hypervolumeOf} from '../../src/pareto/hypervolume.js'
import {bruteHypervolume} from './brute.js'

interface Case {
  id: string
  source: string
  senses?: Sense[]
  points: number[][]
  ref?: number[]
  expect: {hypervolume?: number}
}
const cases: Case[] = JSON.parse(readFileSync(join(ROOT, 'fixtures/vectors/pareto.json'), 'utf8')).cases
const hv = (pts: number[][], ref: number[], senses: Sense[]) => hypervolume(Float64Array.from(pts.flat()), ref.length, ref, senses)

test('hypervolume(values, 2, ref) doc example: the staircase of optuna', () => {
  assert.equal(hypervolume(Float64Array.of(0, 2, 1, 1, 2, 0), 2, [3, 3]), 6)
})

for (const c of cases.filter((c) => c.expect.hypervolume !== undefined)) {
  test(`hypervolume matches vector ${c.id} (${c.source})`, () => {
    near(hv(c.points, c.ref as number[], c.senses as Sense[]), c.expect.hypervolume as number, 1e-12, c.id)
  })
}

test('hypervolume leaves out points not strictly better than ref in every objective', () => {
  // (2, 0.5) ties the ref in x; (4, 0) is beyond it; only (1, 1) counts: (3-1)*(2-1)
  const r = hypervolumeOf(Float64Array.of(1, 1, 3, 0.5, 4, 0), 2, [3, 2], ['min', 'min'])
  assert.deepEqual(r, {hypervolume: 2, used: 1})
  assert.equal(hv([[5, 5]], [1, 1], ['min', 'min']), 0)
  assert.equal(hv([[0, 0]], [1, 1], ['max', 'max']), 0)
})

test('hypervolume with maximised objectives measures up from the reference', () => {
  assert.equal(hv([[0.7, 0.8], [0.8, 0.6]], [0.5, 0.5], ['max', 'max']), 0.2 * 0.3 + 0.1 * 0.1)
  near(hv([[0.7, 0.8], [0.8, 0.6]], [0.5, 0.5], ['max', 'max']), 0.07, 1e-15)
})

test('hypervolume in 1-D is the distance from the best point to the ref', () => {
  assert.equal(hv([[3], [1], [2]], [5], ['min']), 4)
  assert.equal(hv([[3], [1], [2]], [0], ['max']), 3)
})

test('hypervolume ignores duplicates and dominated points', () => {
  for (const d of [2, 3, 4]) {
    const base = [Array(d).fill(1)]
    const ref = Array(d).fill(3)
    const senses: Sense[] = Array(d).fill('min')
    assert.equal(hv([...base, ...base, [2, ...Array(d - 1).fill(1)], Array(d).fill(2)], ref, senses), 2 ** d, `d=${d}`)
  }
})

test('hypervolume of no points is 0 and a wrong-arity ref throws', () => {
  assert.equal(hypervolume(new Float64Array(0), 3, [1, 1, 1]), 0)
  assert.throws(() => hypervolume(Float64Array.of(1, 2), 2, [1, 2, 3]), /ref has 3 values/)
  assert.throws(() => hypervolume(Float64Array.of(1, 2), 2, [1, NaN]), /finite/)
})

// Random sets against the grid-cell decomposition, mixed senses. Integer coordinates make the
// exact answer an integer, so the comparison is exact; floats are compared to 1e-12.
for (const d of [2, 3, 4, 5]) {
  for (const kind of ['integers', 'floats']) {
    const seed = 77 * d + (kind === 'floats' ? 1 : 0)
    test(`hypervolume equals the cell decomposition on random ${d}-D ${kind} (seed ${seed})`, () => {
      const r = rng(seed)
      const reps = d >= 4 ? 25 : 60
      let nonZero = 0
      for (let rep = 0; rep < reps; rep++) {
        const n = 1 + Math.floor(r() * (d === 5 ? 10 : d === 4 ? 16 : 40))
        const senses: Sense[] = Array.from({length: d}, () => (r() < 0.5 ? 'max' : 'min'))
        const pts = Array.from({length: n}, () => Array.from({length: d}, () => (kind === 'floats' ? r() : Math.floor(r() * 8))))
        // ref: somewhere in the data range, so some points fall outside it
        const ref = senses.map((s) => (kind === 'floats' ? (s === 'max' ? 0.1 * r() : 1 - 0.1 * r()) : s === 'max' ? Math.floor(r() * 2) : 7 - Math.floor(r() * 2)))
        const want = bruteHypervolume(pts, ref, senses)
        const got = hv(pts, ref, senses)
        if (want > 0) nonZero++
        if (kind === 'integers') assert.equal(got, want, `rep ${rep}`)
        else near(got, want, 1e-12, `rep ${rep}`)
      }
      assert.ok(nonZero > reps / 2, `only ${nonZero} of ${reps} random sets had a positive hypervolume`)
    })
  }
}

test('hypervolume of 100,000 points on a sphere in 3-D agrees with slicing and runs in well under a second', () => {
  const r = rng(11)
  const n = 100000
  const v = new Float64Array(n * 3)
  for (let i = 0; i < n; i++) {
    const x = r() + 1e-9
    const y = r() + 1e-9
    const z = r() + 1e-9
    const len = Math.hypot(x, y, z)
    v.set([x / len, y / len, z / len], 3 * i)
  }
  const t0 = performance.now()
  const got = hypervolume(v, 3, [0, 0, 0], ['max', 'max', 'max'])
  const ms = performance.now() - t0
  // the dominated part of the positive octant of the unit ball tends to pi/6 from below
  assert.ok(got < Math.PI / 6 && got > Math.PI / 6 - 0.01, `got ${got}`)
  assert.ok(ms < 1500, `${ms} ms`)
})
