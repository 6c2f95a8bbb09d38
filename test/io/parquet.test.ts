import {test} from 'node:test'
import assert from 'node:assert/strict'
import {createRequire} from 'node:module'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {receval, ROOT, tempDir, writeFile} from '../helpers/cli.js'
import {ColumnRequest, floatColumn, keyColumn, labelColumn, readTable} from '../../src/io/index.js'

// fixtures/parquet/*.parquet are made from fixtures/ctr.csv by fixtures/gen-parquet.mjs (DuckDB).
// Reading Parquet needs the optional packages hyparquet + hyparquet-compressors: skip without them.
async function available(id: string): Promise<'import' | 'require' | undefined> {
  try {
    await import(id)
    return 'import'
  } catch {
    try {
      createRequire(import.meta.url)(id)
      return 'require'
    } catch {
      return undefined
    }
  }
}
const how = await available('hyparquet')
const skip = how && (await available('hyparquet-compressors')) ? false : 'hyparquet / hyparquet-compressors are not installed (optional dependencies; npm install hyparquet@1.31.5 hyparquet-compressors@1.1.2, or point NODE_PATH at a node_modules that has them)'

const dir = tempDir('receval-parquet-')
const csv = writeFile(dir, 'ctr-2000.csv', readFileSync(join(ROOT, 'fixtures/ctr.csv'), 'utf8').split('\n').slice(0, 2001).join('\n') + '\n')
const pq = (f: string) => join(ROOT, 'fixtures/parquet', f)
const requests: ColumnRequest[] = [
  {role: 'label', flag: '--label', defaults: ['label'], kind: 'label'},
  {role: 'score', flag: '--score', name: 'pctr', kind: 'float'},
  {role: 'score', flag: '--score', name: 'pctr_v2', kind: 'float'},
  {role: 'group', flag: '--group', name: 'user_id', kind: 'key'},
  {role: 'weight', flag: '--weight', name: 'bid', kind: 'float', nonNegative: true},
]

test('readTable reads snappy, gzip and zstd Parquet into the same typed columns as the CSV', {skip}, async () => {
  const want = (await readTable(csv, requests, {progress: false})).table
  for (const codec of ['snappy', 'gzip', 'zstd']) {
    const {table, names} = await readTable(pq(`ctr-2000.${codec}.parquet`), requests, {progress: false})
    assert.deepEqual(names, ['label', 'pctr', 'pctr_v2', 'user_id', 'bid'])
    assert.equal(table.rows, 2000)
    assert.equal(table.source.format, 'parquet')
    assert.deepEqual(table.header, ['user_id', 'item_id', 'label', 'pctr', 'pctr_v2', 'bid'])
    assert.deepEqual(labelColumn(table, 'label'), labelColumn(want, 'label'), codec)
    for (const c of ['pctr', 'pctr_v2', 'bid']) assert.deepEqual(floatColumn(table, c), floatColumn(want, c), `${codec} ${c}`)
    const g = keyColumn(table, 'user_id')
    const h = keyColumn(want, 'user_id')
    assert.deepEqual(Array.from(g.data, (id) => g.dict.text(id)), Array.from(h.data, (id) => h.dict.text(id)), codec)
  }
})

test('Parquet types: BOOLEAN labels, FLOAT scores and INT32 keys', {skip}, async () => {
  const want = (await readTable(csv, requests.slice(0, 3), {progress: false})).table
  const {table} = await readTable(pq('typed.parquet'), [...requests.slice(0, 3), {role: 'group', name: 'item_id', kind: 'key'}], {progress: false})
  assert.deepEqual(labelColumn(table, 'label'), labelColumn(want, 'label'))
  assert.deepEqual(floatColumn(table, 'pctr'), Float64Array.from(floatColumn(want, 'pctr'), Math.fround))
  assert.equal(keyColumn(table, 'item_id').dict.text(keyColumn(table, 'item_id').data[0]), '2714')
})

test('receval auc on Parquet prints what it prints on the CSV', {skip}, () => {
  const args = ['--score', 'pctr', '--score', 'pctr_v2', '--group', 'user_id', '--weight', 'bid', '--json']
  const a = receval(['auc', pq('ctr-2000.zstd.parquet'), ...args])
  const b = receval(['auc', csv, ...args])
  assert.equal(a.code, 0, a.stderr)
  assert.deepEqual({...(a.json as object), file: ''}, {...(b.json as object), file: ''})
})

test('NULLs in Parquet: exit 2 naming the row and column, or dropped with --drop-invalid', {skip}, async () => {
  const r = receval(['auc', pq('nulls.parquet'), '--score', 'pctr'])
  assert.equal(r.code, 2)
  assert.equal(r.stderr, `receval: ${pq('nulls.parquet')}:10: column "pctr": NULL where a number is needed (--drop-invalid skips such rows)\n`)
  const {table} = await readTable(pq('nulls.parquet'), requests.slice(0, 2), {progress: false, dropInvalid: true})
  assert.equal(table.rows, 1997)
  assert.equal(table.dropped, 3)
})

test('a file named .parquet that is not Parquet, a missing file or column: exit 2 with one line', {skip}, () => {
  const fake = writeFile(dir, 'fake.parquet', 'label,score\n1,0.5\n')
  const cases: [string[], RegExp][] = [
    [['auc', fake], /fake\.parquet: not a readable Parquet file/],
    [['auc', join(dir, 'none.parquet')], /none\.parquet: no such file/],
    [['auc', pq('typed.parquet'), '--score', 'nope'], /typed\.parquet: no column "nope" \(--score\); the file has columns: "user_id", "item_id", "label", "pctr", "pctr_v2"/],
    [['auc', '-', '--format', 'parquet'], /--format/],
  ]
  for (const [args, re] of cases) {
    const r = receval(args, {input: ''})
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, re)
  }
})

test('without the optional packages, reading Parquet says how to add them', {skip: how === 'import' ? 'hyparquet is installed in node_modules' : false}, () => {
  const r = receval(['auc', pq('typed.parquet')], {env: {NODE_PATH: ''}})
  assert.equal(r.code, 2)
  assert.match(r.stderr, /reading Parquet needs the optional packages hyparquet and hyparquet-compressors: npm install hyparquet@1\.31\.5 hyparquet-compressors@1\.1\.2/)
})
