import {UsageError} from '../cli/errors.js'
import {parseMetrics} from '../ab/metric-expr.js'
import {parseCovariates} from '../ab/run.js'
import {STATS_ERROR_PREFIX, STATS_SCHEMA} from '../ab/stats-file.js'
import {parseCap} from '../ab/units.js'
import {checkIdentifier, checkWhere, dialectRules, DialectRules, doubleLiteral as lit, indent, sqlList as list, stringLiteral as str, tableReference} from './dialect.js'

/**
 * `receval sql ab`: the one SELECT (a WITH statement) that turns a table of rows into the
 * `--stats` statistics of `receval ab` (schema ab/1, src/ab/stats-file.ts), computed where the
 * data is. The rows are first summed to the randomization unit (per arm[, day], unit), then the
 * moments of every metric are summed per arm (and per day, and per day cumulatively).
 *
 * Output: one row per (metric, arm[, day, cumulative]) with the columns of AB_STATS_COLUMNS.
 * `arm` and `day` are always named so, whatever the input columns are called, so the merge is
 * `receval ab --stats FILES [--day day]`.
 */

/** What `receval sql ab` renders: the column flags of `receval ab`. */
export interface AbSqlSpec {
  /** duckdb | spark | hive | odps | bigquery | trino */
  dialect: string
  /** the table to read, inserted as given after validation */
  table: string
  /** the arm column */
  arm: string
  /** the randomization unit column; without it every row is a unit */
  unit?: string
  /** the day column: per-day and cumulative rows */
  day?: string
  /** `NAME=EXPR` as for `receval ab --metric` */
  metrics: readonly string[]
  /** `METRIC=COL` as for `receval ab --covariate` */
  covariates?: readonly string[]
  /** `COL=VALUE` (an absolute cap; a percentile cap is refused: see docs/warehouse.md) */
  caps?: readonly string[]
  /** an SQL filter, inserted as WHERE (expr) */
  where?: string
  /**
   * Leave out rows with a NULL, NaN, infinite or non-numeric value in a metric or covariate
   * column instead of marking the statistics as invalid (`receval ab --engine duckdb
   * --drop-invalid`, which counts such rows with a query of its own).
   */
  dropInvalid?: boolean
  /**
   * The metric and covariate columns are known to exist in the table (`receval ab --engine
   * duckdb` resolved them against the file's header): names holding operator characters are
   * then quoted as they are instead of being refused as expressions.
   */
  knownColumns?: boolean
}

/** The columns of the result, in order. */
export function abStatsColumns(day: boolean, covariates: boolean): string[] {
  return [
    'metric',
    'arm',
    ...(day ? ['day', 'cumulative'] : []),
    'units',
    'num_sum',
    'num_sum_sq',
    'den_sum',
    'den_sum_sq',
    'num_den_sum',
    ...(covariates ? ['cov_sum', 'cov_sum_sq', 'num_cov_sum', 'den_cov_sum'] : []),
    'schema',
  ]
}

/** One metric of the query: column indexes into `values` / `covs`. */
interface QMetric {
  name: string
  scale: number
  num: number
  /** -1 for a mean */
  den: number
  /** -1 without a covariate */
  cov: number
}

/** The checked spec. */
export interface AbChecked {
  table: string
  arm: string
  unit?: string
  day?: string
  where?: string
  /** the numerator and denominator columns, distinct, in first-use order */
  values: string[]
  /** value columns of a ratio metric (must be >= 0) */
  nonNegative: boolean[]
  /** the covariate columns, distinct */
  covs: string[]
  metrics: QMetric[]
  /** value column index -> cap (the smallest absolute cap given for it) */
  valueCaps: Map<number, number>
  /** covariate column index -> cap (when the column is not also a value column, as on the rows) */
  covCaps: Map<number, number>
  dropInvalid: boolean
}

/**
 * Characters that make a metric's column look like an expression (`revenue+tax`, `sum(cost)`,
 * `cost - refund`): the metric language has only `[SCALE*]NUM/DEN`, so such a name is refused
 * rather than quoted into a column that does not exist.
 */
const EXPRESSION_CHARS = /[\s()+\-,%^=<>!|&~]/

function metricColumn(flag: string, what: string, name: string, known: boolean): string {
  checkIdentifier(flag, name)
  if (!known && EXPRESSION_CHARS.test(name)) {
    throw new UsageError(`${flag} "${what}": "${name}" is not a column name; an expression is COL or [SCALE*]NUM/DEN of plain columns (for anything else, create a view with that column)`)
  }
  return name
}

