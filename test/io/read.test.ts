import {test} from 'node:test'
import assert from 'node:assert/strict'
import {gzipSync} from 'node:zlib'
import {readTable, ColumnRequest, KeyDict, floatColumn, labelColumn, keyColumn, keyListColumn} from '../../src/io/index.js'
import {InputError} from '../../src/cli/errors.js'
import {tempDir, writeFile} from '../helpers/cli.js'

const dir = tempDir()
const LS: ColumnRequest[] = [
  {role: 'label', flag: '--label', defaults: ['label', 'click'], kind: 'label'},
  {role: 'score', flag: '--score', defaults: ['score', 'pctr'], kind: 'float'},
]
const read = (name: string, content: string | Buffer, reqs: ColumnRequest[] = LS, opts = {}) => readTable(writeFile(dir, name, content), reqs, opts)

async function rejects(p: Promise<unknown>, re: RegExp, where?: {line?: number; column?: string}) {
  try {
    await p
  } catch (e) {
    assert.ok(e instanceof InputError, `expected InputError, got ${e}`)
    assert.match(e.message, re)
    if (where?.line !== undefined) assert.equal(e.line, where.line)
    if (where?.column !== undefined) assert.equal(e.column, where.column)
    return
  }
  assert.fail(`expected an error matching ${re}`)
}

test('readTable reads only the needed columns into typed arrays', async () => {
  const {table, names} = await read('a.csv', 'user,label,score,extra\nu1,1,0.5,x\nu2,0,0.25,y\n')
  assert.deepEqual(names, ['label', 'score'])
  assert.equal(table.rows, 2)
  assert.deepEqual([...labelColumn(table, 'label')], [1, 0])
  assert.deepEqual([...floatColumn(table, 'score')], [0.5, 0.25])
  assert.equal(table.columns.size, 2)
})

test('defaults are tried in order and the first present wins', async () => {
  const {names} = await read('b.csv', 'pctr,click,score\n0.1,1,0.2\n')
  assert.deepEqual(names, ['click', 'score'])
})

test('RFC 4180 quoting: delimiters, doubled quotes and newlines inside quotes; CRLF; BOM', async () => {
  const text = '\ufeff"key","label","score"\r\n"a,b",1,"0.5"\r\n"say ""hi""",0,0.25\r\n"two\r\nlines",1,"1e-3"\r\n'
  const reqs: ColumnRequest[] = [...LS, {role: 'key', name: 'key', kind: 'key'}]
  const {table} = await read('q.csv', text, reqs)
  const k = keyColumn(table, 'key')
  assert.deepEqual([...k.data].map((i) => k.dict.values[i]), ['a,b', 'say "hi"', 'two\r\nlines'])
  assert.deepEqual([...floatColumn(table, 'score')], [0.5, 0.25, 0.001])
  assert.deepEqual([...labelColumn(table, 'label')], [1, 0, 1])
})

test('line numbers count the newlines inside quoted fields', async () => {
  await rejects(read('q2.csv', 'k,label,score\n"x\ny",1,0.5\nz,1,oops\n', [...LS, {role: 'k', name: 'k', kind: 'key'}]), /"oops" is not a number/, {line: 4, column: 'score'})
})

test('gzip is read by its magic bytes, whatever the name', async () => {
  const text = 'label,score\n1,0.9\n0,0.1\n'
  const a = await read('g.csv.gz', gzipSync(text))
  const b = await read('g2.csv', gzipSync(text))
  assert.deepEqual([...floatColumn(a.table, 'score')], [0.9, 0.1])
  assert.deepEqual([...floatColumn(b.table, 'score')], [0.9, 0.1])
})

test('TSV, and TXT with a sniffed delimiter (tab, semicolon, space)', async () => {
  for (const [name, text] of [
    ['t.tsv', 'label\tscore\n1\t0.5\n'],
    ['t1.txt', 'label\tscore\n1\t0.5\n'],
    ['t2.txt', 'label;score\n1;0.5\n'],
    ['t3.txt', 'label score\n1 0.5\n'],
  ]) {
    const {table} = await read(name, text)
    assert.deepEqual([...floatColumn(table, 'score')], [0.5], name)
  }
})

test('JSONL: numbers, strings and booleans; blank lines skipped; line numbers in errors', async () => {
  const {table} = await read('j.jsonl', '{"label": true, "score": 0.5}\n\n{"label": "0", "score": "0.25"}\n{"label": 1, "score": 1}\n')
  assert.deepEqual([...labelColumn(table, 'label')], [1, 0, 1])
  assert.deepEqual([...floatColumn(table, 'score')], [0.5, 0.25, 1])
  await rejects(read('j2.jsonl', '{"label": 1, "score": 0.5}\n{"label": 1, "score": null}\n'), /not a number/, {line: 2, column: 'score'})
  await rejects(read('j3.ndjson', '{"label": 1, "score": 0.5}\n{"label": 1, "score": 0.5\n'), /not valid JSON/, {line: 2})
  await rejects(read('j4.jsonl', '{"label": 1, "score": 0.5}\n{"label": 1}\n'), /no field "score"/, {line: 2, column: 'score'})
})

