import {UsageError} from '../cli/errors.js'
import {checkIdentifier, checkWhere, dialectRules, DialectRules, indent, labelCase, sqlList as list, stringLiteral as str, tableReference} from './dialect.js'
import {RECALL_STATS_COLUMNS, RECALL_STATS_DOUBLE, RECALL_STATS_SCHEMA, RECALL_STATS_TEXT, RECALL_TIEBREAK, RecallStatsColumn} from './recall-stats.js'

/** What `receval sql recall` renders: the tables, and the column flags of `receval recall`. */
export interface RecallSqlSpec {
  /** duckdb | spark | hive | odps | bigquery | trino */
  dialect: string
  /** files mode: the truth table (one row per click) */
  truthTable?: string
  /** files mode: one or more retrieved tables, compared with the first */
  retrievedTables?: readonly string[]
  /** (key, item) pairs removed from the lists before the cut at K */
  excludeTable?: string
  /** single-dump mode: one prediction table whose label-1 rows are the truth */
  table?: string
  /** single-dump mode: the label column (default label) */
  label?: string
  /** cut-offs, ascending, distinct, positive */
  ks: readonly number[]
  /** key column of every table (default user_id) */
  by?: string
  /** item column of every long-format table (default item_id) */
  item?: string
  /** retrieved lists ordered by this column ascending */
  rank?: string
  /** ... or descending */
  score?: string
  /** the value of each truth row, for cost_recall */
  bid?: string
  /** list format: the retrieved tables' column holding the items in rank order */
  items?: string
  /** list format for the truth */
  truthItems?: string
  /** separator characters inside list fields (default comma and space) */
  sep?: string
  truthTop?: boolean
  truthRank?: string
  truthScore?: string
  /** a truth column (dump mode: a column of the table): every metric per segment */
  segment?: string
  /** one row per retrieved item for coverage (default true); false: no item rows, coverage is null */
  coverage?: boolean
  /** a filter for every table, inserted as WHERE (expr): a shard of keys */
  where?: string
  truthWhere?: string
  retrievedWhere?: string
  excludeWhere?: string
}

/** The checked spec, with defaults applied. */
interface Checked {
  mode: 'files' | 'dump'
  ks: number[]
  by: string
  item: string
  /** retrieved tables (dump mode: the dump) and their result names */
  retrieved: {table: string; ref: string; name: string}[]
  truth: string
  truthRef: string
  exclude?: string
  excludeRef?: string
  label?: string
  order: {column: string; descending: boolean} | undefined
  bid?: string
  items?: string
  truthItems?: string
  sepClass: string
  truthTop: boolean
  truthOrder?: {column: string; descending: boolean}
  segment?: string
  coverage: boolean
  where: {truth: string[]; retrieved: string[]; exclude: string[]}
}

