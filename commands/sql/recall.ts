import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base.js'
import {parseKs} from '../../src/cli/recall-inputs.js'
import {DIALECTS} from '../../src/warehouse/dialect.js'
import {renderRecallSql} from '../../src/warehouse/recall-sql.js'
import {RECALL_STATS_SCHEMA} from '../../src/warehouse/recall-stats.js'

export interface SqlRecallResult {
  command: 'sql recall'
  dialect: string
  stats_schema: string
  sql: string
}

export default class SqlRecall extends BaseCommand<typeof SqlRecall> {
  static override summary = 'Print the warehouse SQL that computes the statistics of receval recall'
  static override description = `Prints one SELECT (a WITH statement) for --dialect that reads the truth and retrieved tables (and the exclusions) and returns a small table of ${RECALL_STATS_SCHEMA} statistics: per retriever, evaluated key and K the hits, |T|, hit and truth bids, DCG, the AP sum and the first hit; per retrieved item its best position (for coverage); totals.

Export the result with a header as CSV, TSV or JSONL (one file per key shard, e.g. one per --where on a hash of the key) and merge the files with "receval recall --stats FILES...", which prints what "receval recall" prints on the rows. A table has no row order: long-format lists need --rank or --score, and equal sort values are ordered by the item's text. Without a table header to look at, --by and --item default to user_id and item_id, and there is no bid unless --bid names one. Schema and per-warehouse export commands: docs/warehouse.md.`

  static override examples = [
    {description: 'recall@10/50/100 of a retriever against the clicks, for Spark SQL', command: '<%= config.bin %> sql recall --dialect spark --truth-table ads.clicks --retrieved-table ads.retrieved --score score --bid bid'},
    {
      description: 'two retrievers, training pairs excluded, per activity segment, one key shard of four, on BigQuery',
      command: `<%= config.bin %> sql recall --dialect bigquery --truth-table p.ads.clicks --retrieved-table p.ads.faiss --retrieved-table p.ads.hnsw --rank pos --exclude-table p.ads.train --segment activity --bid bid -k 10,50 --where "MOD(ABS(FARM_FINGERPRINT(CAST(user_id AS STRING))), 4) = 0"`,
    },
    {description: 'single-dump mode: each user\'s impressions ranked by pctr, clicks are the truth, on Hive', command: "<%= config.bin %> sql recall --dialect hive --table ads.impressions --label click --score pctr --bid bid -k 5,10 --where \"dt = '2024-06-01'\""},
    {description: 'run it in DuckDB and merge', command: "<%= config.bin %> sql recall --dialect duckdb --truth-table clicks --retrieved-table retrieved --score score > q.sql && duckdb my.db -c \"COPY ($(cat q.sql)) TO 'stats.csv' (HEADER)\" && <%= config.bin %> recall --stats stats.csv"},
  ]

  // no input file: the shared input flags (--format, --drop-invalid) do not apply; run() never reads them
  static override baseFlags = {} as typeof BaseCommand.baseFlags