test('a missing column lists the columns the file has', async () => {
  await rejects(read('m.csv', 'a,b\n1,2\n'), /no label column: tried label, click \(name it with --label\); the file has columns: "a", "b"/)
  await rejects(read('m2.csv', 'label,score\n1,2\n', [...LS, {role: 'score', flag: '--score', name: 'pctr_v9', kind: 'float'}]), /no column "pctr_v9" \(--score\); the file has columns: "label", "score"/)
})

test('invalid values name file, line and column; --drop-invalid drops and counts them', async () => {
  const text = 'label,score\n1,0.5\n0,\n1,NaN\n0,inf\n2,0.3\n1,abc\n0,0.1\n'
  await rejects(read('v.csv', text), /v\.csv:3: column "score": empty value/, {line: 3, column: 'score'})
  const {table} = await read('v.csv', text, LS, {dropInvalid: true})
  assert.equal(table.rows, 2)
  assert.equal(table.dropped, 5)
  assert.deepEqual([...floatColumn(table, 'score')], [0.5, 0.1])
  await rejects(read('v2.csv', 'label,score\n1,0.5\nyes,0.1\n'), /"yes" is not a label/, {line: 3, column: 'label'})
})

test('a negative weight is an error even with --drop-invalid', async () => {
  const reqs: ColumnRequest[] = [...LS, {role: 'weight', name: 'w', kind: 'float', nonNegative: true}]
  await rejects(read('w.csv', 'label,score,w\n1,0.5,1\n0,0.5,-2\n', reqs, {dropInvalid: true}), /-2 is negative/, {line: 3, column: 'w'})
})

test('structural problems: too few fields, unterminated quote, text after a closing quote', async () => {
  await rejects(read('f.csv', 'label,score\n1,0.5\n1\n'), /row has 1 field but column "score" is field 2/, {line: 3})
  await rejects(read('u.csv', 'label,score\n1,"0.5\n0,0.1\n'), /unterminated quoted field/, {line: 2})
  await rejects(read('x.csv', 'label,score\n1,"0.5"x\n'), /unexpected text after a closing quote/, {line: 2})
})

test('empty file, blank file, header only, binary data, truncated gzip, missing file', async () => {
  await rejects(read('e.csv', ''), /file is empty/)
  await rejects(read('e2.csv', '\n'), /file is empty/)
  await rejects(read('h.csv', 'label,score\n'), /no data rows \(the file has a header only\)/)
  await rejects(read('bin.csv', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0xff, 0x10])), /binary data/)
  const gz = gzipSync('label,score\n' + '1,0.5\n'.repeat(10000))
  await rejects(read('t.csv.gz', gz.subarray(0, gz.length - 20)), /truncated or corrupt gzip/)
  await rejects(readTable(dir + '/nope.csv', LS), /nope\.csv: no such file/)
})

test('records crossing 1 MB chunk boundaries, with and without quotes, read exactly', async () => {
  const n = 60000
  const lines = ['k,label,score']
  for (let i = 0; i < n; i++) lines.push(i % 7 === 0 ? `"k${i},x",${i % 2},"${i / 8}"` : `k${i},${i % 2},${i / 8}`)
  const reqs: ColumnRequest[] = [...LS, {role: 'k', name: 'k', kind: 'key'}]
  for (const eol of ['\n', '\r\n']) {
    const {table} = await read('big.csv', lines.join(eol) + eol, reqs)
    assert.equal(table.rows, n)
    const s = floatColumn(table, 'score')
    const k = keyColumn(table, 'k')
    for (let i = 0; i < n; i += 997) {
      assert.equal(s[i], i / 8)
      assert.equal(k.dict.values[k.data[i]], i % 7 === 0 ? `k${i},x` : `k${i}`)
    }
  }
})

test('a shared KeyDict gives the same ids to the same keys in two files; integers and strings do not collide', async () => {
  const dict = new KeyDict()
  const req = (): ColumnRequest[] => [{role: 'key', name: 'u', kind: 'key', dict}]
  const a = await read('k1.csv', 'u\n7\n007\nalice\n', req())
  const b = await read('k2.csv', 'u\nalice\n7\n', req())
  const ka = keyColumn(a.table, 'u')
  const kb = keyColumn(b.table, 'u')
  assert.equal(dict.size, 3)
  assert.deepEqual([...ka.data].map((i) => dict.values[i]), ['7', '007', 'alice'])
  assert.equal(kb.data[0], ka.data[2])
  assert.equal(kb.data[1], ka.data[0])
  assert.equal(dict.lookup('007'), ka.data[1])
  assert.equal(dict.lookup('8'), -1)
})

test('key lists split on the separators; JSON arrays are taken as they are', async () => {
  const req: ColumnRequest[] = [{role: 'items', name: 'items', kind: 'keylist', sep: ', '}]
  const {table} = await read('l.csv', 'items\n"1,2,3"\n4 5\n\n"a, b"\n', req)
  const c = keyListColumn(table, 'items')
  const rows = Array.from({length: table.rows}, (_, r) => [...c.ids.subarray(c.offsets[r], c.offsets[r + 1])].map((i) => c.dict.values[i]))
  assert.deepEqual(rows, [['1', '2', '3'], ['4', '5'], ['a', 'b']])
  const j = await read('l.jsonl', '{"items": [1, "x"]}\n', req)
  const cj = keyListColumn(j.table, 'items')
  assert.deepEqual([...cj.ids].map((i) => cj.dict.values[i]), ['1', 'x'])
})