/** Parse and check a spec (every refusal is a UsageError naming the flag). */
export function checkAbSpec(spec: AbSqlSpec): AbChecked & {d: DialectRules} {
  const d = dialectRules(spec.dialect)
  const table = tableReference(d, spec.table)
  const arm = checkIdentifier('--arm', spec.arm)
  const unit = spec.unit === undefined ? undefined : checkIdentifier('--unit', spec.unit)
  const day = spec.day === undefined ? undefined : checkIdentifier('--day', spec.day)
  const keys: [string, string][] = [['arm', arm]]
  if (unit !== undefined) keys.push(['unit', unit])
  if (day !== undefined) keys.push(['day', day])
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      if (keys[i][1].toLowerCase() === keys[j][1].toLowerCase()) throw new UsageError(`column "${keys[j][1]}" cannot be both the ${keys[i][0]} and the ${keys[j][0]}`)
    }
  }
  const defs = parseMetrics(spec.metrics)
  const known = spec.knownColumns ?? false
  const values: string[] = []
  const covs: string[] = []
  /** index of `name` in `list`, adding it; two spellings of one warehouse column are refused */
  const indexIn = (list: string[], flag: string, name: string): number => {
    const at = list.indexOf(name)
    if (at >= 0) return at
    const clash = [...values, ...covs].find((o) => o !== name && o.toLowerCase() === name.toLowerCase())
    if (clash) throw new UsageError(`${flag}: columns "${clash}" and "${name}" differ only in case; warehouses treat them as the same column`)
    const key = keys.find(([, k]) => k.toLowerCase() === name.toLowerCase())
    if (key) throw new UsageError(`${flag}: column "${name}" cannot be both the ${key[0]} and a metric or covariate column`)
    list.push(name)
    return list.length - 1
  }
  const metrics: QMetric[] = defs.map((m) => {
    const what = `${m.name}=${m.expr}`
    const num = indexIn(values, '--metric', metricColumn('--metric', what, m.num, known))
    const den = m.den === null ? -1 : indexIn(values, '--metric', metricColumn('--metric', what, m.den, known))
    return {name: m.name, scale: m.scale, num, den, cov: -1}
  })
  // counts and amounts of ratio metrics must be >= 0, as on the rows
  const nonNegative = values.map((_, j) => metrics.some((m) => m.den >= 0 && (m.num === j || m.den === j)))
  for (const [name, col] of parseCovariates(spec.covariates ?? [], false)) {
    const m = metrics.find((x) => x.name === name)
    if (!m) throw new UsageError(`--covariate "${name}=...": no --metric named "${name}"`)
    m.cov = indexIn(covs, '--covariate', metricColumn('--covariate', `${name}=${col}`, col, known))
  }
  const valueCaps = new Map<number, number>()
  const covCaps = new Map<number, number>()
  for (const text of spec.caps ?? []) {
    const cap = parseCap(text)
    if (cap.percentile !== undefined) {
      throw new UsageError(
        `--cap "${text}": a percentile cap needs the percentile of the unit totals, which one portable query cannot compute exactly; compute it first (docs/warehouse.md, "A/B tests" has the query per warehouse) and pass --cap ${cap.column}=VALUE, or run receval ab --engine duckdb`,
      )
    }
    const value = cap.value as number
    const v = values.indexOf(cap.column)
    const c = covs.indexOf(cap.column)
    if (v < 0 && c < 0) throw new UsageError(`--cap "${cap.column}=${cap.rule}": "${cap.column}" is not a column of any --metric or --covariate`)
    // as on the rows: a column that is both a metric and a covariate column is capped as a metric column
    const caps = v >= 0 ? valueCaps : covCaps
    const at = v >= 0 ? v : c
    caps.set(at, Math.min(caps.get(at) ?? Infinity, value))
  }
  const where = spec.where === undefined ? undefined : checkWhere(spec.where)
  return {d, table, arm, unit, day, where, values, nonNegative, covs, metrics, valueCaps, covCaps, dropInvalid: spec.dropInvalid ?? false}
}

/**
 * Render the single SELECT (a WITH statement, no trailing semicolon) computing the ab/1
 * statistics of `spec.table`. The steps, each a CTE:
 *
 * 1. rv_src / rv_rows: the needed columns typed (keys as text, NULL as ''; values as DOUBLE),
 *    each row's problems counted in flag columns (an empty key; per column, a value that is not
 *    a finite number; a negative count or amount in a ratio metric), bad values replaced by 0
 * 2. with --unit: rows summed per (arm, unit[, day]); a covariate is the unit's one value
 * 3. capped unit values of every metric (Y = SCALE * capped numerator total, X, Z), and with
 *    --day the unit's running totals up to each of its days (a window partitioned by unit)
 * 4. sums per arm (and day) of n, Y, Y^2, X, X^2, XY and Z, Z^2, YZ, XZ; with --day the
 *    cumulative sums are running sums over the days of per-day increments f(S_d) - f(S_prev)
 *    of each unit's running totals S (so no unit x day product is ever formed), on a grid of
 *    every (arm, day) so a day without activity in an arm still gets its cumulative row
 * 5. one output row per metric (an unpivot by a constant list), `schema` = ab/1, or the
 *    message of the first problem the group's rows had
 *
 * Days are ordered as `receval ab` orders them: numerically when every day is a number, else
 * as text. With --day the arm and day columns (and --where's) are read a second time to list
 * the days and arms (a light scan; the heavy aggregation runs once).
 *
 * @throws UsageError for an unknown dialect, a name that cannot be quoted safely, a metric
 *   column that is an expression, a bad table reference, an unsafe --where, a percentile cap
 * @example renderAbSql({dialect: 'duckdb', table: 'events', arm: 'arm', unit: 'user_id', metrics: ['ctr=clicks/impressions']})
 */
