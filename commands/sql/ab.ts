import {Flags} from '@oclif/core'
import {STATS_SCHEMA} from '../../src/ab/stats-file.js'
import {BaseCommand} from '../../src/cli/base.js'
import {renderAbSql} from '../../src/warehouse/ab-sql.js'
import {DIALECTS} from '../../src/warehouse/dialect.js'

export interface SqlAbResult {
  command: 'sql ab'
  dialect: string
  stats_schema: string
  sql: string
}

export default class SqlAb extends BaseCommand<typeof SqlAb> {
  static override summary = 'Print the warehouse SQL that computes the statistics of receval ab --stats'
  static override description = `Prints one SELECT (a WITH statement) for --dialect that reads --table, sums its rows to the randomization unit (--unit; without it every row is a unit) and returns the ${STATS_SCHEMA} statistics of receval ab --stats: per --metric and arm (and with --day per day and per day cumulatively) the units and the sums, sums of squares and cross products of the unit values.

Export the result with a header as CSV, TSV or JSONL (one file per shard of units, e.g. one per --where on a hash of the unit) and analyse the files with "receval ab --stats FILES..." (add "--day day" with --day), which prints what "receval ab" prints on the rows. Without a table header to look at, --arm defaults to "arm". Schema, sharding and per-warehouse export commands: docs/warehouse.md.`

  static override examples = [
    {description: 'CTR and CPM per user for Hive, one row per user per day in the table', command: '<%= config.bin %> sql ab --dialect hive --table ads.events --unit user_id --metric ctr=clicks/impressions --metric cpm=1000*cost/impressions'},
    {description: 'per day and cumulative, CUPED on a pre-period column, for BigQuery', command: `<%= config.bin %> sql ab --dialect bigquery --table my-project.ads.events --unit user_id --day dt --metric ctr=clicks/impressions --covariate ctr=pre_clicks --where "dt >= '2024-05-01'"`},
    {description: 'run it in DuckDB and analyse', command: '<%= config.bin %> sql ab --dialect duckdb --table events --unit user_id --metric ctr=clicks/impressions > q.sql && duckdb my.db -c "COPY ($(cat q.sql)) TO \'stats.csv\' (HEADER)" && <%= config.bin %> ab --stats stats.csv'},
  ]

  // no input file: the shared input flags (--format, --drop-invalid) do not apply; run() never reads them
  static override baseFlags = {} as typeof BaseCommand.baseFlags

  static override flags = {
    dialect: Flags.string({description: 'SQL dialect of the warehouse', options: [...DIALECTS], required: true}),
    table: Flags.string({description: 'table (or view) to read, e.g. db.events; letters, digits, _, $ and dots', required: true}),
    arm: Flags.string({description: 'arm (variant) column', default: 'arm'}),
    unit: Flags.string({description: 'randomization unit column (e.g. user_id): rows sharing (arm, unit) are summed first [default: every row is a unit]'}),
    day: Flags.string({description: 'day column: per-day and cumulative statistics (the result column is named "day")'}),
    metric: Flags.string({description: 'NAME=COL (mean per unit) or NAME=[SCALE*]NUM/DEN (ratio of sums), repeatable', multiple: true, multipleNonGreedy: true, required: true}),
    covariate: Flags.string({description: 'CUPED: METRIC=COL, a pre-period value per unit, repeatable', multiple: true, multipleNonGreedy: true}),
    cap: Flags.string({description: 'cap unit values at an absolute value: COL=VALUE, repeatable (percentile caps: see docs/warehouse.md)', multiple: true, multipleNonGreedy: true}),
    where: Flags.string({description: 'SQL filter inserted as WHERE (EXPR), e.g. the experiment days or a shard of users'}),
  }

  async run(): Promise<SqlAbResult> {
    const f = this.flags
    const sql = renderAbSql({dialect: f.dialect, table: f.table, arm: f.arm, unit: f.unit, day: f.day, metrics: f.metric, covariates: f.covariate, caps: f.cap, where: f.where})
    if (!this.jsonEnabled()) process.stdout.write(sql)
    return {command: 'sql ab', dialect: f.dialect, stats_schema: STATS_SCHEMA, sql}
  }
}
