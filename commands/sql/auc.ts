import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base.js'
import {UsageError} from '../../src/cli/errors.js'
import {AUC_STATS_SCHEMA, MAX_BUCKETS, SCORE_SCALES, ScoreScale} from '../../src/warehouse/auc-stats.js'
import {renderAucSql} from '../../src/warehouse/auc-sql.js'
import {DIALECTS} from '../../src/warehouse/dialect.js'

export interface SqlResult {
  command: 'sql auc'
  dialect: string
  stats_schema: string
  sql: string
}

export default class SqlAuc extends BaseCommand<typeof SqlAuc> {
  static override summary = 'Print the warehouse SQL that computes the statistics of receval auc'
  static override description = `Prints one SELECT (a WITH statement) for --dialect that reads --table once and returns a small table of ${AUC_STATS_SCHEMA} statistics: per score, one row per distinct score value (exact), or per logit-spaced bucket with --buckets N; per-group statistics with --group.

Export the result with a header as CSV, TSV or JSONL (one file per shard, e.g. one per --where) and merge the files with "receval auc --stats FILES...", which prints what "receval auc" prints on the rows. Without a table header to look at, --label and --score default to the first default names (label, score). Schema and per-warehouse export commands: docs/warehouse.md.`

  static override examples = [
    {description: 'exact statistics of two scores, GAUC by user, for Spark SQL', command: '<%= config.bin %> sql auc --dialect spark --table ads.preds --label click --score pctr --score pctr_v2 --group user_id'},
    {description: 'one day, a 10,000-bucket histogram, on BigQuery', command: `<%= config.bin %> sql auc --dialect bigquery --table my-project.ads.preds --label click --score pctr --where "dt = '2024-06-01'" --buckets 10000`},
    {description: 'run it in DuckDB and merge', command: '<%= config.bin %> sql auc --dialect duckdb --table preds --score pctr > q.sql && duckdb my.db -csv -c ".read q.sql" > stats.csv && <%= config.bin %> auc --stats stats.csv'},
  ]

  // no input file: the shared input flags (--format, --drop-invalid) do not apply; run() never reads them
  static override baseFlags = {} as typeof BaseCommand.baseFlags

  static override flags = {
    dialect: Flags.string({description: 'SQL dialect of the warehouse', options: [...DIALECTS], required: true}),
    table: Flags.string({description: 'table (or view) to read, e.g. db.preds; letters, digits, _, $ and dots', required: true}),
    label: Flags.string({description: 'label column (0/1/true/false, any type)', default: 'label'}),
    score: Flags.string({description: 'score column, repeatable [default: score]', multiple: true}),
    group: Flags.string({description: 'group column (e.g. user_id): per-group statistics for GAUC'}),
    weight: Flags.string({description: 'sample weight column (values >= 0)'}),
    where: Flags.string({description: 'SQL filter inserted as WHERE (EXPR), e.g. a day or a shard of users'}),
    buckets: Flags.string({description: `a histogram of N logit-spaced buckets per score (2..${MAX_BUCKETS}) instead of one row per distinct value; adds auc_error_bound`}),
    'score-scale': Flags.string({description: 'how --buckets spaces the scores: probability (buckets on the logit) or logit (scores are logits)', options: [...SCORE_SCALES], default: 'probability'}),
  }

  async run(): Promise<SqlResult> {
    const f = this.flags
    let buckets: number | undefined
    if (f.buckets !== undefined) {
      buckets = Number(f.buckets)
      if (!/^\s*\d+\s*$/.test(f.buckets)) throw new UsageError(`--buckets must be a whole number from 2 to ${MAX_BUCKETS}, not "${f.buckets}"`)
    }
    const sql = renderAucSql({
      dialect: f.dialect,
      table: f.table,
      label: f.label,
      scores: f.score ?? ['score'],
      group: f.group,
      weight: f.weight,
      where: f.where,
      buckets,
      scale: f['score-scale'] as ScoreScale,
    })
    if (!this.jsonEnabled()) process.stdout.write(sql)
    return {command: 'sql auc', dialect: f.dialect, stats_schema: AUC_STATS_SCHEMA, sql}
  }
}
