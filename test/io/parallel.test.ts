import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readTable, ColumnRequest, floatColumn, labelColumn, keyColumn, keyListColumn, Table} from '../../src/io/index.js'
import {InputError} from '../../src/cli/errors.js'
import {tempDir, writeFile} from '../helpers/cli.js'

// Large plain files are read by two threads; these tests force that path on small files
// (RECEVAL_PARALLEL_MIN=1) and compare it with the one-thread reader.
const dir = tempDir()
const reqs = (): ColumnRequest[] => [
  {role: 'label', name: 'label', kind: 'label'},
  {role: 'score', name: 'score', kind: 'float'},
  {role: 'user', name: 'user', kind: 'key'},
  {role: 'items', name: 'items', kind: 'keylist', sep: ' '},
]

async function both(path: string, opts = {}, requests = reqs) {
  process.env.RECEVAL_PARALLEL_MIN = '1'
  try {
    const two = await readTable(path, requests(), opts)
    const one = await readTable(path, requests(), {...opts, threads: 1})
    return {one, two}
  } finally {
    delete process.env.RECEVAL_PARALLEL_MIN
  }
}

/** Scores, labels and user keys (ids and dictionary order) equal between one and two threads. */
function sameColumns(one: {table: Table}, two: {table: Table}): void {
  assert.deepEqual([...floatColumn(two.table, 'score')], [...floatColumn(one.table, 'score')])
  assert.deepEqual([...labelColumn(two.table, 'label')], [...labelColumn(one.table, 'label')])
  const k1 = keyColumn(one.table, 'user')
  const k2 = keyColumn(two.table, 'user')
  assert.deepEqual([...k2.data], [...k1.data])
  assert.deepEqual(k2.dict.values, k1.dict.values)
}

/** The key lists of column "items" equal between one and two threads (offsets and texts). */
function sameLists(one: {table: Table}, two: {table: Table}): void {
  const l1 = keyListColumn(one.table, 'items')
  const l2 = keyListColumn(two.table, 'items')
  assert.deepEqual([...l2.offsets], [...l1.offsets])
  assert.deepEqual([...l2.ids].map((i) => l2.dict.values[i]), [...l1.ids].map((i) => l1.dict.values[i]))
}

function lines(n: number, row: (i: number) => string): string {
  return ['user,label,score,items', ...Array.from({length: n}, (_, i) => row(i))].join('\n') + '\n'
}

test('two reader threads give the same table as one: values, key ids in first-appearance order, key lists', async () => {
  const f = writeFile(dir, 'p.csv', lines(5000, (i) => `${i % 3 === 0 ? 'u' + (i % 97) : i % 211},${i % 2},${(i % 1000) / 1000},${i % 5} ${i % 7} x${i % 3}`))
  const {one, two} = await both(f)
  assert.equal(two.table.rows, 5000)
  sameColumns(one, two)
  sameLists(one, two)
})

test('an error in the second half names its line in the whole file', async () => {
  const f = writeFile(dir, 'e.csv', lines(4000, (i) => `u${i},${i === 3500 ? 'maybe' : 1},0.5,a`))
  process.env.RECEVAL_PARALLEL_MIN = '1'
  try {
    await assert.rejects(readTable(f, reqs()), (e: unknown) => e instanceof InputError && e.line === 3502 && e.column === 'label' && /"maybe" is not a label/.test(e.message))
  } finally {
    delete process.env.RECEVAL_PARALLEL_MIN
  }
})

test('--drop-invalid counts dropped rows in both halves', async () => {
  const f = writeFile(dir, 'd.csv', lines(4000, (i) => `u${i},1,${i % 1000 === 7 ? 'NaN' : 0.5},a`))
  const {one, two} = await both(f, {dropInvalid: true})
  assert.equal(two.table.dropped, 4)
  assert.equal(two.table.rows, one.table.rows)
})

test('a split inside a quoted field falls back to one thread and still reads exactly', async () => {
  // one huge quoted field spanning the middle of the file
  const big = 'x\n'.repeat(20000)
  const f = writeFile(dir, 'q.csv', `user,label,score,items\nu1,1,0.5,"${big}"\nu2,0,0.25,b\n`)
  const {one, two} = await both(f)
  assert.equal(two.table.rows, 2)
  assert.deepEqual([...floatColumn(two.table, 'score')], [0.5, 0.25])
  assert.deepEqual([...floatColumn(one.table, 'score')], [0.5, 0.25])
})

