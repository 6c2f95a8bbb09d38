import {UsageError} from '../cli/errors.js'

/**
 * The SQL dialects receval renders push-down queries for, and the few places where they differ:
 * identifier quoting, type names, the finiteness test, and how one row is repeated k times
 * (an "unpivot" by a constant list: LATERAL VIEW explode, UNNEST or VALUES).
 *
 * Everything else the templates use is common to all six: WITH, CASE, CAST, COALESCE, LN, FLOOR,
 * GREATEST / LEAST, SUM / COUNT / MIN / MAX, window SUM with a ROWS frame, UNION ALL, SELECT
 * without FROM (MaxCompute: its one-row anonymous VALUES table), and double literals written
 * with an exponent (`5e-1`), which every one of them types as DOUBLE rather than DECIMAL.
 */
export const DIALECTS = ['duckdb', 'spark', 'hive', 'odps', 'bigquery', 'trino'] as const
export type Dialect = (typeof DIALECTS)[number]

export interface DialectRules {
  name: Dialect
  /** DOUBLE; FLOAT64 on BigQuery */
  double: string
  /** BIGINT; INT64 on BigQuery */
  bigint: string
  /** STRING; VARCHAR on DuckDB and Trino */
  string: string
  /** quote one identifier (already checked by `checkIdentifier`) */
  quote(name: string): string
  /**
   * `x` as a double, NULL when it is text that is not a number (so the row counts as invalid
   * instead of failing the query): TRY_CAST (DuckDB, Trino, Spark >= 3.2), SAFE_CAST (BigQuery);
   * Hive's and ODPS's CAST already yield NULL.
   */
  toDouble(x: string): string
  /** a boolean expression: `x` is a finite number (false for NULL, NaN and +-inf) */
  finite(x: string): string
  /**
   * The FROM clause that repeats each row of `from` once per value of `column` in `values`
   * (small non-negative integers).
   */
  repeat(from: string, column: string, values: readonly number[]): string
}

const backtick = (n: string) => '`' + n + '`'
const dquote = (n: string) => '"' + n + '"'
// NaN - NaN and inf - inf are NaN, and NaN = 0 is false in every engine (Spark and DuckDB, which
// order NaN above all numbers, still make NaN = 0 false); NULL - NULL = 0 is NULL.
const arithmeticFinite = (x: string) => `${x} - ${x} = 0e0`

const RULES: Record<Dialect, DialectRules> = {
  duckdb: {
    name: 'duckdb',
    double: 'DOUBLE',
    bigint: 'BIGINT',
    string: 'VARCHAR',
    toDouble: (x) => `TRY_CAST(${x} AS DOUBLE)`,
    quote: dquote,
    finite: (x) => `isfinite(${x})`,
    repeat: (from, c, vs) => `${from} CROSS JOIN (VALUES ${vs.map((v) => `(${v})`).join(', ')}) AS ${c}_list (${c})`,
  },
  spark: {
    name: 'spark',
    double: 'DOUBLE',
    bigint: 'BIGINT',
    string: 'STRING',
    toDouble: (x) => `TRY_CAST(${x} AS DOUBLE)`,
    quote: backtick,
    finite: arithmeticFinite,
    repeat: (from, c, vs) => `${from} LATERAL VIEW explode(array(${vs.join(', ')})) ${c}_list AS ${c}`,
  },
  hive: {
    name: 'hive',
    double: 'DOUBLE',
    bigint: 'BIGINT',
    string: 'STRING',
    toDouble: (x) => `CAST(${x} AS DOUBLE)`,
    quote: backtick,
    finite: arithmeticFinite,
    repeat: (from, c, vs) => `${from} LATERAL VIEW explode(array(${vs.join(', ')})) ${c}_list AS ${c}`,
  },
  odps: {
    name: 'odps',
    double: 'DOUBLE',
    bigint: 'BIGINT',
    string: 'STRING',
    toDouble: (x) => `CAST(${x} AS DOUBLE)`,
    quote: backtick,
    finite: arithmeticFinite,
    repeat: (from, c, vs) => `${from} LATERAL VIEW explode(array(${vs.join(', ')})) ${c}_list AS ${c}`,
  },
  bigquery: {
    name: 'bigquery',
    double: 'FLOAT64',
    bigint: 'INT64',
    string: 'STRING',
    toDouble: (x) => `SAFE_CAST(${x} AS FLOAT64)`,
    quote: backtick,
    finite: (x) => `NOT IS_INF(${x}) AND NOT IS_NAN(${x})`,
    repeat: (from, c, vs) => `${from} CROSS JOIN UNNEST([${vs.join(', ')}]) AS ${c}`,
  },
  trino: {
    name: 'trino',
    double: 'DOUBLE',
    bigint: 'BIGINT',
    string: 'VARCHAR',
    toDouble: (x) => `TRY_CAST(${x} AS DOUBLE)`,
    quote: dquote,
    finite: (x) => `is_finite(${x})`,
    repeat: (from, c, vs) => `${from} CROSS JOIN UNNEST(ARRAY[${vs.join(', ')}]) AS ${c}_list (${c})`,
  },
}

/** The rules of a dialect; a usage error naming the choices for anything else. */
export function dialectRules(name: string): DialectRules {
  if (!(DIALECTS as readonly string[]).includes(name)) throw new UsageError(`--dialect must be one of ${DIALECTS.join(', ')}, not "${name}"`)
  return RULES[name as Dialect]
}