export function renderAbSql(spec: AbSqlSpec): string {
  return new AbQuery(checkAbSpec(spec)).render()
}

/**
 * A query of columns `rv_v1`, `rv_v2`, ...: the values of `columns` (a metric column summed per
 * unit, or a covariate column, one value per unit) for every unit of the table (every row without
 * a unit column), over the rows `renderAbSql` with the same spec uses. For the caps of
 * `receval ab --engine duckdb`, which finds percentiles from order statistics of these values.
 */
export function renderAbUnitValuesSql(spec: AbSqlSpec, columns: readonly string[]): string {
  return new AbQuery(checkAbSpec(spec)).unitValues(columns)
}

/**
 * A one-row query with the number of rows `renderAbSql` with `{...spec, dropInvalid: true}`
 * uses (`rv_rows`) and leaves out (`rv_invalid`), its units (`rv_units`: distinct (arm, unit)),
 * and the units seen in more than one arm (`rv_multi`) with the smallest such unit
 * (`rv_example`, '' when none), for `receval ab --engine duckdb`.
 */
export function renderAbCountsSql(spec: AbSqlSpec): string {
  return new AbQuery(checkAbSpec({...spec, dropInvalid: false})).counts()
}


/** A pattern of the numbers `Number()` reads (decimal, optional sign and exponent), without backslashes. */
const NUMBER_PATTERN = '^ *[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)? *$'

/** `x` (text) matches `pattern` (no quotes or backslashes in it). */
function matches(d: DialectRules, x: string, pattern: string): string {
  const p = str(pattern)
  switch (d.name) {
    case 'duckdb':
      return `regexp_matches(${x}, ${p})`
    case 'bigquery':
      return `REGEXP_CONTAINS(${x}, ${p})`
    case 'trino':
      return `regexp_like(${x}, ${p})`
    default:
      return `${x} RLIKE ${p}`
  }
}

/** The statistics of one metric in a group, in output order (`x*` for ratio metrics only, `z*` with a covariate). */
type Stat = 'sy' | 'syy' | 'sx' | 'sxx' | 'sxy' | 'sz' | 'szz' | 'syz' | 'sxz'

class AbQuery {
  private readonly ctes: [string, string][] = []
  private readonly d: DialectRules
  constructor(private readonly c: AbChecked & {d: DialectRules}) {
    this.d = c.d
  }

  render(): string {
    this.source()
    const last = this.c.day === undefined ? this.overall() : this.byDay()
    return this.with(last)
  }

  private with(last: string): string {
    const body = this.ctes.map(([name, sql]) => `${name} AS (\n${indent(sql)}\n)`).join(',\n')
    return `WITH ${body}\n${last}\n`
  }

  private q(name: string): string {
    return this.d.quote(name)
  }

  private cast(x: string, type: 'double' | 'bigint' | 'string'): string {
    return `CAST(${x} AS ${this.d[type]})`
  }

  private fin(x: string): string {
    return `(${this.d.finite(x)})`
  }

  private cte(name: string, sql: string): void {
    this.ctes.push([name, sql])
  }

  /**
   * The problems the query marks, in the order their messages take precedence: problem i has
   * the code problems.length - i, and a row's (unit's, group's) `rv_bad` is the largest code among
   * its problems (0: none), aggregated with MAX. `row` is a condition on rv_src's columns; `cov`
   * the covariate column checked per unit (one value on every row of a unit).
   */
  private problems(): {message: string; row?: string; cov?: number}[] {
    const {arm, unit, day, values, nonNegative, covs} = this.c
    const valid = (x: string) => `COALESCE(${this.fin(x)}, FALSE)`
    const out: {message: string; row?: string; cov?: number}[] = [{row: `rv_arm = ''`, message: `rows with an empty arm (column "${arm}" NULL or empty): fill them in or filter them out`}]
    if (unit !== undefined) out.push({row: `rv_unit = ''`, message: `rows with an empty unit (column "${unit}" NULL or empty): fill them in or filter them out`})
    if (day !== undefined) out.push({row: `rv_day = ''`, message: `rows with an empty day (column "${day}" NULL or empty): fill them in or filter them out`})
    values.forEach((v, j) => out.push({row: `NOT ${valid(`rv_raw${j + 1}`)}`, message: `column "${v}" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out`}))
    covs.forEach((v, j) => out.push({row: `NOT ${valid(`rv_rawz${j + 1}`)}`, message: `column "${v}" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out`}))
    values.forEach((v, j) => {
      if (nonNegative[j]) out.push({row: `${valid(`rv_raw${j + 1}`)} AND rv_raw${j + 1} < 0e0`, message: `column "${v}" has negative values, but it is a count or amount in a ratio metric and must be >= 0`})
    })
    if (unit !== undefined) covs.forEach((v, j) => out.push({cov: j, message: `covariate column "${v}" differs between the rows of one unit, but a covariate is one pre-period value per unit, repeated on each of its rows`}))
    return out
  }

