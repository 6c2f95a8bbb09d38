import {test} from 'node:test'
import assert from 'node:assert/strict'
import {formatPath, getPath, leaves, matchPath, parsePath} from '../../src/results/paths.js'

const result = {
  rows: 10,
  scores: {pctr: {auc: 0.7, auc_ci: [0.6, 0.8]}, 'm.v2': {auc: 0.72}},
  at: {'50': {click_recall: 0.3}},
  results: [{metric: 'ctr', p_value: 0.01}, {metric: 'cvr', p_value: 0.2}],
}

test('parsePath splits on dots and marks * segments as wildcards', () => {
  assert.deepEqual(parsePath('scores.*.auc'), {segments: ['scores', '*', 'auc'], wild: [false, true, false]})
})

test('parsePath reads \\. and \\* as literal characters of a key', () => {
  assert.deepEqual(parsePath('scores.m\\.v2.auc'), {segments: ['scores', 'm.v2', 'auc'], wild: [false, false, false]})
  assert.deepEqual(parsePath('a.\\*'), {segments: ['a', '*'], wild: [false, false]})
})

test('parsePath rejects empty segments', () => {
  assert.throws(() => parsePath('scores..auc'), /empty segment/)
  assert.throws(() => parsePath(''), /empty segment/)
  assert.throws(() => parsePath('scores.'), /empty segment/)
})

test('formatPath escapes what parsePath unescapes', () => {
  assert.equal(formatPath(['scores', 'm.v2', 'auc']), 'scores.m\\.v2.auc')
  assert.deepEqual(parsePath(formatPath(['a*', 'b\\c', 'd.e'])).segments, ['a*', 'b\\c', 'd.e'])
})

test('matchPath: * matches one segment of objects, in document order', () => {
  const m = matchPath(result, parsePath('scores.*.auc'))
  assert.deepEqual(m.map((x) => [x.path, x.value]), [[['scores', 'pctr', 'auc'], 0.7], [['scores', 'm.v2', 'auc'], 0.72]])
})

test('matchPath: numeric segments index arrays, * matches every index', () => {
  assert.deepEqual(matchPath(result, parsePath('results.*.p_value')).map((x) => x.value), [0.01, 0.2])
  assert.deepEqual(matchPath(result, parsePath('results.1.metric')).map((x) => x.value), ['cvr'])
  assert.deepEqual(matchPath(result, parsePath('scores.pctr.auc_ci.1')).map((x) => x.value), [0.8])
  assert.deepEqual(matchPath(result, parsePath('results.2.metric')), [])
})

test('matchPath: keys that look like numbers address object keys', () => {
  assert.deepEqual(matchPath(result, parsePath('at.50.click_recall')).map((x) => x.value), [0.3])
})

test('matchPath: * does not match across two segments, and nothing below a scalar', () => {
  assert.deepEqual(matchPath(result, parsePath('*.auc')), [])
  assert.deepEqual(matchPath(result, parsePath('rows.*')), [])
})

test('matchPath does not see inherited properties', () => {
  assert.deepEqual(matchPath(result, parsePath('scores.constructor')), [])
  assert.equal(getPath(result, ['toString']).found, false)
})

test('getPath finds null values (found, value null) and misses absent ones', () => {
  assert.deepEqual(getPath({a: {b: null}}, ['a', 'b']), {found: true, value: null})
  assert.deepEqual(getPath({a: {}}, ['a', 'b']), {found: false, value: undefined})
})

test('leaves lists every scalar with its path', () => {
  assert.deepEqual(
    leaves({a: 1, b: {c: [true, null]}, d: 'x', e: {}}).map((l) => [formatPath(l.path), l.value]),
    [['a', 1], ['b.c.0', true], ['b.c.1', null], ['d', 'x']],
  )
})
