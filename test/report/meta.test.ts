import {test} from 'node:test'
import assert from 'node:assert/strict'
import {reportMeta, reportTime} from '../../src/report/meta.js'

test('reportMeta builds the command line from the oclif id and argv, and copies the inputs', () => {
  const m = reportMeta({id: 'report:weekly', argv: ['--db', 'runs.sqlite', '--html', 'w.html'], version: '1.2.3', inputs: [{path: 'a.csv', format: 'csv', bytes: 10, mtime: '2024-01-01T00:00:00.000Z'}], tags: {model: 'v2'}}, new Date('2024-02-03T04:05:06Z'))
  assert.deepEqual(m, {
    command: 'report weekly',
    version: '1.2.3',
    generatedAt: '2024-02-03T04:05:06.000Z',
    argv: ['receval', 'report', 'weekly', '--db', 'runs.sqlite', '--html', 'w.html'],
    cwd: process.cwd(),
    inputs: [{path: 'a.csv', format: 'csv', bytes: 10, mtime: '2024-01-01T00:00:00.000Z', sha256: undefined}],
    tags: {model: 'v2'},
  })
})

test('reportTime is SOURCE_DATE_EPOCH when it is set', () => {
  const old = process.env.SOURCE_DATE_EPOCH
  try {
    process.env.SOURCE_DATE_EPOCH = '86400'
    assert.equal(reportTime().toISOString(), '1970-01-02T00:00:00.000Z')
    process.env.SOURCE_DATE_EPOCH = 'not a number'
    assert.ok(Math.abs(reportTime().getTime() - Date.now()) < 60000)
  } finally {
    if (old === undefined) delete process.env.SOURCE_DATE_EPOCH
    else process.env.SOURCE_DATE_EPOCH = old
  }
})
