import {test} from 'node:test'
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {tempDir, writeFile} from '../helpers/cli.js'
import {parseRef, readResultFile} from '../../src/history/refs.js'

test("parseRef('--baseline', 'run:12') names a stored run; tag:K=V a tag; anything else a file", () => {
  assert.deepEqual(parseRef('--baseline', 'run:12'), {kind: 'run', id: 12})
  assert.deepEqual(parseRef('--baseline', 'tag:branch=main'), {kind: 'tag', key: 'branch', value: 'main'})
  assert.deepEqual(parseRef('--baseline', 'tag:sha=a=b'), {kind: 'tag', key: 'sha', value: 'a=b'})
  assert.deepEqual(parseRef('--baseline', 'results/base.json'), {kind: 'file', path: 'results/base.json'})
  assert.deepEqual(parseRef('--baseline', './run:12'), {kind: 'file', path: './run:12'})
  assert.deepEqual(parseRef('--baseline', '-'), {kind: 'file', path: '-'})
})

test('parseRef rejects malformed run: and tag: references', () => {
  assert.throws(() => parseRef('--baseline', 'run:x'), {message: '--baseline run:x: run:ID takes a positive run number, like run:12'})
  assert.throws(() => parseRef('--baseline', 'run:0'), /positive run number/)
  assert.throws(() => parseRef('--baseline', 'run:'), /positive run number/)
  assert.throws(() => parseRef('--baseline', 'tag:branch'), {message: '--baseline tag: takes KEY=VALUE, not "branch"'})
  assert.throws(() => parseRef('--baseline', ''), /--baseline is empty/)
})

test('readResultFile reads a result object, with or without a BOM', () => {
  const dir = tempDir()
  assert.deepEqual(readResultFile(writeFile(dir, 'a.json', '{"command": "auc", "rows": 3}')), {command: 'auc', rows: 3})
  assert.deepEqual(readResultFile(writeFile(dir, 'b.json', '\ufeff{"rows": 3}\n')), {rows: 3})
})

test('readResultFile: missing, empty, not JSON, not an object, an error object: each names the file', () => {
  const dir = tempDir()
  const missing = join(dir, 'nope.json')
  assert.throws(() => readResultFile(missing), {message: `${missing}: no such file`})
  assert.throws(() => readResultFile(dir), {message: `${dir}: is a directory, not a JSON result`})
  const empty = writeFile(dir, 'empty.json', '  \n')
  assert.throws(() => readResultFile(empty), {message: `${empty}: file is empty (expected the JSON printed by a receval command with --json)`})
  const bad = writeFile(dir, 'bad.json', '{\n  "a": 1\n  "b": 2\n}')
  assert.throws(() => readResultFile(bad), (e: Error & {line?: number}) => e.line === 3 && e.message === `${bad}:3: not valid JSON at character 3 (Expected ',' or '}' after property value)`)
  const truncated = writeFile(dir, 'cut.json', '{"a": [1, 2')
  assert.throws(() => readResultFile(truncated), /cut\.json(:1)?: not valid JSON/)
  const list = writeFile(dir, 'list.json', '[1, 2]')
  assert.throws(() => readResultFile(list), {message: `${list}: expected a JSON object (a receval result), not a list`})
  const num = writeFile(dir, 'num.json', '42')
  assert.throws(() => readResultFile(num), {message: `${num}: expected a JSON object (a receval result), not 42`})
  const err = writeFile(dir, 'err.json', '{"error": {"message": "x.csv: no such file", "code": "INPUT_ERROR", "exitCode": 2}}')
  assert.throws(() => readResultFile(err), {message: `${err}: holds the error of a failed receval run, not a result: x.csv: no such file`})
})