  /** The code of each problem (see problems). */
  private codes(): {code: number; message: string; row?: string; cov?: number}[] {
    const p = this.problems()
    return p.map((x, i) => ({...x, code: p.length - i}))
  }

  /** 1. rv_src, rv_rows */
  private source(): void {
    const {arm, unit, day, values, covs, table, where, dropInvalid} = this.c
    const text = (col: string) => `COALESCE(${this.cast(this.q(col), 'string')}, '')`
    const cols = [`${text(arm)} AS rv_arm`]
    if (unit !== undefined) cols.push(`${text(unit)} AS rv_unit`)
    if (day !== undefined) cols.push(`${text(day)} AS rv_day`)
    values.forEach((v, j) => cols.push(`${this.d.toDouble(this.q(v))} AS rv_raw${j + 1}`))
    covs.forEach((v, j) => cols.push(`${this.d.toDouble(this.q(v))} AS rv_rawz${j + 1}`))
    this.cte('rv_src', `SELECT\n${list(cols)}\nFROM ${table}${where !== undefined ? `\nWHERE (${where})` : ''}`)

    const keys = ['rv_arm', ...(unit !== undefined ? ['rv_unit'] : []), ...(day !== undefined ? ['rv_day'] : [])]
    const rows = [...keys]
    const fv = (j: number) => this.fin(`rv_raw${j + 1}`)
    const fz = (j: number) => this.fin(`rv_rawz${j + 1}`)
    values.forEach((_, j) => rows.push(`CASE WHEN ${fv(j)} THEN rv_raw${j + 1} ELSE 0e0 END AS rv_c${j + 1}`))
    covs.forEach((_, j) => rows.push(`CASE WHEN ${fz(j)} THEN rv_rawz${j + 1} ELSE 0e0 END AS rv_z${j + 1}`))
    const row = this.codes().filter((x) => x.row !== undefined)
    rows.push(`CASE\n${indent([...row.map((x) => `WHEN ${x.row} THEN ${x.code}`), 'ELSE 0'].join('\n'))}\nEND AS rv_rbad`)
    const valid = [...values.map((_, j) => fv(j)), ...covs.map((_, j) => fz(j))]
    this.cte('rv_rows', `SELECT\n${list(rows)}\nFROM rv_src${dropInvalid ? `\nWHERE ${valid.join(' AND ')}` : ''}`)
  }

  /** 2. rows summed per (arm, unit[, day]) into `name`; covariates keep their smallest and largest value. */
  private units(name: string, withDay: boolean): void {
    const {values, covs} = this.c
    const keys = ['rv_arm', 'rv_unit', ...(withDay ? ['rv_day'] : [])]
    const cols = [...keys]
    values.forEach((_, j) => cols.push(`SUM(rv_c${j + 1}) AS rv_c${j + 1}`))
    covs.forEach((_, j) => cols.push(`MIN(rv_z${j + 1}) AS rv_z${j + 1}`, `MAX(rv_z${j + 1}) AS rv_zx${j + 1}`))
    cols.push('MAX(rv_rbad) AS rv_rbad')
    this.cte(name, `SELECT\n${list(cols)}\nFROM rv_rows\nGROUP BY ${keys.join(', ')}`)
  }

  private capped(x: string, cap: number | undefined): string {
    return cap === undefined ? x : `LEAST(${x}, ${lit(cap)})`
  }

  private scaled(x: string, scale: number): string {
    return scale === 1 ? x : `${lit(scale)} * ${x}`
  }

  /** Y, X, Z of metric i from value columns `c(j)` and covariate columns `z(j)`. */
  private metricValues(c: (j: number) => string, z: (j: number) => string, suffix = ''): string[] {
    const {metrics, valueCaps, covCaps} = this.c
    const out: string[] = []
    metrics.forEach((m, i) => {
      out.push(`${this.scaled(this.capped(c(m.num), valueCaps.get(m.num)), m.scale)} AS rv_y${suffix}${i + 1}`)
      if (m.den >= 0) out.push(`${this.capped(c(m.den), valueCaps.get(m.den))} AS rv_x${suffix}${i + 1}`)
      if (m.cov >= 0 && suffix === '') out.push(`${this.capped(z(m.cov), covCaps.get(m.cov))} AS rv_w${i + 1}`)
    })
    return out
  }