  static override flags = {
    dialect: Flags.string({description: 'SQL dialect of the warehouse', options: [...DIALECTS], required: true}),
    'truth-table': Flags.string({helpValue: 'REF', description: 'truth: one row per click (key, item[, bid]), e.g. db.clicks', helpGroup: 'TABLES'}),
    'retrieved-table': Flags.string({helpValue: 'REF', description: 'retrieved lists (key, item, rank|score; or list format with --items); repeat to compare retrievers', multiple: true, helpGroup: 'TABLES'}),
    'exclude-table': Flags.string({helpValue: 'REF', description: '(key, item) pairs removed from the lists before the cut at K (e.g. training interactions)', helpGroup: 'TABLES'}),
    table: Flags.string({helpValue: 'REF', description: 'single-dump mode: a prediction table (key, item, score or rank, label); rows with label 1 are the truth', helpGroup: 'TABLES'}),
    k: Flags.string({char: 'k', helpValue: 'LIST', description: 'cut-offs K, comma-separated positive integers', default: '10,50,100'}),
    by: Flags.string({helpValue: 'COL', description: 'key column in every table', default: 'user_id', helpGroup: 'COLUMNS'}),
    item: Flags.string({helpValue: 'COL', description: 'item column in every long-format table', default: 'item_id', helpGroup: 'COLUMNS'}),
    rank: Flags.string({helpValue: 'COL', description: 'rank column of the retrieved tables: ascending, 1 = best', helpGroup: 'COLUMNS'}),
    score: Flags.string({helpValue: 'COL', description: 'score column of the retrieved tables: descending [single-dump mode default: score]', helpGroup: 'COLUMNS'}),
    bid: Flags.string({helpValue: 'COL', description: 'value of each truth row, for cost_recall [default: none, cost_recall is null]', helpGroup: 'COLUMNS'}),
    items: Flags.string({helpValue: 'COL', description: 'list format: the retrieved tables\' column holding each key\'s items in rank order (text split on --sep)', helpGroup: 'COLUMNS'}),
    'truth-items': Flags.string({helpValue: 'COL', description: 'list format for the truth', helpGroup: 'COLUMNS'}),
    sep: Flags.string({helpValue: 'CHARS', description: 'separator characters inside --items / --truth-items fields [default: comma or space]', helpGroup: 'COLUMNS'}),
    label: Flags.string({helpValue: 'COL', description: 'single-dump mode: label column, rows with 1 (or true) are the truth [default: label]', helpGroup: 'COLUMNS'}),
    segment: Flags.string({helpValue: 'COL', description: 'a truth column (dump mode: a table column): every metric per segment as well as overall', helpGroup: 'COLUMNS'}),
    'truth-top': Flags.boolean({description: 'the truth is a ranked list: at each K only its first K items are T (needs --truth-rank, --truth-score or --truth-items)', default: false}),
    'truth-rank': Flags.string({helpValue: 'COL', description: 'with --truth-top: rank column of the truth (ascending)', helpGroup: 'COLUMNS'}),
    'truth-score': Flags.string({helpValue: 'COL', description: 'with --truth-top: score column of the truth (descending)', helpGroup: 'COLUMNS'}),
    coverage: Flags.boolean({description: 'one row per distinct retrieved item, for coverage; --no-coverage leaves them out: much smaller statistics for a large catalogue, coverage null', allowNo: true, default: true}),
    where: Flags.string({helpValue: 'EXPR', description: 'SQL filter for every table, inserted as WHERE (EXPR): a shard of keys, e.g. a hash of the key column', helpGroup: 'FILTERS'}),
    'truth-where': Flags.string({helpValue: 'EXPR', description: 'SQL filter for the truth table only (e.g. its day)', helpGroup: 'FILTERS'}),
    'retrieved-where': Flags.string({helpValue: 'EXPR', description: 'SQL filter for the retrieved tables only', helpGroup: 'FILTERS'}),
    'exclude-where': Flags.string({helpValue: 'EXPR', description: 'SQL filter for the exclusion table only', helpGroup: 'FILTERS'}),
  }

  async run(): Promise<SqlRecallResult> {
    const f = this.flags
    const sql = renderRecallSql({
      dialect: f.dialect,
      truthTable: f['truth-table'],
      retrievedTables: f['retrieved-table'],
      excludeTable: f['exclude-table'],
      table: f.table,
      label: f.label,
      ks: parseKs(f.k),
      by: f.by,
      item: f.item,
      rank: f.rank,
      score: f.score,
      bid: f.bid,
      items: f.items,
      truthItems: f['truth-items'],
      sep: f.sep,
      truthTop: f['truth-top'],
      truthRank: f['truth-rank'],
      truthScore: f['truth-score'],
      segment: f.segment,
      coverage: f.coverage,
      where: f.where,
      truthWhere: f['truth-where'],
      retrievedWhere: f['retrieved-where'],
      excludeWhere: f['exclude-where'],
    })
    if (!this.jsonEnabled()) process.stdout.write(sql)
    return {command: 'sql recall', dialect: f.dialect, stats_schema: RECALL_STATS_SCHEMA, sql}
  }
}
