import {test} from 'node:test'
import assert from 'node:assert/strict'
import {parseTag, parseTags} from '../../src/history/tags.js'
import {parseWhen} from '../../src/history/dates.js'
import {dbPath} from '../../src/history/location.js'

test("parseTag('--tag', 'model=v2') is ['model', 'v2']", () => {
  assert.deepEqual(parseTag('--tag', 'model=v2'), ['model', 'v2'])
  assert.deepEqual(parseTag('--tag', 'expr=a=b'), ['expr', 'a=b'])
  assert.deepEqual(parseTag('--tag', 'note='), ['note', ''])
  assert.deepEqual(parseTag('--tag', 'ci/job.name:x-1=ok'), ['ci/job.name:x-1', 'ok'])
})

test('parseTag rejects a missing = and odd keys', () => {
  assert.throws(() => parseTag('--tag', 'model'), /--tag takes KEY=VALUE, not "model"/)
  assert.throws(() => parseTag('--tag', '=v'), /the key must be/)
  assert.throws(() => parseTag('--tag', 'a b=v'), /the key must be/)
})

test('parseTags: a key given twice with different values is an error; the same value is fine', () => {
  assert.deepEqual(parseTags('--tag', ['a=1', 'b=2', 'a=1']), {a: '1', b: '2'})
  assert.throws(() => parseTags('--tag', ['a=1', 'a=2']), /--tag a is given twice \("1" and "2"\)/)
})

const now = new Date('2024-05-08T10:30:00.000Z')

test("parseWhen('--since', '2024-05-01', 'start') is midnight UTC", () => {
  assert.equal(parseWhen('--since', '2024-05-01', 'start', now), '2024-05-01T00:00:00.000Z')
})

test('parseWhen: a plain date as an end bound includes that whole day', () => {
  assert.equal(parseWhen('--until', '2024-05-07', 'end', now), '2024-05-08T00:00:00.000Z')
  assert.equal(parseWhen('--until', '2024-12-31', 'end', now), '2025-01-01T00:00:00.000Z')
})

test('parseWhen: times with and without zones (none means UTC)', () => {
  assert.equal(parseWhen('--since', '2024-05-01T12:00:00Z', 'start', now), '2024-05-01T12:00:00.000Z')
  assert.equal(parseWhen('--since', '2024-05-01T12:00', 'start', now), '2024-05-01T12:00:00.000Z')
  assert.equal(parseWhen('--since', '2024-05-01T14:00:00+02:00', 'start', now), '2024-05-01T12:00:00.000Z')
  assert.equal(parseWhen('--until', '2024-05-01 12:00:00.5Z', 'end', now), '2024-05-01T12:00:00.500Z')
})

test('parseWhen: ages count back from now', () => {
  assert.equal(parseWhen('--since', '7d', 'start', now), '2024-05-01T10:30:00.000Z')
  assert.equal(parseWhen('--since', '12h', 'start', now), '2024-05-07T22:30:00.000Z')
  assert.equal(parseWhen('--since', '30m', 'start', now), '2024-05-08T10:00:00.000Z')
  assert.equal(parseWhen('--since', '2w', 'start', now), '2024-04-24T10:30:00.000Z')
  assert.equal(parseWhen('--until', 'now', 'end', now), '2024-05-08T10:30:00.000Z')
  assert.equal(parseWhen('--since', 'today', 'start', now), '2024-05-08T00:00:00.000Z')
  assert.equal(parseWhen('--until', 'today', 'end', now), '2024-05-09T00:00:00.000Z')
})

test('parseWhen rejects impossible dates and other text', () => {
  assert.throws(() => parseWhen('--since', '2024-02-30', 'start', now), /--since takes a date \(2024-05-01\), a time \(2024-05-01T12:00:00Z\) or an age \(7d, 12h, 30m, 2w\), not "2024-02-30"/)
  assert.throws(() => parseWhen('--since', 'last week', 'start', now), /--since takes a date/)
  assert.throws(() => parseWhen('--until', '05/01/2024', 'end', now), /--until takes/)
  assert.throws(() => parseWhen('--since', '7y', 'start', now), /--since takes/)
})

test('dbPath: --db, else $RECEVAL_DB, else ./receval.sqlite', () => {
  assert.equal(dbPath('x.sqlite', {RECEVAL_DB: 'env.sqlite'}), 'x.sqlite')
  assert.equal(dbPath(undefined, {RECEVAL_DB: 'env.sqlite'}), 'env.sqlite')
  assert.equal(dbPath(undefined, {RECEVAL_DB: ''}), 'receval.sqlite')
  assert.equal(dbPath(undefined, {}), 'receval.sqlite')
})
