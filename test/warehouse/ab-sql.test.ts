import {test} from 'node:test'
import assert from 'node:assert/strict'
import {receval} from '../helpers/cli.js'
import {code, golden, goldenText} from '../helpers/golden-sql.js'
import {abStatsColumns, AbSqlSpec, renderAbSql} from '../../src/warehouse/ab-sql.js'
import {DIALECTS} from '../../src/warehouse/dialect.js'

// Golden files: test/golden/sql/ab-<case>.<dialect>.sql. After a deliberate change to the
// template, regenerate them with UPDATE_GOLDEN=1 node scripts/test.js ab-sql and review the diff.

type Case = Omit<AbSqlSpec, 'dialect'> & {argv: string[]}
const CASES: Record<string, Case> = {
  // one row per user: no --unit
  rows: {table: 'ads.users', arm: 'arm', metrics: ['rpu=revenue'], argv: ['--table', 'ads.users', '--metric', 'rpu=revenue']},
  units: {
    table: 'ads.events',
    arm: 'variant',
    unit: 'user_id',
    metrics: ['ctr=clicks/impressions', 'cpm=1000*cost/impressions', 'cost_per_user=cost'],
    covariates: ['ctr=pre_clicks'],
    caps: ['cost=500'],
    where: "dt BETWEEN '2024-05-01' AND '2024-05-07'",
    argv: ['--table', 'ads.events', '--arm', 'variant', '--unit', 'user_id', '--metric', 'ctr=clicks/impressions', '--metric', 'cpm=1000*cost/impressions', '--metric', 'cost_per_user=cost', '--covariate', 'ctr=pre_clicks', '--cap', 'cost=500', '--where', "dt BETWEEN '2024-05-01' AND '2024-05-07'"],
  },
  days: {
    table: 'ads.events',
    arm: 'arm',
    unit: 'user_id',
    day: 'dt',
    metrics: ['ctr=clicks/impressions', 'clicks=clicks'],
    covariates: ['clicks=pre_clicks'],
    argv: ['--table', 'ads.events', '--unit', 'user_id', '--day', 'dt', '--metric', 'ctr=clicks/impressions', '--metric', 'clicks=clicks', '--covariate', 'clicks=pre_clicks'],
  },
  // daily aggregates per row: --day without --unit
  'rows-days': {table: 'ads.daily', arm: 'arm', day: 'dt', metrics: ['cpm=1000*cost/impressions'], argv: ['--table', 'ads.daily', '--day', 'dt', '--metric', 'cpm=1000*cost/impressions']},
}

for (const [name, spec] of Object.entries(CASES)) {
  for (const dialect of DIALECTS) {
    test(`renderAbSql ${name} for ${dialect} equals test/golden/sql/ab-${name}.${dialect}.sql`, () => {
      golden(`ab-${name}.${dialect}.sql`, renderAbSql({...spec, dialect}))
    })
  }
}

