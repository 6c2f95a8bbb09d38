import {test} from 'node:test'
import assert from 'node:assert/strict'
import {checkIdentifier, checkWhere, dialectRules, doubleLiteral, tableReference} from '../../src/warehouse/dialect.js'

test('dialectRules(name) knows the six dialects and names them for anything else', () => {
  assert.equal(dialectRules('bigquery').double, 'FLOAT64')
  assert.equal(dialectRules('trino').quote('pctr'), '"pctr"')
  assert.equal(dialectRules('odps').quote('pctr'), '`pctr`')
  assert.throws(() => dialectRules('mysql'), /--dialect must be one of duckdb, spark, hive, odps, bigquery, trino, not "mysql"/)
})

test('checkIdentifier accepts names that quote safely, including spaces, dashes and non-ASCII', () => {
  for (const n of ['pctr', 'pctr_v2', 'my score', 'model-2', '点击率', 'A$1']) assert.equal(checkIdentifier('--score', n), n)
})

test('checkIdentifier refuses quotes, backslash, semicolon, control characters, empty and padded names', () => {
  assert.throws(() => checkIdentifier('--score', 'a`b'), /--score "a\?b": a column name with a quote \(`\)/)
  assert.throws(() => checkIdentifier('--score', 'a"b'), /a quote \("\)/)
  assert.throws(() => checkIdentifier('--score', "a'b"), /a quote \('\)/)
  assert.throws(() => checkIdentifier('--score', 'a\\b'), /a backslash/)
  assert.throws(() => checkIdentifier('--score', 'a;b'), /a semicolon/)
  assert.throws(() => checkIdentifier('--score', 'a\nb'), /a control character \(U\+000A\)/)
  assert.throws(() => checkIdentifier('--label', ''), /--label needs a column name/)
  assert.throws(() => checkIdentifier('--label', ' y'), /leading or trailing spaces/)
  assert.throws(() => checkIdentifier('--label', 'x'.repeat(129)), /longer than 128/)
})

test('tableReference takes one to three dot-separated plain parts, as given', () => {
  const hive = dialectRules('hive')
  assert.equal(tableReference(hive, 'preds'), 'preds')
  assert.equal(tableReference(hive, 'ads.preds'), 'ads.preds')
  assert.equal(tableReference(dialectRules('trino'), 'hive.ads.preds'), 'hive.ads.preds')
  for (const bad of ['a.b.c.d', 'ads.preds x', '(select 1)', 'a..b', '.a', 'read_csv(x)', '`a`']) assert.throws(() => tableReference(hive, bad), /expected a table name/, bad)
  assert.equal(tableReference(dialectRules('bigquery'), 'my-project.ads.preds'), '`my-project.ads.preds`')
})

test('checkWhere accepts ordinary filters, with ; and -- inside quotes', () => {
  for (const w of ["dt = '2024-06-01'", "dt BETWEEN '2024-06-01' AND '2024-06-07' AND (slot IN (1, 2) OR x IS NULL)", "name = 'a;b -- c'", "note = 'it''s'", 'pmod(hash(user_id), 4) = 0', '"odd col" > 0'])
    assert.equal(checkWhere(` ${w} `), w)
})

test('checkWhere refuses what could end the statement or escape the parentheses', () => {
  assert.throws(() => checkWhere('1 = 1; DROP TABLE t'), /a ";" outside quotes/)
  assert.throws(() => checkWhere('x = 1 -- c'), /comments/)
  assert.throws(() => checkWhere('x = 1 /* c */'), /comments/)
  assert.throws(() => checkWhere('1 = 1) OR (1 = 1'), /unbalanced "\)" at character 6/)
  assert.throws(() => checkWhere('(x = 1'), /unbalanced "\("/)
  assert.throws(() => checkWhere("x = 'open"), /unterminated ' quote at character 5/)
  assert.throws(() => checkWhere('  '), /--where needs an expression/)
})

test('doubleLiteral writes shortest round-trip digits with an exponent', () => {
  assert.equal(doubleLiteral(0.5), '5e-1')
  assert.equal(doubleLiteral(0), '0e0')
  assert.equal(doubleLiteral(1e-15), '1e-15')
  assert.equal(doubleLiteral(1 - 1e-15), '9.99999999999999e-1')
  assert.equal(Number(doubleLiteral(Math.log(1e6))), Math.log(1e6))
  assert.throws(() => doubleLiteral(Infinity), /not finite/)
})
