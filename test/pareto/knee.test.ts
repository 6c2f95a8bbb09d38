import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {nonDominated, Sense} from '../../src/pareto/dominance.js'
import {kneePoint} from '../../src/pareto/knee.js'

const knee = (pts: number[][], senses: Sense[]) => {
  const v = Float64Array.from(pts.flat())
  return kneePoint(v, senses.length, nonDominated(v, senses.length, senses), senses)
}

test('kneePoint doc example: the bulge of a 2-D frontier', () => {
  const k = knee([[0, 1], [0.8, 0.8], [1, 0]], ['max', 'max'])
  assert.equal(k.index, 1)
  near(k.distance, 0.6 / Math.SQRT2, 1e-15, 'distance')
})

test('kneePoint normalizes each objective over the frontier before measuring', () => {
  // objective 2 in different units: normalized the points are (0,1), (0.5,0.9), (0.9,0.5), (1,0)
  const k = knee([[10, 1000], [15, 900], [19, 500], [20, 0], [11, 10]], ['max', 'max'])
  assert.equal(k.index, 1)
  near(k.distance, (0.5 + 0.9 - 1) / Math.SQRT2, 1e-12, 'distance')
})

test('kneePoint works with minimised objectives (recsys-2d vector with one sense flipped)', () => {
  // max auc, min latency: extremes (0.70, 10) and (0.78, 50)
  const k = knee([[0.7, 10], [0.76, 20], [0.78, 50], [0.72, 40]], ['max', 'min'])
  assert.equal(k.index, 1)
  near(k.distance, (0.75 + 0.75 - 1) / Math.SQRT2, 1e-12, 'distance')
})

test('kneePoint of a straight or concave frontier is null with a reason', () => {
  const straight = knee([[0, 1], [0.5, 0.5], [1, 0]], ['max', 'max'])
  assert.equal(straight.index, null)
  assert.match(straight.reason as string, /no frontier point lies beyond/)
  assert.equal(knee([[0, 1], [0.3, 0.3], [1, 0]], ['max', 'max']).index, null)
  assert.equal(knee([[0, 1], [1, 0]], ['max', 'max']).index, null)
})

test('kneePoint of a one-point frontier is that point; ties go to the lower row', () => {
  assert.deepEqual(knee([[1, 1], [0, 0], [1, 1]], ['max', 'max']), {index: 0, distance: 0})
  assert.equal(knee([[0, 1], [0.8, 0.8], [1, 0]], ['max', 'max']).plane, 'extremes')
  const k = knee([[0, 1], [0.8, 0.8], [0.8, 0.8], [1, 0]], ['max', 'max'])
  assert.equal(k.index, 1)
})

test('kneePoint in 3-D uses the plane through the three extremes', () => {
  // extremes are the unit vectors (normalized); plane u1+u2+u3 = 1; (0.6,0.6,0.6) is 0.8/sqrt(3) beyond it
  const k = knee([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.6, 0.6, 0.6], [0.5, 0.5, 0.1]], ['max', 'max', 'max'])
  assert.equal(k.index, 3)
  assert.equal(k.plane, 'extremes')
  near(k.distance, 0.8 / Math.sqrt(3), 1e-12, 'distance')
})

test('kneePoint in 3-D measures from the plane through the extremes, not the unit plane, when they differ', () => {
  // extremes (normalized) (1, 0.5, 0), (0, 1, 0.5), (0.5, 0, 1): plane u1+u2+u3 = 1.5; (0.7, 0.7, 0.7) is 0.6/sqrt3 beyond it
  const k = knee([[1, 0.5, 0], [0, 1, 0.5], [0.5, 0, 1], [0.7, 0.7, 0.7]], ['max', 'max', 'max'])
  assert.equal(k.index, 3)
  assert.equal(k.plane, 'extremes')
  near(k.distance, 0.6 / Math.sqrt(3), 1e-12, 'distance')
})

test('kneePoint in 3-D falls back to the plane through the unit points when one point is best in two objectives', () => {
  // normalized: (1, 1, 0), (0, 0.375, 1), (0.6, 0, 0.6); distances from u1+u2+u3 = 1: 1/sqrt3, 0.375/sqrt3, 0.2/sqrt3
  const k = knee([[1, 1, 0], [0, 0.5, 1], [0.6, 0.2, 0.6]], ['max', 'max', 'max'])
  assert.equal(k.index, 0)
  assert.equal(k.plane, 'unit')
  near(k.distance, 1 / Math.sqrt(3), 1e-12, 'distance')
})

test('kneePoint leaves out an objective constant over the frontier', () => {
  const k = knee([[0, 1, 5], [0.8, 0.8, 5], [1, 0, 5]], ['max', 'max', 'max'])
  assert.equal(k.index, 1)
  near(k.distance, 0.6 / Math.SQRT2, 1e-15, 'distance')
})
