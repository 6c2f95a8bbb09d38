import {test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {marginZTest} from '../../src/stats/z-test.js'

// Expected p-values: scipy 1.10, scipy.stats.norm.sf(z) with z computed the same way in Python.

test('marginZTest(0.03, 0.01, 0.006, 0.008) is z = 2, p = 0.0227501319481792', () => {
  const t = marginZTest(0.03, 0.01, 0.006, 0.008)
  near(t.se, 0.01, 1e-15, 'se')
  near(t.z, 2, 1e-14, 'z')
  near(t.p_value, 0.022750131948179216, 1e-13, 'p') // norm.sf((0.03-0.01)/hypot(0.006,0.008))
})

test('marginZTest: a difference below the margin has z < 0 and p > 0.5', () => {
  const t = marginZTest(0.002, 0.005, 0.004, 0.003)
  near(t.z, -0.6, 1e-13, 'z')
  near(t.p_value, 0.7257468822499265, 1e-13, 'p') // norm.sf(-0.6)
})

test('marginZTest: zero standard errors give z = +-Infinity and p 0 or 1', () => {
  assert.deepEqual(marginZTest(0.02, 0.01, 0, 0), {se: 0, z: Infinity, p_value: 0})
  assert.deepEqual(marginZTest(0.0, 0.01, 0, 0), {se: 0, z: -Infinity, p_value: 1})
  assert.deepEqual(marginZTest(0.01, 0.01, 0, 0), {se: 0, z: 0, p_value: 0.5})
})

test('marginZTest rejects negative or non-finite standard errors', () => {
  assert.throws(() => marginZTest(0.1, 0, -0.1, 0.1), /marginZTest: standard errors must be finite and >= 0/)
  assert.throws(() => marginZTest(0.1, 0, NaN, 0.1), /marginZTest/)
})
