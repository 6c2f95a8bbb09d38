import {test} from 'node:test'
import assert from 'node:assert/strict'
import {receval} from '../helpers/cli.js'
import {code, golden, goldenText} from '../helpers/golden-sql.js'
import {DIALECTS} from '../../src/warehouse/dialect.js'
import {renderRecallSql, RecallSqlSpec, retrievedNames} from '../../src/warehouse/recall-sql.js'
import {RECALL_STATS_COLUMNS} from '../../src/warehouse/recall-stats.js'

// Golden files: test/golden/sql/recall-<case>.<dialect>.sql. After a deliberate change to the
// templates, regenerate them with UPDATE_GOLDEN=1 node scripts/test.js recall-sql and review the diff.

type Case = Omit<RecallSqlSpec, 'dialect'> & {argv: string[]}
const CASES: Record<string, Case> = {
  long: {
    truthTable: 'ads.clicks',
    retrievedTables: ['ads.retrieved'],
    score: 'score',
    bid: 'bid',
    ks: [10, 50],
    argv: ['--truth-table', 'ads.clicks', '--retrieved-table', 'ads.retrieved', '--score', 'score', '--bid', 'bid', '-k', '10,50'],
  },
  full: {
    truthTable: 'ads.clicks',
    retrievedTables: ['ads.faiss', 'ads.hnsw'],
    excludeTable: 'ads.train',
    rank: 'pos',
    bid: 'cost',
    by: 'uid',
    item: 'ad_id',
    segment: 'activity',
    ks: [5, 20],
    where: 'uid % 4 = 0',
    truthWhere: "dt = '2024-06-02'",
    argv: ['--truth-table', 'ads.clicks', '--retrieved-table', 'ads.faiss', '--retrieved-table', 'ads.hnsw', '--exclude-table', 'ads.train', '--rank', 'pos', '--bid', 'cost', '--by', 'uid', '--item', 'ad_id', '--segment', 'activity', '-k', '5,20', '--where', 'uid % 4 = 0', '--truth-where', "dt = '2024-06-02'"],
  },
  'lists-top': {
    truthTable: 'ann.exact',
    retrievedTables: ['ann.hnsw'],
    items: 'neighbors',
    truthItems: 'neighbors',
    truthTop: true,
    by: 'query',
    sep: ',',
    ks: [1, 10],
    argv: ['--truth-table', 'ann.exact', '--retrieved-table', 'ann.hnsw', '--items', 'neighbors', '--truth-items', 'neighbors', '--truth-top', '--by', 'query', '--sep', ',', '-k', '1,10'],
  },
  'dump-top': {
    table: 'ads.impressions',
    label: 'click',
    score: 'pctr',
    bid: 'bid',
    segment: 'bucket',
    ks: [5, 10],
    argv: ['--table', 'ads.impressions', '--label', 'click', '--score', 'pctr', '--bid', 'bid', '--segment', 'bucket', '-k', '5,10'],
  },
  'truth-rank': {
    truthTable: 'ann.exact',
    retrievedTables: ['ann.ivf'],
    score: 'sim',
    truthTop: true,
    truthRank: 'nn_rank',
    by: 'query',
    item: 'doc',
    ks: [10],
    argv: ['--truth-table', 'ann.exact', '--retrieved-table', 'ann.ivf', '--score', 'sim', '--truth-top', '--truth-rank', 'nn_rank', '--by', 'query', '--item', 'doc', '-k', '10'],
  },
}

for (const [name, spec] of Object.entries(CASES)) {
  for (const dialect of DIALECTS) {
    test(`renderRecallSql ${name} for ${dialect} equals test/golden/sql/recall-${name}.${dialect}.sql`, () => {
      golden(`recall-${name}.${dialect}.sql`, renderRecallSql({...spec, dialect}))
    })
  }
}