  /** The statistics of metric i. */
  private stats(i: number): Stat[] {
    const m = this.c.metrics[i]
    const out: Stat[] = ['sy', 'syy']
    if (m.den >= 0) out.push('sx', 'sxx', 'sxy')
    if (m.cov >= 0) out.push('sz', 'szz', 'syz', ...(m.den >= 0 ? (['sxz'] as const) : []))
    return out
  }

  /** The sum over units of statistic `s` of metric i (unit values rv_y, rv_x, rv_w). */
  private sumOf(s: Stat, i: number): string {
    const k = i + 1
    const term: Record<Stat, string> = {
      sy: `rv_y${k}`,
      syy: `rv_y${k} * rv_y${k}`,
      sx: `rv_x${k}`,
      sxx: `rv_x${k} * rv_x${k}`,
      sxy: `rv_x${k} * rv_y${k}`,
      sz: `rv_w${k}`,
      szz: `rv_w${k} * rv_w${k}`,
      syz: `rv_y${k} * rv_w${k}`,
      sxz: `rv_x${k} * rv_w${k}`,
    }
    return `SUM(${term[s]})`
  }

  /**
   * The per-unit-day increment of cumulative statistic `s` of metric i: f(current running
   * values) - f(previous running values), with the previous values 0 on a unit's first day
   * (rv_yc / rv_yp: Y now and before; rv_new: 1 on the unit's first day).
   */
  private incrementOf(s: Stat, i: number): string {
    const k = i + 1
    const [yc, yp, xc, xp, w] = [`rv_yc${k}`, `rv_yp${k}`, `rv_xc${k}`, `rv_xp${k}`, `rv_w${k}`]
    const term: Record<Stat, string> = {
      sy: `${yc} - ${yp}`,
      syy: `${yc} * ${yc} - ${yp} * ${yp}`,
      sx: `${xc} - ${xp}`,
      sxx: `${xc} * ${xc} - ${xp} * ${xp}`,
      sxy: `${xc} * ${yc} - ${xp} * ${yp}`,
      sz: `CASE WHEN rv_new = 1 THEN ${w} ELSE 0e0 END`,
      szz: `CASE WHEN rv_new = 1 THEN ${w} * ${w} ELSE 0e0 END`,
      syz: `(${yc} - ${yp}) * ${w}`,
      sxz: `(${xc} - ${xp}) * ${w}`,
    }
    return `SUM(${term[s]})`
  }

  /** The list of every metric's statistics columns named `${prefix}${stat}${i}`. */
  private statNames(prefix: string): string[] {
    return this.c.metrics.flatMap((_, i) => this.stats(i).map((s) => `${prefix}${s}${i + 1}`))
  }

  /** A unit's code: its rows' (rv_rbad), else the covariate check on its smallest and largest value. */
  private unitBad(zmin: (j: number) => string, zmax: (j: number) => string): string {
    const covs = this.codes().filter((x) => x.cov !== undefined)
    if (covs.length === 0) return 'rv_rbad AS rv_bad'
    return `CASE\n${indent(['WHEN rv_rbad > 0 THEN rv_rbad', ...covs.map((x) => `WHEN ${zmin(x.cov as number)} <> ${zmax(x.cov as number)} THEN ${x.code}`), 'ELSE 0'].join('\n'))}\nEND AS rv_bad`
  }

  /** Without --day: per unit, then per arm. */
  private overall(): string {
    const {unit} = this.c
    let from = 'rv_rows'
    if (unit !== undefined) {
      this.units('rv_units', false)
      from = 'rv_units'
    }
    const c = (j: number) => `rv_c${j + 1}`
    const z = (j: number) => `rv_z${j + 1}`
    const zx = (j: number) => `rv_zx${j + 1}`
    this.cte('rv_vals', `SELECT\n${list(['rv_arm', ...this.metricValues(c, z), this.unitBad(z, zx)])}\nFROM ${from}`)
    const agg = ['rv_arm', 'COUNT(*) AS rv_units']
    this.c.metrics.forEach((_, i) => this.stats(i).forEach((s) => agg.push(`${this.sumOf(s, i)} AS rv_${s}${i + 1}`)))
    agg.push('MAX(rv_bad) AS rv_bad')
    this.cte('rv_agg', `SELECT\n${list(agg)}\nFROM rv_vals\nGROUP BY rv_arm`)
    return this.final('rv_agg', false)
  }