/**
 * Characters that can never appear in a quoted column name: quotes of any kind (the dialects
 * disagree on how to escape them), backslash (an escape in Hive and Spark string literals, where
 * names also appear as score_name values), semicolon, and control characters.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /["'`\\;\u0000-\u001f\u007f]/

/**
 * Check that a column name can be quoted safely in every dialect, and return it.
 * @throws UsageError naming the flag and the offending character
 */
export function checkIdentifier(flag: string, name: string): string {
  if (name === '') throw new UsageError(`${flag} needs a column name, not an empty string`)
  const bad = UNSAFE.exec(name)
  if (bad) throw new UsageError(`${flag} "${name.replace(UNSAFE, '?')}": a column name with ${describe(bad[0])} cannot be quoted safely in SQL; rename or alias the column`)
  if (name.trim() !== name) throw new UsageError(`${flag} "${name}": leading or trailing spaces in a column name are refused`)
  if (name.length > 128) throw new UsageError(`${flag}: a column name longer than 128 characters is refused`)
  return name
}

function describe(ch: string): string {
  if (ch === '"' || ch === "'" || ch === '`') return `a quote (${ch})`
  if (ch === '\\') return 'a backslash'
  if (ch === ';') return 'a semicolon'
  return `a control character (U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})`
}

/**
 * Check a table reference: one to three dot-separated parts of letters, digits, `_` and `$`
 * (BigQuery project ids may also contain `-`; such a reference is then quoted whole in
 * backticks, as BigQuery requires). It is inserted as given otherwise: it names something the
 * user's engine resolves (db.table, project.dataset.table, catalog.schema.table).
 * @throws UsageError for anything else (quotes, spaces, subqueries, functions)
 */
export function tableReference(d: DialectRules, ref: string): string {
  const part = d.name === 'bigquery' ? '[A-Za-z0-9_$-]+' : '[A-Za-z0-9_$]+'
  if (!new RegExp(`^${part}(\\.${part}){0,2}$`).test(ref)) {
    throw new UsageError(`--table "${ref}": expected a table name such as db.table (letters, digits, _ and $, up to three dot-separated parts${d.name === 'bigquery' ? '; - in a project id' : ''}); create a view for anything else`)
  }
  return d.name === 'bigquery' && ref.includes('-') ? backtick(ref) : ref
}

/**
 * Check a `--where` expression before it is inserted as `WHERE (expr)`: quotes and parentheses
 * balanced, and no `;`, `--` or `/*` outside quotes, so the text cannot end the statement,
 * comment out the rest of the query or close the parenthesis early. Its meaning is the engine's.
 * @throws UsageError naming the problem
 */
export function checkWhere(expr: string): string {
  const e = expr.trim()
  if (e === '') throw new UsageError('--where needs an expression, not an empty string')
  let depth = 0
  for (let i = 0; i < e.length; i++) {
    const c = e[i]
    if (c === "'" || c === '"' || c === '`') {
      const close = findClose(e, i, c)
      if (close < 0) throw new UsageError(`--where: unterminated ${c} quote at character ${i + 1}`)
      i = close
    } else if (c === '(') depth++
    else if (c === ')') {
      if (--depth < 0) throw new UsageError(`--where: unbalanced ")" at character ${i + 1}`)
    } else if (c === ';') throw new UsageError('--where: a ";" outside quotes would end the statement; the query must stay one statement')
    else if ((c === '-' && e[i + 1] === '-') || (c === '/' && e[i + 1] === '*')) throw new UsageError('--where: comments ("--", "/*") are refused; they would swallow the rest of the query')
  }
  if (depth !== 0) throw new UsageError('--where: unbalanced "(": every opening parenthesis needs a closing one')
  return e
}

/** Index of the quote closing the one at `i` (a doubled quote is an escaped quote; so is \q). */
function findClose(s: string, i: number, q: string): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\' && q !== '`') {
      j++
      continue
    }
    if (s[j] === q) {
      if (s[j + 1] === q) {
        j++
        continue
      }
      return j
    }
  }
  return -1
}

/**
 * A double literal every dialect types as DOUBLE: the shortest round-trip digits with an
 * exponent (`5e-1`, `1.3815510557964274e1`); a plain `0.5` is DECIMAL in DuckDB, Trino and Spark.
 */
export function doubleLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`doubleLiteral: ${x} is not finite`)
  return x.toExponential().replace('e+', 'e')
}

/** A string literal; the text is known to hold no quote or backslash (checked identifiers, fixed words). */
export function stringLiteral(s: string): string {
  if (/['\\]/.test(s)) throw new Error(`stringLiteral: ${JSON.stringify(s)} holds a quote or backslash`)
  return `'${s}'`
}

const I = '  '

/** Every line of `s` indented one step (two spaces), for the rendered SQL's layout. */
export function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => I + l)
    .join('\n')
}

/** A label as 1 / 0 (NULL otherwise) from `text`, the label cast to lower-case trimmed text: integer, boolean, double and text labels alike. */
export function labelCase(text: string): string {
  return `CASE\n${I}WHEN ${text} IN ('1', 'true', '1.0', '1.0e0') THEN 1\n${I}WHEN ${text} IN ('0', 'false', '0.0', '0.0e0') THEN 0\nEND AS rv_y`
}

/** Select-list items, one per line (an item's own lines indented further). */
export function sqlList(items: string[]): string {
  return items.map((it, i) => indent(it) + (i < items.length - 1 ? ',' : '')).join('\n')
}