test('every rendered ab query follows the portability rules', () => {
  for (const spec of Object.values(CASES)) {
    for (const dialect of DIALECTS) {
      const sql = renderAbSql({...spec, dialect})
      const c = code(sql)
      const what = `${dialect} ${JSON.stringify(spec.argv)}`
      assert.ok(c.startsWith('WITH '), `${what}: one WITH statement`)
      assert.ok(!sql.includes(';'), `${what}: no semicolon, not even in a string`)
      assert.ok(!sql.includes('--') && !sql.includes('/*'), `${what}: nothing a client could take for a comment`)
      assert.ok(!/\bQUALIFY\b/i.test(c), `${what}: no QUALIFY`)
      assert.ok(!/\bUNION\b/i.test(c), `${what}: no UNION (rows are repeated by a constant list instead)`)
      for (const m of c.matchAll(/GROUP BY ([^\n]*)/g)) for (const item of m[1].split(',')) assert.ok(!/^\s*\d+\s*$/.test(item), `${what}: GROUP BY ordinal in "${m[0]}"`)
      // ORDER BY only inside a window that names its partition (the whole-table one is the tiny list of days)
      for (const m of c.matchAll(/ORDER BY/g)) assert.ok(/OVER \(PARTITION BY [^()]*$/.test(c.slice(0, m.index)), `${what}: ORDER BY only inside a window`)
      for (const m of c.matchAll(/OVER \(PARTITION BY rv_one\b/g)) assert.match(c.slice(m.index), /^[^]*?\bFROM rv_(days|dall)\n/, `${what}: a window over one partition only on the list of days`)
      // joins are equi-joins (the constant-key one pairs the tiny lists of arms and days)
      for (const m of c.matchAll(/JOIN (\w+) (\w+) ON ([^\n]*)/g)) assert.match(m[3], /^\w+\.\w+ = \w+\.\w+( AND \w+\.\w+ = \w+\.\w+)?$/, `${what}: ${m[0]}`)
      assert.ok(!/\bCROSS JOIN rv_|JOIN [^\n]* ON [^\n]*[<>]/.test(c), `${what}: no cross or non-equi join of tables`)
      assert.ok(!/(?<![\w.])\d+\.\d+(?![\d.]*e)/i.test(c), `${what}: decimal literal without exponent`)
      if (dialect === 'bigquery') assert.ok(!/\b(DOUBLE|BIGINT|VARCHAR)\b/.test(c), `${what}: BigQuery types`)
      else assert.ok(!/\b(FLOAT64|INT64)\b/.test(c), `${what}: no BigQuery types`)
      const quote = dialect === 'duckdb' || dialect === 'trino' ? '"' : '`'
      const other = quote === '"' ? '`' : '"'
      assert.ok(!sql.replace(/'[^']*'/g, '').includes(other), `${what}: only ${quote} quotes identifiers`)
      assert.ok(sql.includes(`${quote}${spec.arm}${quote}`), `${what}: arm column quoted`)
      // the output columns, in schema order
      const last = sql.slice(sql.lastIndexOf('\n)\nSELECT'))
      const cols = [...last.matchAll(/ AS [`"](\w+)[`"]/g)].map((m) => m[1])
      assert.deepEqual(cols, abStatsColumns(spec.day !== undefined, (spec.covariates ?? []).length > 0), what)
      // an output name is never used unquoted, so no reference can bind to it (DuckDB lets a SELECT see its own aliases, whatever their case)
      for (const col of cols) assert.ok(!new RegExp(`\\b${col}\\b`, 'i').test(c), `${what}: bare ${col}`)
    }
  }
})

test('receval sql ab prints the golden query on stdout for every dialect', () => {
  for (const dialect of DIALECTS) {
    const r = receval(['sql', 'ab', '--dialect', dialect, ...CASES.units.argv])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, goldenText(`ab-units.${dialect}.sql`))
  }
})

test('receval sql ab --json returns the query and its schema', () => {
  const r = receval(['sql', 'ab', '--dialect', 'spark', ...CASES.days.argv, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(r.json, {command: 'sql ab', dialect: 'spark', stats_schema: 'ab/1', sql: goldenText('ab-days.spark.sql')})
})

test('renderAbSql: metric columns are quoted names, never SQL', () => {
  const base = {dialect: 'trino', table: 't', arm: 'arm', unit: 'u'}
  const sql = renderAbSql({...base, metrics: ['rev=2.5*Revenue_EUR/sessions']})
  assert.match(sql, /2\.5e0 \* rv_c1 AS rv_y1/)
  assert.match(sql, /TRY_CAST\("Revenue_EUR" AS DOUBLE\) AS rv_raw1/)
  for (const expr of ['revenue+tax', 'sum(cost)', 'cost - refund', 'a,b', 'x=1']) {
    assert.throws(() => renderAbSql({...base, metrics: [`m=${expr}`]}), /is not a column name; an expression is COL or \[SCALE\*\]NUM\/DEN/, expr)
  }
  assert.throws(() => renderAbSql({...base, metrics: ["m=it's"]}), /a quote \('\) cannot be quoted safely/)
  assert.throws(() => renderAbSql({...base, metrics: ['m=a;b']}), /a semicolon cannot be quoted safely/)
  assert.throws(() => renderAbSql({...base, metrics: ['m=clicks/impressions', 'n=Clicks']}), /columns "clicks" and "Clicks" differ only in case/)
  assert.throws(() => renderAbSql({...base, metrics: ['m=u']}), /column "u" cannot be both the unit and a metric or covariate column/)
  assert.throws(() => renderAbSql({...base, unit: 'ARM', metrics: ['m=x']}), /column "ARM" cannot be both the arm and the unit/)
})

test('renderAbSql refuses percentile caps, caps of unknown columns and covariates of unknown metrics', () => {
  const base = {dialect: 'hive', table: 't', arm: 'arm', unit: 'u', metrics: ['cpm=1000*cost/impressions']}
  assert.throws(() => renderAbSql({...base, caps: ['cost=P99.9']}), /--cap "cost=P99\.9": a percentile cap needs the percentile of the unit totals.*pass --cap cost=VALUE, or run receval ab --engine duckdb/)
  assert.throws(() => renderAbSql({...base, caps: ['revenue=10']}), /"revenue" is not a column of any --metric or --covariate/)
  assert.throws(() => renderAbSql({...base, covariates: ['ctr=pre_clicks']}), /no --metric named "ctr"/)
  // two absolute caps of one column: the smaller one holds, as applying both in turn on the rows
  assert.match(renderAbSql({...base, caps: ['cost=50', 'cost=20']}), /LEAST\(rv_c1, 2e1\)/)
})

test('receval sql ab: bad dialect, table, column, metric, cap or --where exit 2 with one line', () => {
  const m = ['--metric', 'ctr=clicks/impressions']
  const cases: [string[], RegExp][] = [
    [['--dialect', 'mysql', '--table', 't', ...m], /Expected --dialect=mysql to be one of: duckdb, spark, hive, odps, bigquery, trino/],
    [['--dialect', 'hive', '--table', 't'], /Missing required flag metric/],
    [['--dialect', 'hive', '--table', 'db.t; DROP TABLE x', ...m], /--table "db\.t; DROP TABLE x": expected a table name/],
    [['--dialect', 'hive', '--table', 't', '--unit', 'u`id', ...m], /--unit "u\?id": a column name with a quote \(`\) cannot be quoted safely in SQL/],
    [['--dialect', 'spark', '--table', 't', '--metric', 'ctr=clicks/impressions/x'], /--metric "ctr=clicks\/impressions\/x": more than one "\/"/],
    [['--dialect', 'spark', '--table', 't', '--metric', 'rev=revenue+tax'], /--metric "rev=revenue\+tax": "revenue\+tax" is not a column name/],
    [['--dialect', 'bigquery', '--table', 't', ...m, '--cap', 'clicks=P99'], /--cap "clicks=P99": a percentile cap/],
    [['--dialect', 'trino', '--table', 't', ...m, '--covariate', 'ctr'], /--covariate "ctr": expected METRIC=COL/],
    [['--dialect', 'duckdb', '--table', 't', ...m, '--where', "1 = 1) OR (1 = 1"], /--where: unbalanced "\)" at character 6/],
    [['--dialect', 'duckdb', '--table', 't', ...m, '--where', 'x = 1 -- comment'], /--where: comments/],
  ]
  for (const [args, re] of cases) {
    const r = receval(['sql', 'ab', ...args])
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
    assert.match(r.stderr, re)
  }
})