  /** With --day: daily and cumulative rows. */
  private byDay(): string {
    const {unit, values, covs} = this.c
    const d = this.d
    // the days in receval ab's order, and every arm: from the keys alone (a light second read)
    this.cte('rv_keys', `SELECT\n${list(['rv_arm', 'rv_day'])}\nFROM rv_rows\nGROUP BY rv_arm, rv_day`)
    this.cte('rv_days', `SELECT\n${list(['rv_day', `CASE WHEN ${matches(d, 'rv_day', NUMBER_PATTERN)} THEN ${d.toDouble('TRIM(rv_day)')} END AS rv_dnum`, '1 AS rv_one'])}\nFROM rv_keys\nGROUP BY rv_day`)
    this.cte('rv_dall', `SELECT\n${list(['rv_day', 'rv_dnum', 'rv_one', 'MIN(CASE WHEN rv_dnum IS NULL THEN 0 ELSE 1 END) OVER (PARTITION BY rv_one) AS rv_allnum'])}\nFROM rv_days`)
    this.cte('rv_rank', `SELECT\n${list(['rv_day', 'rv_one', 'ROW_NUMBER() OVER (PARTITION BY rv_one ORDER BY CASE WHEN rv_allnum = 1 THEN rv_dnum ELSE 0e0 END, rv_day) AS rv_r'])}\nFROM rv_dall`)
    this.cte('rv_arms', `SELECT\n${list(['rv_arm', '1 AS rv_one'])}\nFROM rv_keys\nGROUP BY rv_arm`)
    this.cte('rv_grid', `SELECT\n${list(['a.rv_arm', 'k.rv_day', 'k.rv_r'])}\nFROM rv_arms a\nJOIN rv_rank k ON a.rv_one = k.rv_one`)

    const c = (j: number) => `rv_c${j + 1}`
    const z = (j: number) => `rv_z${j + 1}`
    const daily = this.c.metrics.flatMap((_, i) => this.stats(i).map((s): [string, string] => [`rv_d${s}${i + 1}`, `${this.sumOf(s, i)}`]))
    let incs: [string, string][] = []
    let vals: string
    if (unit === undefined) {
      // every row is a unit of its own day: the cumulative increments are the day's sums
      this.cte('rv_udr', `SELECT\n${list(['r.rv_arm', 'k.rv_r', ...values.map((_, j) => `r.rv_c${j + 1}`), ...covs.map((_, j) => `r.rv_z${j + 1}`), 'r.rv_rbad'])}\nFROM rv_rows r\nJOIN rv_rank k ON r.rv_day = k.rv_day`)
      this.cte('rv_vals', `SELECT\n${list(['rv_arm', 'rv_r', ...this.metricValues(c, z), 'rv_rbad AS rv_bad'])}\nFROM rv_udr`)
      vals = 'rv_vals'
    } else {
      this.units('rv_ud', true)
      const zx = (j: number) => `u.rv_zx${j + 1}`
      this.cte('rv_udr', `SELECT\n${list(['u.rv_arm', 'u.rv_unit', 'k.rv_r', ...values.map((_, j) => `u.rv_c${j + 1}`), ...covs.flatMap((_, j) => [`u.rv_z${j + 1}`, zx(j)]), 'u.rv_rbad'])}\nFROM rv_ud u\nJOIN rv_rank k ON u.rv_day = k.rv_day`)
      const part = 'PARTITION BY rv_arm, rv_unit'
      const run = ['rv_arm', 'rv_unit', 'rv_r', ...values.map((_, j) => `rv_c${j + 1}`), 'rv_rbad']
      values.forEach((_, j) => run.push(`SUM(rv_c${j + 1}) OVER (${part} ORDER BY rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_s${j + 1}`))
      covs.forEach((_, j) => run.push(`MIN(rv_z${j + 1}) OVER (${part}) AS rv_z${j + 1}`, `MAX(rv_zx${j + 1}) OVER (${part}) AS rv_zx${j + 1}`))
      run.push(`ROW_NUMBER() OVER (${part} ORDER BY rv_r) AS rv_seq`)
      this.cte('rv_run', `SELECT\n${list(run)}\nFROM rv_udr`)
      const prev = ['rv_arm', 'rv_r', ...values.flatMap((_, j) => [`rv_c${j + 1}`, `rv_s${j + 1}`]), ...covs.flatMap((_, j) => [`rv_z${j + 1}`, `rv_zx${j + 1}`]), 'rv_rbad', 'CASE WHEN rv_seq = 1 THEN 1 ELSE 0 END AS rv_new']
      values.forEach((_, j) => prev.push(`LAG(rv_s${j + 1}) OVER (${part} ORDER BY rv_r) AS rv_p${j + 1}`))
      this.cte('rv_prev', `SELECT\n${list(prev)}\nFROM rv_run`)
      const {metrics, valueCaps} = this.c
      const cum: string[] = []
      metrics.forEach((m, i) => {
        const now = (j: number) => this.capped(`rv_s${j + 1}`, valueCaps.get(j))
        const before = (j: number) => `CASE WHEN rv_new = 1 THEN 0e0 ELSE ${this.capped(`rv_p${j + 1}`, valueCaps.get(j))} END`
        cum.push(`${this.scaled(now(m.num), m.scale)} AS rv_yc${i + 1}`, `${m.scale === 1 ? before(m.num) : `${lit(m.scale)} * (${before(m.num)})`} AS rv_yp${i + 1}`)
        if (m.den >= 0) cum.push(`${now(m.den)} AS rv_xc${i + 1}`, `${before(m.den)} AS rv_xp${i + 1}`)
      })
      const zx2 = (j: number) => `rv_zx${j + 1}`
      this.cte('rv_vals', `SELECT\n${list(['rv_arm', 'rv_r', 'rv_new', ...this.metricValues(c, z), ...cum, this.unitBad(z, zx2)])}\nFROM rv_prev`)
      vals = 'rv_vals'
      incs = this.c.metrics.flatMap((_, i) => this.stats(i).map((s): [string, string] => [`rv_i${s}${i + 1}`, this.incrementOf(s, i)]))
    }
    const dagg = ['rv_arm', 'rv_r', 'COUNT(*) AS rv_dunits', ...daily.map(([n, e]) => `${e} AS ${n}`), 'MAX(rv_bad) AS rv_bad']
    if (unit !== undefined) dagg.push('SUM(rv_new) AS rv_iunits', ...incs.map(([n, e]) => `${e} AS ${n}`))
    this.cte('rv_dagg', `SELECT\n${list(dagg)}\nFROM ${vals}\nGROUP BY rv_arm, rv_r`)

    // the grid of every (arm, day): the day's sums, and running sums of the increments
    const incName = (n: string) => (unit !== undefined ? n.replace(/^rv_d/, 'rv_i') : n)
    const running = (x: string, zero: string, agg = 'SUM') => `${agg}(COALESCE(a.${x}, ${zero})) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`
    const statCols = daily.map(([n]) => n.slice('rv_d'.length))
    const cumCols = [
      'g.rv_arm',
      'g.rv_day',
      'a.rv_dunits',
      ...daily.map(([n]) => `a.${n}`),
      'a.rv_bad AS rv_dbad',
      `${running(unit !== undefined ? 'rv_iunits' : 'rv_dunits', '0')} AS rv_cunits`,
      ...daily.map(([n]) => `${running(incName(n), '0e0')} AS rv_c_${n.slice('rv_d'.length)}`),
      `${running('rv_bad', '0', 'MAX')} AS rv_cbad`,
    ]
    this.cte('rv_cum', `SELECT\n${list(cumCols)}\nFROM rv_grid g\nLEFT JOIN rv_dagg a ON g.rv_arm = a.rv_arm AND g.rv_r = a.rv_r`)
    // rv_t = 0: the day's own rows; rv_t = 1: cumulative up to the day
    const pick = (daily: string, cum: string, name: string) => `CASE WHEN rv_t = 1 THEN ${cum} ELSE ${daily} END AS ${name}`
    const both = [
      'rv_arm',
      'rv_day',
      'rv_t',
      pick('rv_dunits', 'rv_cunits', 'rv_units'),
      ...statCols.map((s) => pick(`rv_d${s}`, `rv_c_${s}`, `rv_${s}`)),
      pick('rv_dbad', 'rv_cbad', 'rv_bad'),
    ]
    this.cte('rv_both', `SELECT\n${list(both)}\nFROM ${d.repeat('rv_cum', 'rv_t', [0, 1])}\nWHERE (rv_t = 0 AND rv_dunits > 0) OR (rv_t = 1 AND rv_cunits > 0)`)
    return this.final('rv_both', true)
  }