/** Characters `--sep` may hold in SQL: they are placed in a regular-expression character class. */
const SEP_SAFE = /^[ !#$%&()*+,./:<=>?@_{|}~A-Za-z0-9]+$/

/**
 * Render the single SELECT (a WITH statement, no trailing semicolon) that computes the
 * `receval.recall.v1` statistics (see ./recall-stats.ts for the result's columns).
 *
 * No window ever spans the table: every ROW_NUMBER / LEAD is partitioned by key (with the
 * retriever, the segment and K), and the heavy steps are GROUP BYs and equi-joins on the key.
 * 1. truth: typed rows (invalid ones counted, not used), repeated once per scope (overall, and
 *    the row's segment); distinct (scope, key, item) pairs with their bids, and with --truth-top
 *    their position in truth order; units (scope, key) with |T| and the truth bids at each K
 * 2. retrieved: every table typed, its distinct (retriever, key, item) pairs with the best sort
 *    value and the row count; exclusions joined on (key, item); the evaluated keys' lists ranked
 *    by (sort value, item), excluded pairs after the list; coverage from the best position of
 *    each item (a UNION ALL and a GROUP BY, no join of the lists with the pairs)
 * 3. hits: list entries joined with the truth pairs on (key, item), repeated per K; per unit and
 *    K the hits, DCG, the AP sum (the hit's rank among hits from a ROW_NUMBER), the first hit and
 *    the hit bids
 * 4. unit rows: every (retriever, unit, K) with its hits (0 without), the key's retrieved rows and
 *    the tie flag; item rows for coverage; totals and the meta rows
 *
 * @throws UsageError for an unknown dialect, unsafe names or references or filters, and flags
 *   that do not fit together
 * @example renderRecallSql({dialect: 'duckdb', truthTable: 'clicks', retrievedTables: ['retrieved'], score: 'score', ks: [10, 50]})
 */
export function renderRecallSql(spec: RecallSqlSpec): string {
  const d = dialectRules(spec.dialect)
  return new RecallQuery(d, checkSpec(d, spec)).render()
}

function ref(d: DialectRules, flag: string, table: string): string {
  try {
    return tableReference(d, table)
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(e.message.replace(/^--table\b/, flag))
    throw e
  }
}

function where(flag: string, e: string | undefined): string[] {
  if (e === undefined) return []
  try {
    return [checkWhere(e)]
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(err.message.replace(/^--where\b/, flag))
    throw err
  }
}

/** Result names of retrieved tables: the reference's last part, made unique with _2, _3 ... */
export function retrievedNames(tables: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return tables.map((t) => {
    const base = t.split('.').pop() as string
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return n === 1 ? base : `${base}_${n}`
  })
}

function checkSpec(d: DialectRules, s: RecallSqlSpec): Checked {
  const dump = s.table !== undefined
  const files = s.truthTable !== undefined || (s.retrievedTables?.length ?? 0) > 0
  if (dump && files) throw new UsageError('give either --table (single-dump mode) or --truth-table and --retrieved-table, not both')
  if (!dump && !files) throw new UsageError('give --truth-table and --retrieved-table, or --table with --label (single-dump mode: rows with label 1 are the truth)')
  if (files && !s.retrievedTables?.length) throw new UsageError('--truth-table needs --retrieved-table (the retrieved lists to evaluate)')
  if (files && s.truthTable === undefined) throw new UsageError('--retrieved-table needs --truth-table (the clicks or relevant items per key)')
  if (!dump && s.label !== undefined) throw new UsageError('--label applies to single-dump mode (--table); with --truth-table every truth row is a positive')
  if (dump && (s.truthWhere !== undefined || s.retrievedWhere !== undefined)) throw new UsageError('--truth-where and --retrieved-where need --truth-table and --retrieved-table; in single-dump mode use --where')
  if (s.excludeWhere !== undefined && s.excludeTable === undefined) throw new UsageError('--exclude-where needs --exclude-table')
  if (s.rank !== undefined && s.score !== undefined) throw new UsageError('give --rank or --score, not both')
  if (s.items !== undefined && (s.rank !== undefined || s.score !== undefined)) throw new UsageError('--items lists are in rank order already; --rank and --score apply to long format')
  if (dump && s.items !== undefined) throw new UsageError('--items (list format) does not apply to a prediction dump, which has one row per key and item')
  if (s.truthRank !== undefined && s.truthScore !== undefined) throw new UsageError('give --truth-rank or --truth-score, not both')
  if ((s.truthRank !== undefined || s.truthScore !== undefined) && !s.truthTop) throw new UsageError('--truth-rank and --truth-score order the truth for --truth-top; add --truth-top')
  if (dump && (s.truthTop || s.truthItems !== undefined)) throw new UsageError('--truth-top and --truth-items need a truth table (--truth-table); in single-dump mode the truth is the rows with label 1')
  if (s.truthItems !== undefined && (s.truthRank !== undefined || s.truthScore !== undefined)) throw new UsageError('--truth-items lists are in order already; --truth-rank and --truth-score apply to long-format truth')
  if (s.truthItems !== undefined && s.bid !== undefined) throw new UsageError('--bid needs long-format truth (one row per click); a --truth-items list has no bid per item')
  // a table has no row order: the order of a long-format list (or truth) must come from a column
  if (!dump && s.items === undefined && s.rank === undefined && s.score === undefined) {
    throw new UsageError('a table has no row order: give --rank COL or --score COL to order the retrieved lists (or --items COL for lists held in one field)')
  }
  if (s.truthTop && s.truthItems === undefined && s.truthRank === undefined && s.truthScore === undefined) {
    throw new UsageError('a table has no row order: --truth-top on a long-format truth needs --truth-rank COL or --truth-score COL (or --truth-items COL)')
  }
  const ks = [...s.ks]
  if (ks.length === 0 || ks.some((k, i) => !Number.isSafeInteger(k) || k < 1 || (i > 0 && k <= ks[i - 1]))) throw new UsageError(`-k takes ascending distinct positive integers, not ${ks.join(',')}`)
  const sep = s.sep ?? ', '
  if (sep === '') throw new UsageError('--sep needs at least one separator character')
  if ((s.items !== undefined || s.truthItems !== undefined) && !SEP_SAFE.test(sep)) {
    throw new UsageError(`--sep ${JSON.stringify(sep)}: in SQL the separators go into a regular-expression character class; use space or ASCII punctuation other than \\ ' " \` [ ] ^ - ;`)
  }
  const sepClass = [...new Set(sep)].join('')

  const id = (flag: string, name: string | undefined) => (name === undefined ? undefined : checkIdentifier(flag, name))
  const by = checkIdentifier('--by', s.by ?? 'user_id')
  const item = checkIdentifier('--item', s.item ?? 'item_id')
  const score = id('--score', dump && s.rank === undefined ? (s.score ?? 'score') : s.score)
  const rank = id('--rank', s.rank)
  const label = dump ? checkIdentifier('--label', s.label ?? 'label') : undefined
  const bid = id('--bid', s.bid)
  const items = id('--items', s.items)
  const truthItems = id('--truth-items', s.truthItems)
  const truthRank = id('--truth-rank', s.truthRank)
  const truthScore = id('--truth-score', s.truthScore)
  const segment = id('--segment', s.segment)

  // columns read from one table must be different columns (warehouses compare names without case)
  const distinct = (what: string, cols: [string, string | undefined][]) => {
    const seen: [string, string][] = []
    for (const [flag, c] of cols) {
      if (c === undefined) continue
      const other = seen.find(([, o]) => o.toLowerCase() === c.toLowerCase())
      if (other) throw new UsageError(`${other[0]} and ${flag} name the same column "${c}" of the ${what}`)
      seen.push([flag, c])
    }
  }
  if (dump) distinct('table', [['--by', by], ['--item', item], ['--label', label], ['--rank', rank], ['--score', score], ['--bid', bid], ['--segment', segment]])
  else {
    distinct('truth table', [['--by', by], truthItems !== undefined ? ['--truth-items', truthItems] : ['--item', item], ['--bid', bid], ['--segment', segment], ['--truth-rank', truthRank], ['--truth-score', truthScore]])
    distinct('retrieved table', [['--by', by], items !== undefined ? ['--items', items] : ['--item', item], ['--rank', rank], ['--score', score]])
  }
  if (s.excludeTable !== undefined) distinct('exclusion table', [['--by', by], ['--item', item]])

  const all = where('--where', s.where)
  const retrievedTables = dump ? [s.table as string] : (s.retrievedTables as string[])
  const refs = retrievedTables.map((t) => ref(d, dump ? '--table' : '--retrieved-table', t))
  const names = retrievedNames(retrievedTables)
  const truth = dump ? refs[0] : ref(d, '--truth-table', s.truthTable as string)
  const order = rank !== undefined ? {column: rank, descending: false} : score !== undefined ? {column: score, descending: true} : undefined
  return {
    mode: dump ? 'dump' : 'files',
    ks,
    by,
    item,
    retrieved: refs.map((r, i) => ({table: r, ref: retrievedTables[i], name: names[i]})),
    truth,
    truthRef: dump ? (s.table as string) : (s.truthTable as string),
    exclude: s.excludeTable === undefined ? undefined : ref(d, '--exclude-table', s.excludeTable),
    excludeRef: s.excludeTable,
    label,
    order,
    bid,
    items,
    truthItems,
    sepClass,
    truthTop: s.truthTop === true,
    truthOrder: truthRank !== undefined ? {column: truthRank, descending: false} : truthScore !== undefined ? {column: truthScore, descending: true} : undefined,
    segment,
    coverage: s.coverage !== false,
    where: {
      truth: [...all, ...where('--truth-where', s.truthWhere)],
      retrieved: [...all, ...where('--retrieved-where', s.retrievedWhere)],
      exclude: [...all, ...where('--exclude-where', s.excludeWhere)],
    },
  }
}


class RecallQuery {
  private readonly ctes: [string, string][] = []
  constructor(
    private readonly d: DialectRules,
    private readonly c: Checked,
  ) {}

  render(): string {
    this.truth()
    this.retrieved()
    this.hits()
    const branches = [...this.outputs(), ...this.meta()]
    const body = this.ctes.map(([name, sql]) => `${name} AS (\n${indent(sql)}\n)`).join(',\n')
    return `WITH ${body}\n${branches.join('\nUNION ALL\n')}\n`
  }

  // ---- helpers

  private q(n: string): string {
    return this.d.quote(n)
  }

  private cast(x: string, type: 'double' | 'bigint' | 'string'): string {
    return `CAST(${x} AS ${this.d[type]})`
  }

  /** a key or item: its text, NULL as '' (as an empty CSV field reads) */
  private text(col: string): string {
    return `COALESCE(${this.cast(this.q(col), 'string')}, '')`
  }

  /** a sort value, negated for descending order so that ascending is always better */
  private ordered(o: {column: string; descending: boolean}): string {
    const v = this.num(o.column)
    return o.descending ? `-${v}` : v
  }

  /** a number column as DOUBLE, NULL for text that is not a number (the row then counts as invalid) */
  private num(col: string): string {
    return this.d.toDouble(this.q(col))
  }

  private fin(x: string): string {
    return `(${this.d.finite(x)})`
  }

  private filter(conds: string[]): string {
    return conds.length ? `\nWHERE ${conds.map((c) => `(${c})`).join(' AND ')}` : ''
  }

  private cte(name: string, sql: string): void {
    this.ctes.push([name, sql])
  }

  private select(cols: string[], from: string, rest = ''): string {
    return `SELECT\n${list(cols)}\nFROM ${from}${rest}`
  }

  private get maxK(): number {
    return this.c.ks[this.c.ks.length - 1]
  }

  /**
   * The array of the pieces of a list field: split on the separator characters (Hive, Spark,
   * ODPS: split by a regular expression, empty pieces removed after the explode), or every run
   * of non-separator characters (regexp_extract_all: DuckDB, BigQuery, Trino).
   */
  private listOf(col: string): string {
    const x = this.cast(this.q(col), 'string')
    switch (this.d.name) {
      case 'spark':
      case 'hive':
      case 'odps':
        return `split(${x}, ${str(`[${this.c.sepClass}]+`)})`
      case 'bigquery':
        return `REGEXP_EXTRACT_ALL(${x}, ${str(`[^${this.c.sepClass}]+`)})`
      default:
        return `regexp_extract_all(${x}, ${str(`[^${this.c.sepClass}]+`)})`
    }
  }

  /**
   * One row per piece of the list rv_l of each row of `from`, with the piece as rv_li and its
   * position in the list as rv_lp (rising in list order), passing `cols` through.
   */
  private explode(cols: string[], from: string): string {
    const out = [...cols, 'rv_li', 'rv_lp']
    switch (this.d.name) {
      case 'duckdb':
        return this.select([...cols, 'UNNEST(rv_l) AS rv_li', 'generate_subscripts(rv_l, 1) AS rv_lp'], from)
      case 'bigquery':
        return this.select(out, `${from} CROSS JOIN UNNEST(rv_l) AS rv_li WITH OFFSET AS rv_lp`)
      case 'trino':
        return this.select(out, `${from} CROSS JOIN UNNEST(rv_l) WITH ORDINALITY AS rv_lv (rv_li, rv_lp)`)
      default:
        return this.select(out, `${from} LATERAL VIEW posexplode(rv_l) rv_lv AS rv_lp, rv_li`, `\nWHERE rv_li <> ''`)
    }
  }

  // ---- 1. truth

  private truth(): void {
    const c = this.c
    const text = (col: string) => this.text(col)
    const seg = c.segment !== undefined ? `${text(c.segment)} AS rv_seg` : `'' AS rv_seg`
    if (c.mode === 'dump') {
      const y = `LOWER(TRIM(${this.cast(this.q(c.label as string), 'string')}))`
      const cols = [
        `${text(c.by)} AS rv_key`,
        `${text(c.item)} AS rv_item`,
        labelCase(y),
        `${this.ordered(c.order as {column: string; descending: boolean})} AS rv_v`,
        c.bid !== undefined ? `${this.num(c.bid)} AS rv_bid` : '0e0 AS rv_bid',
        seg,
      ]
      this.cte('rv_ds0', this.select(cols, c.truth, this.filter(c.where.truth)))
      const status = ['rv_y IS NOT NULL', this.fin('rv_v')]
      const cases: string[] = []
      if (c.bid !== undefined) {
        status.push(this.fin('rv_bid'))
        cases.push(`WHEN ${this.fin('rv_bid')} AND rv_bid < 0e0 THEN 2`)
      }
      cases.push(`WHEN ${status.join(' AND ')} THEN 0`, 'ELSE 1')
      this.cte('rv_ds', this.select(['rv_key', 'rv_item', 'rv_y', 'rv_v', 'rv_bid', 'rv_seg', `CASE\n${indent(cases.join('\n'))}\nEND AS rv_status`], 'rv_ds0'))
      this.cte('rv_ts', this.select(['rv_key', 'rv_item', 'rv_bid', 'rv_seg', '0e0 AS rv_tv', 'rv_status'], 'rv_ds', '\nWHERE rv_status = 0 AND rv_y = 1'))
    } else if (c.truthItems !== undefined) {
      this.cte('rv_ts0', this.select([`${text(c.by)} AS rv_key`, `${this.listOf(c.truthItems)} AS rv_l`, seg], c.truth, this.filter(c.where.truth)))
      this.cte('rv_ts1', this.explode(['rv_key', 'rv_seg'], 'rv_ts0'))
      this.cte('rv_ts', this.select(['rv_key', 'rv_li AS rv_item', '0e0 AS rv_bid', 'rv_seg', `${this.cast('rv_lp', 'double')} AS rv_tv`, '0 AS rv_status'], 'rv_ts1'))
      this.cte('rv_tn', this.select(['rv_key', 'COUNT(*) AS rv_tln'], 'rv_ts0', '\nGROUP BY rv_key'))
    } else {
      const cols = [`${text(c.by)} AS rv_key`, `${text(c.item)} AS rv_item`, c.bid !== undefined ? `${this.num(c.bid)} AS rv_bid` : '0e0 AS rv_bid', seg]
      cols.push(c.truthOrder ? `${this.ordered(c.truthOrder)} AS rv_tv` : '0e0 AS rv_tv')
      this.cte('rv_ts0', this.select(cols, c.truth, this.filter(c.where.truth)))
      const valid: string[] = []
      const cases: string[] = []
      if (c.bid !== undefined) {
        valid.push(this.fin('rv_bid'))
        cases.push(`WHEN ${this.fin('rv_bid')} AND rv_bid < 0e0 THEN 2`)
      }
      if (c.truthOrder) valid.push(this.fin('rv_tv'))
      cases.push(`WHEN ${valid.join(' AND ')} THEN 0`, 'ELSE 1')
      const status = valid.length ? `CASE\n${indent(cases.join('\n'))}\nEND AS rv_status` : '0 AS rv_status'
      this.cte('rv_ts', this.select(['rv_key', 'rv_item', 'rv_bid', 'rv_seg', 'rv_tv', status], 'rv_ts0'))
    }

    // scopes: 0 = overall, 1 = the row's segment; invalid rows keep only their count
    const scoped = c.segment !== undefined
    const t1 = [
      scoped ? 'rv_sc' : '0 AS rv_sc',
      scoped ? `CASE WHEN rv_sc = 1 THEN rv_seg ELSE '' END AS rv_sg` : `'' AS rv_sg`,
      `CASE WHEN rv_status = 0 THEN rv_key ELSE '' END AS rv_tk`,
      `CASE WHEN rv_status = 0 THEN rv_item ELSE '' END AS rv_ti`,
      'rv_bid',
      'rv_tv',
      'rv_status',
    ]
    this.cte('rv_t1', scoped ? this.select(t1, this.d.repeat('rv_ts', 'rv_sc', [0, 1]), '\nWHERE rv_sc = 0 OR rv_status = 0') : this.select(t1, 'rv_ts'))
    this.cte('rv_tg', this.select(['rv_status', 'rv_sc', 'rv_sg', 'rv_tk', 'rv_ti', 'COUNT(*) AS rv_tgn', 'SUM(rv_bid) AS rv_ib', 'MIN(rv_tv) AS rv_tm'], 'rv_t1', '\nGROUP BY rv_status, rv_sc, rv_sg, rv_tk, rv_ti'))
    const tp = c.truthTop ? 'ROW_NUMBER() OVER (PARTITION BY rv_sc, rv_sg, rv_tk ORDER BY rv_tm, rv_ti) AS rv_tp' : '0 AS rv_tp'
    this.cte('rv_tq', this.select(['rv_sc', 'rv_sg', 'rv_tk', 'rv_ti', 'rv_tgn', 'rv_ib', tp], 'rv_tg', '\nWHERE rv_status = 0'))
    this.cte('rv_tu', this.select(['rv_sc', 'rv_sg', 'rv_tk', 'COUNT(*) AS rv_nd', 'SUM(rv_ib) AS rv_tb', 'SUM(rv_tgn) AS rv_tr'], 'rv_tq', '\nGROUP BY rv_sc, rv_sg, rv_tk'))
    if (c.truthTop) {
      this.cte(
        'rv_tuk',
        this.select(
          ['rv_sc', 'rv_sg', 'rv_tk', 'rv_k', 'SUM(CASE WHEN rv_tp <= rv_k THEN 1 ELSE 0 END) AS rv_nt', 'SUM(CASE WHEN rv_tp <= rv_k THEN rv_ib ELSE 0e0 END) AS rv_tbk'],
          this.d.repeat('rv_tq', 'rv_k', c.ks),
          '\nGROUP BY rv_sc, rv_sg, rv_tk, rv_k',
        ),
      )
    } else this.cte('rv_tuk', this.select(['rv_sc', 'rv_sg', 'rv_tk', 'rv_k', 'rv_nd AS rv_nt', 'rv_tb AS rv_tbk'], this.d.repeat('rv_tu', 'rv_k', c.ks)))
    this.cte('rv_ev', this.select(['rv_tk AS rv_ek'], 'rv_tu', '\nWHERE rv_sc = 0'))
  }

  // ---- 2. retrieved lists

  private retrieved(): void {
    const c = this.c
    if (c.mode === 'dump') {
      this.cte('rv_rs', this.select(['1 AS rv_r', 'rv_status', `CASE WHEN rv_status = 0 THEN rv_key ELSE '' END AS rv_gk`, `CASE WHEN rv_status = 0 THEN rv_item ELSE '' END AS rv_gi`, 'rv_v'], 'rv_ds'))
    } else if (c.items !== undefined) {
      const branches = c.retrieved.map((r, i) => this.select([`${i + 1} AS rv_r`, `${this.text(c.by)} AS rv_key`, `${this.listOf(c.items as string)} AS rv_l`], r.table, this.filter(c.where.retrieved)))
      this.cte('rv_rs0', branches.join('\nUNION ALL\n'))
      this.cte('rv_rs1', this.explode(['rv_r', 'rv_key'], 'rv_rs0'))
      this.cte('rv_rs', this.select(['rv_r', '0 AS rv_status', 'rv_key AS rv_gk', 'rv_li AS rv_gi', `${this.cast('rv_lp', 'double')} AS rv_v`], 'rv_rs1'))
      this.cte('rv_rn', this.select(['rv_r', 'rv_key', 'COUNT(*) AS rv_rln'], 'rv_rs0', '\nGROUP BY rv_r, rv_key'))
    } else {
      const order = c.order as {column: string; descending: boolean}
      const branches = c.retrieved.map((r, i) => this.select([`${i + 1} AS rv_r`, `${this.text(c.by)} AS rv_key`, `${this.text(c.item)} AS rv_item`, `${this.ordered(order)} AS rv_v`], r.table, this.filter(c.where.retrieved)))
      this.cte('rv_rs0', branches.join('\nUNION ALL\n'))
      const ok = this.fin('rv_v')
      this.cte('rv_rs', this.select(['rv_r', `CASE WHEN ${ok} THEN 0 ELSE 1 END AS rv_status`, `CASE WHEN ${ok} THEN rv_key ELSE '' END AS rv_gk`, `CASE WHEN ${ok} THEN rv_item ELSE '' END AS rv_gi`, 'rv_v'], 'rv_rs0'))
    }
    this.cte('rv_rg', this.select(['rv_r', 'rv_status', 'rv_gk', 'rv_gi', 'COUNT(*) AS rv_rgn', 'MIN(rv_v) AS rv_bv'], 'rv_rs', '\nGROUP BY rv_r, rv_status, rv_gk, rv_gi'))

    const joins = ['rv_rg rv_j1']
    let ex = '0 AS rv_ex'
    if (c.exclude !== undefined) {
      this.cte('rv_xs', this.select([`${this.text(c.by)} AS rv_xk`, `${this.text(c.item)} AS rv_xi`], c.exclude, this.filter(c.where.exclude)))
      this.cte('rv_xg', this.select(['rv_xk', 'rv_xi', 'COUNT(*) AS rv_xn'], 'rv_xs', '\nGROUP BY rv_xk, rv_xi'))
      joins.push('LEFT JOIN rv_xg rv_j2 ON rv_j1.rv_gk = rv_j2.rv_xk AND rv_j1.rv_gi = rv_j2.rv_xi')
      ex = 'CASE WHEN rv_j2.rv_xk IS NULL THEN 0 ELSE 1 END AS rv_ex'
    }
    joins.push('LEFT JOIN rv_ev rv_j3 ON rv_j1.rv_gk = rv_j3.rv_ek')
    this.cte(
      'rv_rp',
      this.select(['rv_j1.rv_r', 'rv_j1.rv_gk', 'rv_j1.rv_gi', 'rv_j1.rv_rgn', 'rv_j1.rv_bv', ex, 'CASE WHEN rv_j3.rv_ek IS NULL THEN 0 ELSE 1 END AS rv_e'], joins.join('\n'), '\nWHERE rv_j1.rv_status = 0'),
    )
    // the evaluated keys' pairs ranked, excluded pairs last: positions 1..n are the list's entries
    const w = 'OVER (PARTITION BY rv_r, rv_gk ORDER BY rv_ex, rv_bv, rv_gi)'
    const rl = ['rv_r', 'rv_gk', 'rv_gi', 'rv_bv', 'rv_ex', `ROW_NUMBER() ${w} AS rv_pos`]
    if (c.order) rl.push(`LEAD(CASE WHEN rv_ex = 0 THEN rv_bv ELSE NULL END) ${w} AS rv_nx`)
    this.cte('rv_rl', this.select(rl, 'rv_rp', '\nWHERE rv_e = 1'))
    this.cte('rv_rk', this.select(['rv_r', 'rv_gk', 'rv_e', 'SUM(rv_rgn) AS rv_kr', 'SUM(rv_ex * rv_rgn) AS rv_kx', 'SUM((1 - rv_ex) * (rv_rgn - 1)) AS rv_kd'], 'rv_rp', '\nGROUP BY rv_r, rv_gk, rv_e'))
    if (c.order) this.cte('rv_te', this.select(['rv_r', 'rv_gk', 'rv_pos AS rv_tpos', '1 AS rv_tie'], 'rv_rl', `\nWHERE rv_ex = 0 AND rv_pos IN (${c.ks.join(', ')}) AND rv_nx = rv_bv`))
  }

  // ---- 3. hits and 4. the per-unit rows

  private hits(): void {
    const c = this.c
    this.cte(
      'rv_h',
      this.select(
        ['rv_j1.rv_r', 'rv_j2.rv_sc', 'rv_j2.rv_sg', 'rv_j1.rv_gk', 'rv_j1.rv_pos', 'rv_j2.rv_tp', 'rv_j2.rv_ib'],
        'rv_rl rv_j1\nJOIN rv_tq rv_j2 ON rv_j1.rv_gk = rv_j2.rv_tk AND rv_j1.rv_gi = rv_j2.rv_ti',
        `\nWHERE rv_j1.rv_ex = 0 AND rv_j1.rv_pos <= ${this.maxK}`,
      ),
    )
    this.cte(
      'rv_hk',
      this.select(
        ['rv_r', 'rv_sc', 'rv_sg', 'rv_gk', 'rv_k', 'rv_pos', 'rv_ib', 'ROW_NUMBER() OVER (PARTITION BY rv_r, rv_sc, rv_sg, rv_gk, rv_k ORDER BY rv_pos) AS rv_hi'],
        this.d.repeat('rv_h', 'rv_k', c.ks),
        '\nWHERE rv_pos <= rv_k AND rv_tp <= rv_k',
      ),
    )
    const pos = this.cast('rv_pos', 'double')
    this.cte(
      'rv_hs',
      this.select(
        ['rv_r', 'rv_sc', 'rv_sg', 'rv_gk', 'rv_k', 'COUNT(*) AS rv_nh', `SUM(LN(2e0) / LN(${pos} + 1e0)) AS rv_dcg`, `SUM(${this.cast('rv_hi', 'double')} / ${pos}) AS rv_ap`, 'MIN(rv_pos) AS rv_fh', 'SUM(rv_ib) AS rv_hb'],
        'rv_hk',
        '\nGROUP BY rv_r, rv_sc, rv_sg, rv_gk, rv_k',
      ),
    )
    const m = c.retrieved.length
    const uk = ['rv_r', 'rv_sc', 'rv_sg', 'rv_tk', 'rv_k', 'rv_nt', 'rv_tbk']
    this.cte('rv_uk', m > 1 ? this.select(uk, this.d.repeat('rv_tuk', 'rv_r', c.retrieved.map((_, i) => i + 1))) : this.select(['1 AS rv_r', ...uk.slice(1)], 'rv_tuk'))
    const joins = [
      'rv_uk rv_j1',
      'LEFT JOIN rv_hs rv_j2 ON rv_j1.rv_r = rv_j2.rv_r AND rv_j1.rv_sc = rv_j2.rv_sc AND rv_j1.rv_sg = rv_j2.rv_sg AND rv_j1.rv_tk = rv_j2.rv_gk AND rv_j1.rv_k = rv_j2.rv_k',
      'LEFT JOIN rv_rk rv_j3 ON rv_j1.rv_r = rv_j3.rv_r AND rv_j1.rv_tk = rv_j3.rv_gk',
    ]
    let tie = '0 AS rv_ut'
    if (c.order) {
      joins.push('LEFT JOIN rv_te rv_j4 ON rv_j1.rv_r = rv_j4.rv_r AND rv_j1.rv_tk = rv_j4.rv_gk AND rv_j1.rv_k = rv_j4.rv_tpos')
      tie = 'CASE WHEN rv_j1.rv_sc = 0 THEN COALESCE(rv_j4.rv_tie, 0) ELSE 0 END AS rv_ut'
    }
    this.cte(
      'rv_uf',
      this.select(
        [
          'rv_j1.rv_r',
          'rv_j1.rv_sc',
          'rv_j1.rv_sg',
          'rv_j1.rv_tk',
          'rv_j1.rv_k',
          'rv_j1.rv_nt',
          'rv_j1.rv_tbk',
          'COALESCE(rv_j3.rv_kr, 0) AS rv_ur',
          'COALESCE(rv_j2.rv_nh, 0) AS rv_uh',
          'COALESCE(rv_j2.rv_hb, 0e0) AS rv_uhb',
          'COALESCE(rv_j2.rv_dcg, 0e0) AS rv_udcg',
          'COALESCE(rv_j2.rv_ap, 0e0) AS rv_uap',
          'COALESCE(rv_j2.rv_fh, 0) AS rv_ufh',
          tie,
        ],
        joins.join('\n'),
      ),
    )
    this.cte('rv_tt', this.select(['rv_sc', 'rv_sg', 'COUNT(*) AS rv_tnk', 'SUM(rv_tr) AS rv_tnr'], 'rv_tu', '\nGROUP BY rv_sc, rv_sg'))
    this.cte('rv_rt1', this.select(['rv_r', 'SUM(rv_kr) AS rv_sr', 'SUM(rv_e * rv_kx) AS rv_sx', 'SUM(rv_e * rv_kd) AS rv_sd'], 'rv_rk', '\nGROUP BY rv_r'))
    if (!c.coverage) {
      this.cte('rv_rt', this.select(['rv_r', 'rv_sr', 'rv_sx', 'rv_sd', '0 AS rv_sn'], 'rv_rt1'))
      return
    }
    // coverage: every distinct retrieved item (of any key), with its best position in an evaluated key's list
    const none = `${this.cast('NULL', 'bigint')} AS rv_ip`
    this.cte(
      'rv_ipos',
      [
        this.select(['rv_r', 'rv_gi', none], 'rv_rp', '\nWHERE rv_e = 0'),
        this.select(['rv_r', 'rv_gi', `CASE WHEN rv_ex = 0 AND rv_pos <= ${this.maxK} THEN rv_pos ELSE NULL END AS rv_ip`], 'rv_rl'),
      ].join('\nUNION ALL\n'),
    )
    this.cte('rv_it', this.select(['rv_r', 'rv_gi', 'MIN(rv_ip) AS rv_mp'], 'rv_ipos', '\nGROUP BY rv_r, rv_gi'))
    if (c.segment !== undefined) {
      this.cte(
        'rv_si',
        this.select(
          ['rv_j1.rv_r', 'rv_j2.rv_sg', 'rv_j1.rv_gi', 'MIN(rv_j1.rv_pos) AS rv_smp'],
          'rv_rl rv_j1\nJOIN rv_tu rv_j2 ON rv_j1.rv_gk = rv_j2.rv_tk',
          `\nWHERE rv_j2.rv_sc = 1 AND rv_j1.rv_ex = 0 AND rv_j1.rv_pos <= ${this.maxK}\nGROUP BY rv_j1.rv_r, rv_j2.rv_sg, rv_j1.rv_gi`,
        ),
      )
    }
    this.cte('rv_rt2', this.select(['rv_r', 'COUNT(*) AS rv_sn'], 'rv_it', '\nGROUP BY rv_r'))
    this.cte('rv_rt', this.select(['rv_j1.rv_r', 'rv_j1.rv_sr', 'rv_j1.rv_sx', 'rv_j1.rv_sd', 'rv_j2.rv_sn'], 'rv_rt1 rv_j1\nJOIN rv_rt2 rv_j2 ON rv_j1.rv_r = rv_j2.rv_r'))
  }

  // ---- the output: one SELECT per kind of row

  /** One UNION ALL branch: the given output columns, the others '' or 0. */
  private branch(values: Partial<Record<RecallStatsColumn, string>>, from?: string, rest = ''): string {
    const cols = RECALL_STATS_COLUMNS.map((col) => {
      const v = values[col]
      let e: string
      if (RECALL_STATS_TEXT.has(col)) e = v ?? `''`
      else e = this.cast(v ?? '0', RECALL_STATS_DOUBLE.has(col) ? 'double' : 'bigint')
      return `${e} AS ${this.q(col)}`
    })
    cols[0] = `${str(RECALL_STATS_SCHEMA)} AS ${this.q('stats_schema')}`
    return from === undefined ? `SELECT ${cols.join(', ')}` : `SELECT\n${list(cols)}\nFROM ${from}${rest}`
  }

  private retrieverName(r: string): string {
    return `CASE ${r} ${this.c.retrieved.map((x, i) => `WHEN ${i + 1} THEN ${str(x.name)}`).join(' ')} ELSE '' END`
  }

  private outputs(): string[] {
    const c = this.c
    const name = this.retrieverName('rv_r')
    const out = [
      this.branch(
        {
          kind: `CASE WHEN rv_sc = 0 THEN 'unit' ELSE 'segment_unit' END`,
          retriever: name,
          segment: 'rv_sg',
          key: 'rv_tk',
          k: 'rv_k',
          n_rows: 'rv_ur',
          n_truth: 'rv_nt',
          n_hits: 'rv_uh',
          hit_bid: 'rv_uhb',
          truth_bid: 'rv_tbk',
          dcg: 'rv_udcg',
          ap_sum: 'rv_uap',
          first_hit: 'rv_ufh',
          tie: 'rv_ut',
        },
        'rv_uf',
      ),
    ]
    if (c.coverage) out.push(this.branch({kind: `'item'`, retriever: name, item: 'rv_gi', position: 'COALESCE(rv_mp, 0)'}, 'rv_it'))
    if (c.coverage && c.segment !== undefined) out.push(this.branch({kind: `'segment_item'`, retriever: name, segment: 'rv_sg', item: 'rv_gi', position: 'rv_smp'}, 'rv_si'))
    out.push(
      this.branch({kind: `CASE WHEN rv_sc = 0 THEN 'truth' ELSE 'segment_truth' END`, segment: 'rv_sg', n_rows: 'rv_tnr', n_keys: 'rv_tnk'}, 'rv_tt'),
      this.branch({kind: `'retrieved'`, retriever: name, n_rows: 'rv_sr', n_items: 'rv_sn', excluded_rows: 'rv_sx', duplicate_rows: 'rv_sd'}, 'rv_rt'),
    )
    const bad = `CASE WHEN rv_status = 2 THEN 'negative_bid' ELSE 'invalid' END`
    if (c.mode === 'dump') out.push(this.branch({kind: bad, retriever: name, n_rows: 'rv_rgn'}, 'rv_rg', '\nWHERE rv_status <> 0'))
    else {
      out.push(this.branch({kind: bad, n_rows: 'rv_tgn'}, 'rv_tg', '\nWHERE rv_status <> 0 AND rv_sc = 0'))
      if (c.items === undefined) out.push(this.branch({kind: `'invalid'`, retriever: name, n_rows: 'rv_rgn'}, 'rv_rg', '\nWHERE rv_status <> 0'))
    }
    if (c.exclude !== undefined) out.push(this.branch({kind: `'exclude'`, n_rows: 'COALESCE(SUM(rv_xn), 0)'}, 'rv_xg'))
    if (c.items !== undefined) {
      out.push(this.branch({kind: `'list_rows'`, retriever: name, n_rows: 'SUM(rv_rln)', n_keys: 'SUM(CASE WHEN rv_rln > 1 THEN 1 ELSE 0 END)'}, 'rv_rn', '\nGROUP BY rv_r'))
    }
    if (c.truthItems !== undefined) out.push(this.branch({kind: `'list_rows'`, n_rows: 'COALESCE(SUM(rv_tln), 0)', n_keys: 'COALESCE(SUM(CASE WHEN rv_tln > 1 THEN 1 ELSE 0 END), 0)'}, 'rv_tn'))
    return out
  }

  /** The meta rows, one constant SELECT each. */
  private meta(): string[] {
    const c = this.c
    const rows: [string, string, number][] = [
      ['mode', c.mode, 0],
      ['truth_top', String(c.truthTop), 0],
      ...c.ks.map((K): [string, string, number] => ['k', String(K), K]),
      ...c.retrieved.map((r, i): [string, string, number] => ['retriever', r.name, i + 1]),
      ...c.retrieved.map((r, i): [string, string, number] => ['retriever_table', r.ref, i + 1]),
      ['truth_table', c.truthRef, 0],
      ['exclude_table', c.excludeRef ?? '', 0],
      ['order', c.items !== undefined ? 'list' : c.order?.descending ? 'score' : 'rank', 0],
      ['tiebreak', RECALL_TIEBREAK, 0],
      ['coverage', String(c.coverage), 0],
    ]
    const columns: [string, string | undefined][] = [
      ['by', c.by],
      ['item', c.mode === 'dump' || c.items === undefined || c.truthItems === undefined ? c.item : undefined],
      [c.order?.descending ? 'score' : 'rank', c.items === undefined ? c.order?.column : undefined],
      ['bid', c.bid],
      ['items', c.items],
      ['label', c.label],
      ['segment', c.segment],
      ['truth-items', c.truthItems],
      [c.truthOrder?.descending ? 'truth-score' : 'truth-rank', c.truthOrder?.column],
    ]
    for (const [role, col] of columns) if (col !== undefined) rows.push([`column.${role}`, col, 0])
    return rows.map(([key, value, k]) => this.branch({kind: `'meta'`, key: str(key), item: str(value), k: String(k)}))
  }
}
