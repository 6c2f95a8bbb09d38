import {test} from 'node:test'
import assert from 'node:assert/strict'
import {receval} from '../helpers/cli.js'
import {code, golden, goldenText} from '../helpers/golden-sql.js'
import {AucSqlSpec, renderAucSql} from '../../src/warehouse/auc-sql.js'
import {AUC_STATS_COLUMNS} from '../../src/warehouse/auc-stats.js'
import {DIALECTS} from '../../src/warehouse/dialect.js'

// Golden files: test/golden/sql/<case>.<dialect>.sql. After a deliberate change to the templates,
// regenerate them with UPDATE_GOLDEN=1 node scripts/test.js auc-sql and review the diff.

const CASES: Record<string, Omit<AucSqlSpec, 'dialect'> & {argv: string[]}> = {
  exact: {table: 'ads.preds', label: 'click', scores: ['pctr'], argv: ['--table', 'ads.preds', '--label', 'click', '--score', 'pctr']},
  grouped: {
    table: 'ads.preds',
    label: 'click',
    scores: ['pctr', 'pctr_v2'],
    group: 'user_id',
    weight: 'bid',
    where: "dt = '2024-06-01'",
    argv: ['--table', 'ads.preds', '--label', 'click', '--score', 'pctr', '--score', 'pctr_v2', '--group', 'user_id', '--weight', 'bid', '--where', "dt = '2024-06-01'"],
  },
  bucketed: {table: 'ads.preds', label: 'click', scores: ['pctr'], buckets: 1000, argv: ['--table', 'ads.preds', '--label', 'click', '--score', 'pctr', '--buckets', '1000']},
  'grouped-bucketed-logit': {
    table: 'ads.preds',
    label: 'label',
    scores: ['logit'],
    group: 'user_id',
    buckets: 100,
    scale: 'logit',
    argv: ['--table', 'ads.preds', '--score', 'logit', '--group', 'user_id', '--buckets', '100', '--score-scale', 'logit'],
  },
}

for (const [name, spec] of Object.entries(CASES)) {
  for (const dialect of DIALECTS) {
    test(`renderAucSql ${name} for ${dialect} equals test/golden/sql/${name}.${dialect}.sql`, () => {
      golden(`${name}.${dialect}.sql`, renderAucSql({...spec, dialect}))
    })
  }
}