  /** 5. one row per metric of every group of `from` (rv_units, rv_<stat><i>, flag columns). */
  private final(from: string, day: boolean): string {
    const {metrics} = this.c
    const anyCov = metrics.some((m) => m.cov >= 0)
    const dbl = (x: string) => this.cast(x, 'double')
    const units = dbl('rv_units')
    const per = (f: (m: QMetric, k: number) => string) => dbl(`CASE rv_m ${metrics.map((m, i) => `WHEN ${i + 1} THEN ${f(m, i + 1)}`).join(' ')} END`)
    const codes = this.codes()
    const cols: Record<string, string> = {
      metric: `CASE rv_m ${metrics.map((m, i) => `WHEN ${i + 1} THEN ${str(m.name)}`).join(' ')} END`,
      arm: 'rv_arm',
      day: 'rv_day',
      cumulative: this.cast('rv_t', 'bigint'),
      units: this.cast('rv_units', 'bigint'),
      num_sum: per((_, k) => `rv_sy${k}`),
      num_sum_sq: per((_, k) => `rv_syy${k}`),
      den_sum: per((m, k) => (m.den >= 0 ? `rv_sx${k}` : units)),
      den_sum_sq: per((m, k) => (m.den >= 0 ? `rv_sxx${k}` : units)),
      num_den_sum: per((m, k) => (m.den >= 0 ? `rv_sxy${k}` : `rv_sy${k}`)),
      cov_sum: per((m, k) => (m.cov >= 0 ? `rv_sz${k}` : '0e0')),
      cov_sum_sq: per((m, k) => (m.cov >= 0 ? `rv_szz${k}` : '0e0')),
      num_cov_sum: per((m, k) => (m.cov >= 0 ? `rv_syz${k}` : '0e0')),
      den_cov_sum: per((m, k) => (m.cov < 0 ? '0e0' : m.den >= 0 ? `rv_sxz${k}` : `rv_sz${k}`)),
      // the first problem of the group's rows, else the schema (messages hold no ; or --, which some clients split or strip even inside quotes)
      schema: `CASE rv_bad\n${indent([...codes.map((x) => `WHEN ${x.code} THEN ${str(STATS_ERROR_PREFIX + x.message)}`), `ELSE ${str(STATS_SCHEMA)}`].join('\n'))}\nEND`,
    }
    const out = abStatsColumns(day, anyCov).map((name) => `${cols[name]} AS ${this.q(name)}`)
    return `SELECT\n${list(out)}\nFROM ${this.d.repeat(from, 'rv_m', metrics.map((_, i) => i + 1))}`
  }

