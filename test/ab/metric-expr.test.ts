import {test} from 'node:test'
import assert from 'node:assert/strict'
import {parseMetric, parseMetrics} from '../../src/ab/metric-expr.js'
import {parseCap} from '../../src/ab/units.js'
import {parseSplit} from '../../src/ab/run.js'
import {armOrder, sortedLabels} from '../../src/ab/data.js'

test('parseMetric reads COL, NUM/DEN and SCALE*NUM/DEN', () => {
  assert.deepEqual(parseMetric('cpm=1000*cost/impressions'), {name: 'cpm', expr: '1000*cost/impressions', num: 'cost', den: 'impressions', scale: 1000})
  assert.deepEqual(parseMetric('ctr=clicks/impressions'), {name: 'ctr', expr: 'clicks/impressions', num: 'clicks', den: 'impressions', scale: 1})
  assert.deepEqual(parseMetric('rpu=revenue'), {name: 'rpu', expr: 'revenue', num: 'revenue', den: null, scale: 1})
  assert.deepEqual(parseMetric(' ppc = cost / clicks '), {name: 'ppc', expr: 'cost / clicks', num: 'cost', den: 'clicks', scale: 1})
  assert.equal(parseMetric('x=1e3*a/b').scale, 1000)
  assert.equal(parseMetric('x=-1*a').scale, -1)
})

test('parseMetric rejects malformed expressions with the flag named', () => {
  for (const bad of ['ctr', '=a/b', 'ctr=', 'c=a/b/c', 'c=*a/b', 'c=x*a', 'c=0*a/b', 'c=a/', 'c=/b', 'c=2*3*a', '9c=a']) {
    assert.throws(() => parseMetric(bad), (e: Error) => e.message.startsWith(`--metric "${bad}": `), bad)
  }
  assert.throws(() => parseMetrics([]), /give at least one --metric/)
  assert.throws(() => parseMetrics(['a=x', 'a=y']), /--metric "a" is given twice/)
})

test('parseCap reads percentiles and absolute caps', () => {
  assert.deepEqual(parseCap('revenue=P99.9'), {column: 'revenue', rule: 'P99.9', percentile: 99.9})
  assert.deepEqual(parseCap('revenue=p50'), {column: 'revenue', rule: 'p50', percentile: 50})
  assert.deepEqual(parseCap('revenue=500'), {column: 'revenue', rule: '500', value: 500})
  for (const bad of ['revenue', '=P9', 'r=P', 'r=P100', 'r=P0', 'r=big']) assert.throws(() => parseCap(bad), /--cap/, bad)
})

test('parseSplit reads shares on any scale', () => {
  assert.deepEqual(parseSplit('control=50,treatment=50'), new Map([['control', 50], ['treatment', 50]]))
  assert.deepEqual(parseSplit('a=1, b=2'), new Map([['a', 1], ['b', 2]]))
  for (const bad of ['a', 'a=0,b=1', 'a=-1', 'a=1,a=2', '=3']) assert.throws(() => parseSplit(bad), /--expected-split/, bad)
})

test('sortedLabels sorts numbers as numbers and everything else as text; armOrder puts the control first', () => {
  assert.deepEqual(sortedLabels(['10', '9', '11']), [1, 0, 2])
  assert.deepEqual(sortedLabels(['2024-05-02', '2024-05-01']), [1, 0])
  assert.deepEqual(armOrder(['t2', 'control', 't1'], 'control'), ['control', 't1', 't2'])
})
