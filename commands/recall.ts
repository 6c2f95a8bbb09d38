import {Args, Flags} from '@oclif/core'
import {RecordingCommand} from '../src/cli/recording.js'
import {DEFAULTS} from '../src/cli/columns.js'
import {UsageError} from '../src/cli/errors.js'
import {printRecall} from '../src/cli/print-recall.js'
import {intFlag, parseKs, readRecallInputs, RecallInputFlags} from '../src/cli/recall-inputs.js'
import {formatOf} from '../src/io/index.js'
import type {ChartRenderer} from '../src/report/renderer.js'
import {evaluateRecall, RecallResult} from '../src/metrics/recall.js'

const DEFAULT_K = '10,50,100'

export default class Recall extends RecordingCommand<typeof Recall> {
  static override summary = 'Retrieval metrics at K: click_recall, cost_recall, hitrate, precision, ndcg, mrr, map, coverage'
  static override description = `Compares retrieved top-K lists per key (a user, a session, or a trigger item for i2i) with the
truth (one row per click, with its bid) and reports, at each K, over the keys that have truth:
click_recall (mean of hits/|T|), click_recall_micro, cost_recall (bid-weighted), hitrate,
precision (hits/K), ndcg, mrr, map and coverage. Keys with truth but no list count as zero hits.

Order of a list: --rank ascending, else --score descending, else file order. The sort is
stable: rows with equal rank or score keep their file order, and a warning on stderr counts
the keys whose ties cross a K boundary. A repeated item counts once, at its best position;
--exclude pairs are removed before the list is cut at K.

Two or more --retrieved files are each evaluated and compared with the first, pairwise over
keys (paired bootstrap: difference, interval, p-value). Definitions: docs/recall.md.

With --stats, the files are statistics exported from the query of "receval sql recall" (one per key shard), merged into the same result; --engine duckdb runs that query in-process over the files (docs/warehouse.md).`

  static override examples = [
    {description: 'recall@10/50/100 of a retriever against tomorrow\'s clicks', command: '<%= config.bin %> recall --retrieved fixtures/recall/retrieved.csv --truth fixtures/recall/clicks.csv --score score'},
    {description: 'list format (one row per user, items in one field), training pairs excluded', command: '<%= config.bin %> recall --retrieved fixtures/recall/retrieved-lists.csv --items items --truth fixtures/recall/clicks.csv --exclude fixtures/recall/train.csv -k 10,50'},
    {description: 'is retriever B better than A? paired bootstrap over users, per activity segment', command: '<%= config.bin %> recall --retrieved fixtures/recall/retrieved.csv --retrieved fixtures/recall/retrieved-b.csv --score score --truth fixtures/recall/clicks.csv --segment activity --seed 7'},
    {description: 'single-dump mode: rank each user\'s rows by pctr, clicks are the truth', command: '<%= config.bin %> recall fixtures/recall/dump.csv --by user_id --score pctr --label click -k 5,10'},
    {description: 'an HTML report: recall over K, cost against click recall, per-segment bars, the comparison', command: '<%= config.bin %> recall --retrieved fixtures/recall/retrieved.csv --retrieved fixtures/recall/retrieved-b.csv --score score --truth fixtures/recall/clicks.csv --segment activity -k 5,10,20 --html recall.html'},
    {description: 'merge warehouse statistics of three key shards (made by receval sql recall)', command: '<%= config.bin %> recall --stats shard-0.csv shard-1.csv shard-2.csv --json'},
    {description: 'k-NN recall of an approximate index against exact neighbours (ann-benchmarks)', command: '<%= config.bin %> recall --retrieved fixtures/recall/ann.csv --items neighbors --truth fixtures/recall/exact.csv --truth-items neighbors --truth-top --by query -k 1,10'},
  ]

  static override args = {
    // ignoreStdin: otherwise oclif reads piped stdin into the absent argument, and `--retrieved -` would lose its input
    file: Args.string({description: 'single-dump mode: a prediction dump (one row per key and item, with a score and a label); rows with label 1 are the truth; with --stats, the stats files (one per shard)', multiple: true, ignoreStdin: true}),
  }