test('every rendered query follows the portability rules', () => {
  for (const spec of Object.values(CASES)) {
    for (const dialect of DIALECTS) {
      const sql = renderAucSql({...spec, dialect})
      const c = code(sql)
      const what = `${dialect} ${JSON.stringify(spec.argv)}`
      assert.ok(c.startsWith('WITH '), `${what}: one WITH statement`)
      assert.ok(!c.includes(';'), `${what}: no semicolon`)
      assert.ok(!/\bQUALIFY\b/i.test(c), `${what}: no QUALIFY`)
      for (const m of c.matchAll(/GROUP BY ([^\n]*)/g)) for (const item of m[1].split(',')) assert.ok(!/^\s*\d+\s*$/.test(item), `${what}: GROUP BY ordinal in "${m[0]}"`)
      for (const m of c.matchAll(/ORDER BY/g)) assert.ok(/OVER \(PARTITION BY [^)]*$/.test(c.slice(0, m.index)), `${what}: ORDER BY only inside a window`)
      // a decimal literal without exponent is DECIMAL in DuckDB, Trino and Spark
      assert.ok(!/(?<![\w.])\d+\.\d+(?![\d.]*e)/i.test(c), `${what}: decimal literal without exponent`)
      if (dialect === 'bigquery') assert.ok(!/\b(DOUBLE|BIGINT|VARCHAR)\b/.test(c), `${what}: BigQuery types`)
      else assert.ok(!/\b(FLOAT64|INT64)\b/.test(c), `${what}: no BigQuery types`)
      const quote = dialect === 'duckdb' || dialect === 'trino' ? '"' : '`'
      const other = quote === '"' ? '`' : '"'
      assert.ok(!sql.replace(/'[^']*'/g, '').includes(other), `${what}: only ${quote} quotes identifiers`)
      assert.ok(sql.includes(`${quote}${spec.scores[0]}${quote}`), `${what}: score column quoted`)
      // the output columns, in schema order, named in the first branch and in every meta branch
      const first = sql.slice(sql.lastIndexOf('\n)\nSELECT'), sql.indexOf('\nFROM rv_agg'))
      assert.deepEqual([...first.matchAll(/ AS [`"](\w+)[`"]/g)].map((m) => m[1]), [...AUC_STATS_COLUMNS], what)
      const metas = sql.split('\nUNION ALL\n').slice(1)
      assert.equal(metas.length, 5 + spec.scores.length)
      for (const m of metas) assert.deepEqual([...m.matchAll(/ AS [`"](\w+)[`"]/g)].map((x) => x[1]), [...AUC_STATS_COLUMNS], `${what}: meta branch`)
    }
  }
})

test('receval sql auc prints the golden query on stdout for every dialect', () => {
  for (const dialect of DIALECTS) {
    const r = receval(['sql', 'auc', '--dialect', dialect, ...CASES.grouped.argv])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, goldenText(`grouped.${dialect}.sql`))
  }
})

test('receval sql auc --json returns the query and its schema', () => {
  const r = receval(['sql', 'auc', '--dialect', 'trino', ...CASES.bucketed.argv, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(r.json, {command: 'sql auc', dialect: 'trino', stats_schema: 'receval.auc.v1', sql: goldenText('bucketed.trino.sql')})
})

test('a BigQuery project id with - is quoted whole; other dialects refuse it', () => {
  const sql = renderAucSql({dialect: 'bigquery', table: 'my-project.ads.preds', label: 'click', scores: ['pctr']})
  assert.match(sql, /FROM `my-project\.ads\.preds`\n/)
  assert.throws(() => renderAucSql({dialect: 'hive', table: 'my-project.ads.preds', label: 'click', scores: ['pctr']}), /--table "my-project\.ads\.preds": expected a table name/)
})

test('renderAucSql refuses scores that differ only in case, columns in two roles, and bad --buckets', () => {
  const base = {dialect: 'duckdb', table: 't', label: 'click', scores: ['pctr']}
  assert.throws(() => renderAucSql({...base, scores: ['pctr', 'PCTR']}), /--score "pctr" and "PCTR" differ only in case/)
  assert.throws(() => renderAucSql({...base, scores: ['click']}), /column "click" cannot be both the label and a score/)
  assert.throws(() => renderAucSql({...base, group: 'pctr'}), /column "pctr" cannot be both a score and the group/)
  assert.throws(() => renderAucSql({...base, scores: []}), /at least one score column/)
  for (const b of [1, 1.5, 2_000_000]) assert.throws(() => renderAucSql({...base, buckets: b}), /--buckets must be a whole number from 2 to 1000000/)
  assert.equal(renderAucSql({...base, scores: ['pctr', 'pctr']}), renderAucSql(base), 'a repeated score counts once')
})

test('receval sql auc: bad dialect, table, column, --where or --buckets exit 2 with one line', () => {
  const cases: [string[], RegExp][] = [
    [['--dialect', 'mysql', '--table', 't'], /Expected --dialect=mysql to be one of: duckdb, spark, hive, odps, bigquery, trino/],
    [['--dialect', 'hive', '--table', 'db.t; DROP TABLE x'], /--table "db\.t; DROP TABLE x": expected a table name/],
    [['--dialect', 'hive', '--table', 't', '--score', 'a`b'], /--score "a\?b": a column name with a quote \(`\) cannot be quoted safely in SQL/],
    [['--dialect', 'trino', '--table', 't', '--label', 'x"y'], /--label "x\?y": a column name with a quote \("\) cannot be quoted safely/],
    [['--dialect', 'duckdb', '--table', 't', '--where', "1 = 1) OR (1 = 1"], /--where: unbalanced "\)" at character 6/],
    [['--dialect', 'duckdb', '--table', 't', '--where', 'x = 1 -- comment'], /--where: comments/],
    [['--dialect', 'duckdb', '--table', 't', '--buckets', 'many'], /--buckets must be a whole number from 2 to 1000000, not "many"/],
  ]
  for (const [args, re] of cases) {
    const r = receval(['sql', 'auc', ...args])
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, re)
  }
})