  /** See renderAbUnitValuesSql. */
  unitValues(columns: readonly string[]): string {
    const {values, covs, unit} = this.c
    const picks = columns.map((column, k) => {
      const v = values.indexOf(column)
      const z = covs.indexOf(column)
      if (v < 0 && z < 0) throw new UsageError(`--cap "${column}=...": "${column}" is not a column of any --metric or --covariate`)
      return `${v >= 0 ? `rv_c${v + 1}` : `rv_z${z + 1}`} AS rv_v${k + 1}`
    })
    this.source()
    let from = 'rv_rows'
    if (unit !== undefined) {
      this.units('rv_units', false)
      from = 'rv_units'
    }
    return this.with(`SELECT\n${list(picks)}\nFROM ${from}`)
  }

  /** See renderAbCountsSql. */
  counts(): string {
    const {values, covs, unit} = this.c
    this.source()
    const valid = [...values.map((_, j) => this.fin(`rv_raw${j + 1}`)), ...covs.map((_, j) => this.fin(`rv_rawz${j + 1}`))]
    const bad = valid.length > 0 ? `CASE WHEN ${valid.join(' AND ')} THEN 0 ELSE 1 END` : '0'
    this.cte('rv_flag', `SELECT\n${list([...(unit !== undefined ? ['rv_unit'] : []), 'rv_arm', `${bad} AS rv_bad`])}\nFROM rv_src`)
    this.cte('rv_total', `SELECT\n${list(['SUM(1 - rv_bad) AS rv_rows', 'SUM(rv_bad) AS rv_invalid', '1 AS rv_one'])}\nFROM rv_flag`)
    const big = (x: string, name: string) => `${this.cast(x, 'bigint')} AS ${name}`
    if (unit === undefined) return this.with(`SELECT\n${list([big('COALESCE(rv_rows, 0)', 'rv_rows'), big('COALESCE(rv_invalid, 0)', 'rv_invalid'), big('COALESCE(rv_rows, 0)', 'rv_units'), big('0', 'rv_multi'), `'' AS rv_example`])}\nFROM rv_total`)
    this.cte('rv_unit_arms', `SELECT\n${list(['rv_unit', 'COUNT(DISTINCT rv_arm) AS rv_arms'])}\nFROM rv_flag\nWHERE rv_bad = 0\nGROUP BY rv_unit`)
    this.cte('rv_multi', `SELECT\n${list(['SUM(rv_arms) AS rv_units', 'SUM(CASE WHEN rv_arms > 1 THEN 1 ELSE 0 END) AS rv_multi', `COALESCE(MIN(CASE WHEN rv_arms > 1 THEN rv_unit END), '') AS rv_example`, '1 AS rv_one'])}\nFROM rv_unit_arms`)
    const out = [big('COALESCE(t.rv_rows, 0)', 'rv_rows'), big('COALESCE(t.rv_invalid, 0)', 'rv_invalid'), big('COALESCE(m.rv_units, 0)', 'rv_units'), big('COALESCE(m.rv_multi, 0)', 'rv_multi'), 'm.rv_example AS rv_example']
    return this.with(`SELECT\n${list(out)}\nFROM rv_total t\nJOIN rv_multi m ON t.rv_one = m.rv_one`)
  }
}