  static override flags = {
    retrieved: Flags.string({helpValue: 'FILE', description: 'retrieved lists (long format: key, item[, rank|score]; or list format with --items); repeat to compare retrievers', multiple: true, helpGroup: 'FILES'}),
    truth: Flags.string({helpValue: 'FILE', description: 'truth: one row per click (key, item[, bid]); or list format with --truth-items', helpGroup: 'FILES'}),
    exclude: Flags.string({helpValue: 'FILE', description: '(key, item) pairs removed from the retrieved lists before the cut at K (e.g. training interactions)', helpGroup: 'FILES'}),
    k: Flags.string({char: 'k', helpValue: 'LIST', description: 'cut-offs K, comma-separated positive integers [default: 10,50,100; with --stats: the statistics\' K]'}),
    by: Flags.string({helpValue: 'COL', description: `key column in every file [default: first of ${DEFAULTS.key.join(', ')}]`, helpGroup: 'COLUMNS'}),
    item: Flags.string({helpValue: 'COL', description: `item column in every long-format file [default: first of ${DEFAULTS.item.join(', ')}]`, helpGroup: 'COLUMNS'}),
    rank: Flags.string({helpValue: 'COL', description: 'rank column of the retrieved file: ascending, 1 = best (ties keep file order)', helpGroup: 'COLUMNS'}),
    score: Flags.string({helpValue: 'COL', description: 'score column of the retrieved file: descending (ties keep file order); in single-dump mode [default: first of score, pred, prediction, pctr, p]', helpGroup: 'COLUMNS'}),
    bid: Flags.string({helpValue: 'COL', description: `value of each truth row, for cost_recall [default: first of ${DEFAULTS.bid.join(', ')}; none: cost_recall is null]`, helpGroup: 'COLUMNS'}),
    items: Flags.string({helpValue: 'COL', description: 'list format: the retrieved file\'s column holding each key\'s items in rank order', helpGroup: 'COLUMNS'}),
    'truth-items': Flags.string({helpValue: 'COL', description: 'list format: the truth file\'s column holding each key\'s items', helpGroup: 'COLUMNS'}),
    sep: Flags.string({description: 'separator characters inside --items / --truth-items fields [default: comma or space]', helpValue: 'CHARS', helpGroup: 'COLUMNS'}),
    label: Flags.string({helpValue: 'COL', description: `single-dump mode: label column, rows with 1 are the truth [default: first of ${DEFAULTS.label.join(', ')}]`, helpGroup: 'COLUMNS'}),
    segment: Flags.string({helpValue: 'COL', description: 'a truth-file column (e.g. activity bucket): every metric per segment as well as overall', helpGroup: 'COLUMNS'}),
    'truth-top': Flags.boolean({description: 'the truth is a ranked list: at each K only its first K items are T (k-NN recall of an ANN index)', default: false}),
    'truth-rank': Flags.string({helpValue: 'COL', description: 'with --truth-top: rank column of the truth file (ascending; default file order)', helpGroup: 'COLUMNS'}),
    'truth-score': Flags.string({helpValue: 'COL', description: 'with --truth-top: score column of the truth file (descending)', helpGroup: 'COLUMNS'}),
    ci: Flags.boolean({description: 'bootstrap intervals over keys for click_recall, cost_recall and hitrate', default: false, helpGroup: 'UNCERTAINTY'}),
    bootstrap: Flags.string({helpValue: 'N', description: 'bootstrap replicates (for --ci and for comparing retrievers)', default: '1000', helpGroup: 'UNCERTAINTY'}),
    seed: Flags.string({helpValue: 'N', description: 'bootstrap seed (reported in the result)', default: '1', helpGroup: 'UNCERTAINTY'}),
    alpha: Flags.string({helpValue: 'A', description: 'intervals are 1 - alpha percentile intervals', default: '0.05', helpGroup: 'UNCERTAINTY'}),
    html: Flags.string({description: 'also write a self-contained HTML report to FILE (recall over K, cost against click recall, segments, comparisons)', helpValue: 'FILE', helpGroup: 'REPORT'}),
    interactive: Flags.boolean({description: 'with --html: inline the vega runtime (about 520 KB) so charts show values on hover', dependsOn: ['html'], helpGroup: 'REPORT'}),
    engine: Flags.string({description: 'rows: read the rows here (default); duckdb: let DuckDB (optional dependency) aggregate the files out of core and merge its statistics, for files larger than memory (needs --rank/--score for long-format lists; ties are ordered by item)', options: ['rows', 'duckdb'], default: 'rows'}),
    stats: Flags.boolean({description: 'the files are statistics exported from the query of receval sql recall (one per key shard), not rows', default: false}),
  }

  /** chart workers for --html, started once the input is read so vega loads while the metrics are computed */
  private renderer?: ChartRenderer

