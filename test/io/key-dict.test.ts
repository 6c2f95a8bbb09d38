import {test} from 'node:test'
import assert from 'node:assert/strict'
import {KeyDict} from '../../src/io/index.js'

test('KeyDict gives small integers, large integers and strings dense ids in first-seen order', () => {
  const d = new KeyDict()
  assert.equal(d.id('7'), 0)
  assert.equal(d.idOfInt(3_000_000), 1)
  assert.equal(d.id('99999999999'), 2) // above the direct-table limit: the Map path
  assert.equal(d.id('u7'), 3)
  assert.equal(d.id('007'), 4) // not canonical: a string key, distinct from 7
  assert.equal(d.idOfInt(7), 0)
  assert.equal(d.id('3000000'), 1)
  assert.equal(d.idOfInt(99999999999), 2)
  assert.deepEqual(d.values, ['7', '3000000', '99999999999', 'u7', '007'])
  assert.equal(d.size, 5)
})

test('KeyDict.lookup finds without inserting, -1 when absent', () => {
  const d = new KeyDict()
  d.id('12')
  d.id('123456789012')
  assert.equal(d.lookup('12'), 0)
  assert.equal(d.lookup('123456789012'), 1)
  assert.equal(d.lookup('13'), -1)
  assert.equal(d.lookup('50000000'), -1)
  assert.equal(d.lookup('16777215'), -1) // last value of the direct range, beyond its current size
  assert.equal(d.lookup('x'), -1)
  assert.equal(d.size, 2)
})