test('a poor row estimate (rows much longer or shorter than in the first 64 KB) still reads exactly', async () => {
  // long rows first: both halves outgrow their part of the shared arrays and are copied
  const pad = 'x'.repeat(120)
  const longFirst = writeFile(dir, 'long-first.csv', ['user,label,score,items,pad', ...Array.from({length: 30000}, (_, i) => `${i % 977},${i % 2},${(i % 1000) / 1000},${i % 5},${i < 1000 ? pad : ''}`)].join('\n') + '\n')
  // short rows first: the estimate is far too high, the rows stay in place with slack
  const shortFirst = writeFile(dir, 'short-first.csv', ['user,label,score,items,pad', ...Array.from({length: 30000}, (_, i) => `${i % 977},${i % 2},${(i % 1000) / 1000},${i % 5},${i >= 3000 ? pad : ''}`)].join('\n') + '\n')
  for (const f of [longFirst, shortFirst]) {
    const {one, two} = await both(f)
    assert.equal(two.table.rows, 30000)
    sameColumns(one, two)
  }
})

test('records straddling the 1 MiB read chunks, quoted newlines and delimiters included, read as one thread reads them', async () => {
  // 13 MiB: each half crosses several chunk boundaries; every third record spans two lines (a
  // quoted key list with a newline), others have quoted delimiters and CRLF endings
  const f = writeFile(
    dir,
    'straddle.csv',
    lines(400000, (i) => {
      const items = i % 3 === 0 ? `"${i % 5} a,b\n${i % 7}"` : i % 3 === 1 ? `"${i % 5} ""q"" ${i % 11}"` : `${i % 13} z`
      return `${i % 997},${i % 2},${((i * 7919) % 100003) / 100003},${items}${i % 4 === 0 ? '\r' : ''}`
    }),
  )
  const {one, two} = await both(f)
  assert.equal(two.table.rows, 400000)
  sameColumns(one, two)
  sameLists(one, two)
  // an error after many chunks still names its line
  const bad = writeFile(dir, 'straddle-bad.csv', lines(150000, (i) => `${i % 997},${i === 123456 ? 7 : i % 2},0.5,"a\n${i % 3}"`))
  process.env.RECEVAL_PARALLEL_MIN = '1'
  try {
    await assert.rejects(readTable(bad, reqs()), /straddle-bad\.csv:246914: column "label": "7" is not a label/)
  } finally {
    delete process.env.RECEVAL_PARALLEL_MIN
  }
  await assert.rejects(readTable(bad, reqs(), {threads: 1}), /straddle-bad\.csv:246914: column "label": "7" is not a label/)
})

test('small integer keys of the second half get their ids from the first thread, in first-appearance order', async () => {
  // without a key list the halves stay in place in the shared arrays (a key list's column is
  // not shared, and then every column is copied): the column keeps the arrays' slack
  const flat = (): ColumnRequest[] => reqs().filter((r) => r.kind !== 'keylist')
  const inPlace = (t: {table: Table}) => keyColumn(t.table, 'user').data.buffer.byteLength > 4 * t.table.rows
  // keys below 2^24 only (the second thread leaves them without ids), half of them first seen in
  // the second half; then the same with one key of 2^24 (the second thread gives ids itself)
  for (const [name, top] of [['small', 2 ** 24 - 1], ['one-large', 2 ** 24]] as const) {
    const f = writeFile(dir, `${name}.csv`, lines(6000, (i) => `${i === 5999 ? top : i < 3000 ? (i * 7) % 500 : (i * 13) % 1500},${i % 2},${(i % 1000) / 1000},a`))
    for (const [how, requests] of [['in place', flat], ['copied', reqs]] as const) {
      const {one, two} = await both(f, {}, requests)
      sameColumns(one, two)
      assert.equal(inPlace(two), how === 'in place', `${name}: ${how}`)
      const k = keyColumn(two.table, 'user')
      assert.equal(k.dict.values[k.data[5999]], String(top), name)
      assert.equal(k.dict.size, new Set(k.data).size, name)
    }
  }
  // and with both halves outgrowing their part of the shared arrays (copied)
  const pad = 'x'.repeat(200)
  const f = writeFile(dir, 'small-copied.csv', ['user,label,score,items,pad', ...Array.from({length: 20000}, (_, i) => `${(i * 31) % (i < 10000 ? 700 : 2100)},${i % 2},0.5,a,${i < 500 ? pad : ''}`)].join('\n') + '\n')
  const {one, two} = await both(f, {}, flat)
  sameColumns(one, two)
  assert.equal(inPlace(two), false)
})