  async run(): Promise<RecallResult> {
    const f = this.flags
    const ks = parseKs(f.k ?? DEFAULT_K)
    const replicates = intFlag('--bootstrap', f.bootstrap, 2)
    const seed = intFlag('--seed', f.seed, 0)
    const alpha = Number(f.alpha)
    if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1, not "${f.alpha}"`)
    if (f.html !== undefined) (await import('../src/report/write.js')).checkOutputPath('--html', f.html)
    const files = this.args.file ?? []
    if (f.stats && f.engine === 'duckdb') throw new UsageError('--engine duckdb reads the rows files; --stats files are merged without it')
    if (f.stats) return this.fromStats(files, f.k === undefined ? undefined : ks, {replicates, seed, alpha})
    const more = files.slice(1)
    if (more.length > 0) throw new UsageError(`Unexpected argument${more.length > 1 ? 's' : ''}: ${more.join(', ')} (several files are for --stats; single-dump mode reads one)`)
    if (f.engine === 'duckdb') return this.onDuckDb({...f, sep: f.sep ?? ', ', file: files[0]}, ks, {replicates, seed, alpha})
    // --format decides only files whose name does not tell (stdin, odd extensions): one command reads several files
    const formatFor = (path: string): string | undefined => {
      if (path === '-') return f.format
      try {
        return formatOf(path)
      } catch {
        return f.format
      }
    }
    const {input, notes} = await readRecallInputs((path, requests) => this.read(path, requests, {format: formatFor(path)}), {...f, sep: f.sep ?? ', ', file: files[0]})
    // the metrics keep one core busy; the chart workers import vega on the other meanwhile
    if (f.html !== undefined) this.renderer = (await import('../src/report/renderer.js')).startChartWorkers()
    const compare = input.retrievers.length > 1
    const {result, warnings} = evaluateRecall(input, {
      ks,
      truthTop: f['truth-top'],
      bootstrap: f.ci || compare ? {replicates, seed, alpha} : undefined,
      intervals: f.ci,
    })
    result.notes.unshift(...notes)
    return this.report(result, warnings)
  }

  /** `--stats FILES...`: merge warehouse statistics into the same result. */
  private async fromStats(files: string[], ks: number[] | undefined, bootstrap: {replicates: number; seed: number; alpha: number}): Promise<RecallResult> {
    const f = this.flags
    if (files.length === 0) throw new UsageError('--stats needs at least one stats file (exported from the query of receval sql recall)')
    const rowFlags = (['retrieved', 'truth', 'exclude'] as const).filter((x) => f[x] !== undefined && f[x]?.length !== 0)
    if (rowFlags.length) throw new UsageError(`--${rowFlags[0]} reads rows; with --stats every file is a stats file (the tables were named in receval sql recall)`)
    this.hashInputs = true
    const {recallFromStatsFiles} = await import('../src/warehouse/merge-recall.js')
    const columns = {by: f.by, item: f.item, rank: f.rank, score: f.score, bid: f.bid, items: f.items, label: f.label, segment: f.segment, 'truth-items': f['truth-items'], 'truth-rank': f['truth-rank'], 'truth-score': f['truth-score']}
    const {result, warnings} = await recallFromStatsFiles(files, (p, r) => this.read(p, r, {dropInvalid: false}), {
      ks,
      bootstrap,
      intervals: f.ci,
      dropInvalid: f['drop-invalid'],
      truthTop: f['truth-top'] || undefined,
      columns,
    })
    if (f.html !== undefined) this.renderer = (await import('../src/report/renderer.js')).startChartWorkers()
    return this.report(result, warnings)
  }

  /** `--engine duckdb`: the statistics query run in-process by DuckDB over the files, merged as --stats does. */
  private async onDuckDb(flags: RecallInputFlags, ks: number[], bootstrap: {replicates: number; seed: number; alpha: number}): Promise<RecallResult> {
    const f = this.flags
    const {recallEngineInputs, recallOnDuckDb} = await import('../src/warehouse/engine-recall.js')
    const {result, warnings} = await recallOnDuckDb(flags, {ks, bootstrap, intervals: f.ci, dropInvalid: f['drop-invalid'], format: f.format})
    for (const i of recallEngineInputs(flags, f.format).inputs) await this.recordInput(i.path, i.format ?? (/\.parquet$/i.test(i.path) ? 'parquet' : formatOf(i.path)))
    if (f.html !== undefined) this.renderer = (await import('../src/report/renderer.js')).startChartWorkers()
    return this.report(result, warnings)
  }

  /** Print (table or nothing with --json), warn, and write the HTML report; returns the result for --json. */
  private async report(result: RecallResult, warnings: string[]): Promise<RecallResult> {
    const f = this.flags
    if (!this.jsonEnabled()) this.log(printRecall(result))
    for (const w of warnings) this.note(`warning: ${w}`)
    for (const n of result.notes) this.note(`note: ${n}`)
    if (f.html !== undefined) {
      const [{recallReport}, {reportMeta, writeReport}] = await Promise.all([import('../src/report/sections/recall.js'), import('../src/report/index.js')])
      const meta = reportMeta({id: this.id ?? 'recall', argv: this.argv, version: this.config.version, inputs: this.inputs})
      const w = await writeReport(f.html, recallReport(result, meta, {interactive: f.interactive}), {interactive: f.interactive, renderer: this.renderer})
      this.note(`wrote ${f.html} (${w.bytes} bytes)`)
    }
    return result
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    await this.renderer?.close()
    return super.finally(err)
  }
}