test('every rendered recall query follows the portability rules', () => {
  for (const spec of Object.values(CASES)) {
    for (const dialect of DIALECTS) {
      const sql = renderRecallSql({...spec, dialect})
      const c = code(sql)
      const what = `${dialect} ${JSON.stringify(spec.argv)}`
      assert.ok(c.startsWith('WITH '), `${what}: one WITH statement`)
      assert.ok(!c.includes(';'), `${what}: no semicolon`)
      assert.ok(!/\bQUALIFY\b/i.test(c), `${what}: no QUALIFY`)
      for (const m of c.matchAll(/GROUP BY ([^\n]*)/g)) for (const item of m[1].split(',')) assert.ok(!/^\s*\d+\s*$/.test(item), `${what}: GROUP BY ordinal in "${m[0]}"`)
      // every window is partitioned by the key (with retriever, scope, K): never one partition for the table
      for (const m of c.matchAll(/OVER \(([^)]*)\)/g)) {
        assert.match(m[1], /^PARTITION BY [^)]*\brv_(gk|tk)\b[^)]* ORDER BY /, `${what}: window "${m[0]}"`)
      }
      for (const m of c.matchAll(/ORDER BY/g)) assert.ok(/OVER \(PARTITION BY [^)]*$/.test(c.slice(0, m.index)), `${what}: ORDER BY only inside a window`)
      // a decimal literal without exponent is DECIMAL in DuckDB, Trino and Spark
      assert.ok(!/(?<![\w.])\d+\.\d+(?![\d.]*e)/i.test(c), `${what}: decimal literal without exponent`)
      // integer division truncates in Trino: every division is of doubles
      for (const m of c.matchAll(/([\w.)]+) \/ ([\w(]+)/g)) assert.ok(/\)$|e0$/.test(m[1]) && /^(CAST|LN)\(/.test(m[2]), `${what}: division "${m[0]}" of doubles`)
      if (dialect === 'bigquery') assert.ok(!/\b(DOUBLE|BIGINT|VARCHAR)\b/.test(c), `${what}: BigQuery types`)
      else assert.ok(!/\b(FLOAT64|INT64)\b/.test(c), `${what}: no BigQuery types`)
      const quote = dialect === 'duckdb' || dialect === 'trino' ? '"' : '`'
      const other = quote === '"' ? '`' : '"'
      assert.ok(!sql.replace(/'[^']*'/g, '').includes(other), `${what}: only ${quote} quotes identifiers`)
      assert.ok(sql.includes(`${quote}${spec.by ?? 'user_id'}${quote}`), `${what}: key column quoted`)
      // internal names: a SELECT never aliases an expression to a name it also reads (DuckDB lets a SELECT see its own aliases)
      for (const sel of c.split(/\bSELECT\b/).slice(1)) {
        const items = sel.split(/\n\s*FROM /)[0]
        for (const m of items.matchAll(/ AS (rv_\w+)\b/g)) {
          const uses = items.match(new RegExp(`\\b${m[1]}\\b`, 'g'))?.length ?? 0
          const defs = items.match(new RegExp(` AS ${m[1]}\\b`, 'g'))?.length ?? 0
          assert.equal(uses, defs, `${what}: alias ${m[1]} also read in its SELECT: ${items.slice(0, 200)}`)
        }
      }
      // every UNION ALL branch of the output names the schema's columns, in order
      const out = sql.slice(sql.lastIndexOf('\n)\nSELECT') + 3).split('\nUNION ALL\n')
      for (const b of out) assert.deepEqual([...b.matchAll(/ AS [`"](\w+)[`"]/g)].map((m) => m[1]), [...RECALL_STATS_COLUMNS], `${what}: output branch ${b.slice(0, 80)}`)
    }
  }
})

test('receval sql recall prints the golden query on stdout for every dialect', () => {
  for (const dialect of DIALECTS) {
    const r = receval(['sql', 'recall', '--dialect', dialect, ...CASES.full.argv])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, goldenText(`recall-full.${dialect}.sql`))
  }
})

test('receval sql recall --json returns the query and its schema', () => {
  const r = receval(['sql', 'recall', '--dialect', 'trino', ...CASES.long.argv, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(r.json, {command: 'sql recall', dialect: 'trino', stats_schema: 'receval.recall.v1', sql: goldenText('recall-long.trino.sql')})
})

test('retriever names are the last part of the table reference, repeats numbered', () => {
  assert.deepEqual(retrievedNames(['ads.faiss', 'db2.faiss', 'hnsw', 'p.d.faiss']), ['faiss', 'faiss_2', 'hnsw', 'faiss_3'])
  const sql = renderRecallSql({dialect: 'bigquery', truthTable: 'my-project.ads.clicks', retrievedTables: ['my-project.ads.a'], score: 's', ks: [10]})
  assert.match(sql, /FROM `my-project\.ads\.clicks`\n/)
  assert.match(sql, /'retriever_table' AS `key`, 'my-project\.ads\.a' AS `item`/)
})

test('renderRecallSql: the lists of a table need an order column, list separators are escaped for their regex', () => {
  const base = {dialect: 'duckdb', truthTable: 'c', retrievedTables: ['r'], ks: [10]}
  assert.throws(() => renderRecallSql(base), /a table has no row order: give --rank COL or --score COL/)
  assert.throws(() => renderRecallSql({...base, score: 's', truthTop: true}), /--truth-top on a long-format truth needs --truth-rank COL or --truth-score COL/)
  assert.match(renderRecallSql({...base, items: 'l', sep: '|;'.slice(0, 1)}), /regexp_extract_all\(CAST\("l" AS VARCHAR\), '\[\^\|\]\+'\)/)
  assert.match(renderRecallSql({...base, dialect: 'hive', items: 'l'}), /split\(CAST\(`l` AS STRING\), '\[, \]\+'\)/)
  for (const sep of ['\\', "'", ']', '^', '-', ';', '\t']) assert.throws(() => renderRecallSql({...base, items: 'l', sep}), /--sep .*regular-expression character class/, JSON.stringify(sep))
  assert.throws(() => renderRecallSql({...base, score: 's', by: 'x', item: 'X'}), /--by and --item name the same column "X" of the truth table/)
  assert.throws(() => renderRecallSql({...base, score: 's', ks: [10, 5]}), /-k takes ascending distinct positive integers/)
})

test('receval sql recall: bad dialect, tables, columns, filters and flag combinations exit 2 with one line', () => {
  const files = ['--truth-table', 'c', '--retrieved-table', 'r', '--score', 's']
  const cases: [string[], RegExp][] = [
    [['--dialect', 'mysql', ...files], /Expected --dialect=mysql to be one of: duckdb, spark, hive, odps, bigquery, trino/],
    [['--dialect', 'hive', '--truth-table', 'db.t; DROP TABLE x', '--retrieved-table', 'r', '--score', 's'], /--truth-table "db\.t; DROP TABLE x": expected a table name/],
    [['--dialect', 'hive', '--truth-table', 'c', '--retrieved-table', 'a b', '--score', 's'], /--retrieved-table "a b": expected a table name/],
    [['--dialect', 'hive', ...files, '--exclude-table', '(SELECT 1)'], /--exclude-table "\(SELECT 1\)": expected a table name/],
    [['--dialect', 'hive', '--table', 'db.t-1'], /--table "db\.t-1": expected a table name/],
    [['--dialect', 'hive', ...files, '--by', 'a`b'], /--by "a\?b": a column name with a quote \(`\) cannot be quoted safely in SQL/],
    [['--dialect', 'trino', ...files, '--bid', 'x"y'], /--bid "x\?y": a column name with a quote \("\) cannot be quoted safely/],
    [['--dialect', 'duckdb', ...files, '--where', '1 = 1) OR (1 = 1'], /--where: unbalanced "\)" at character 6/],
    [['--dialect', 'duckdb', ...files, '--truth-where', 'x = 1 -- comment'], /--truth-where: comments/],
    [['--dialect', 'duckdb', ...files, '--exclude-where', 'x = 1'], /--exclude-where needs --exclude-table/],
    [['--dialect', 'duckdb', ...files, '-k', '0'], /-k takes comma-separated positive integers/],
    [['--dialect', 'duckdb', '--truth-table', 'c', '--retrieved-table', 'r'], /a table has no row order: give --rank COL or --score COL/],
    [['--dialect', 'duckdb', '--truth-table', 'c', '--score', 's'], /--truth-table needs --retrieved-table/],
    [['--dialect', 'duckdb', '--retrieved-table', 'r', '--score', 's'], /--retrieved-table needs --truth-table/],
    [['--dialect', 'duckdb', '--score', 's'], /give --truth-table and --retrieved-table, or --table with --label/],
    [['--dialect', 'duckdb', ...files, '--table', 'd'], /give either --table \(single-dump mode\) or --truth-table and --retrieved-table, not both/],
    [['--dialect', 'duckdb', ...files, '--label', 'click'], /--label applies to single-dump mode/],
    [['--dialect', 'duckdb', ...files, '--rank', 'r'], /give --rank or --score, not both/],
    [['--dialect', 'duckdb', '--table', 'd', '--items', 'l'], /--items \(list format\) does not apply to a prediction dump/],
    [['--dialect', 'duckdb', ...files, '--truth-rank', 'r'], /--truth-rank and --truth-score order the truth for --truth-top/],
    [['--dialect', 'duckdb', '--table', 'd', '--truth-top'], /--truth-top and --truth-items need a truth table/],
    [['--dialect', 'duckdb', ...files, '--truth-items', 'l', '--bid', 'b'], /--bid needs long-format truth/],
    [['--dialect', 'duckdb', '--table', 'd', '--truth-where', 'x = 1'], /--truth-where and --retrieved-where need --truth-table/],
  ]
  for (const [args, re] of cases) {
    const r = receval(['sql', 'recall', ...args])
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, re)
  }
})
