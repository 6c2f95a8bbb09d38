import {InputError} from '../cli/errors.js'
import {AtKMetrics, buildUnits, evaluateUnits, metricsOf, RecallScratch, TruthRows, UnitsEvaluation} from './recall-at-k.js'
import {BOOTSTRAP_METRICS, bootstrapRecall, BootstrapResult} from './recall-bootstrap.js'
import {ExcludedPairs, rankLists, RankedLists, RetrievedRows} from './recall-lists.js'

/**
 * `receval recall`: top-K retrieval metrics of one or more retrievers against one truth set.
 * Definitions: src/metrics/recall-at-k.ts; intervals and comparisons: src/metrics/recall-bootstrap.ts.
 */

/** One retriever's rows (already typed and dictionary-encoded). */
export interface RetrieverInput {
  /** result name (unique) */
  name: string
  file: string
  rows: RetrievedRows
  /** data rows read from the file (list format: lines) */
  fileRows: number
  droppedRows: number
  /** the key column's name in this file, for messages */
  keyColumn: string
}

export interface RecallInput {
  nKeys: number
  nItems: number
  /** key id -> text, for messages */
  keyText: (id: number) => string
  truth: TruthRows
  truthFile: string
  truthRows: number
  truthDroppedRows: number
  retrievers: RetrieverInput[]
  exclude?: ExcludedPairs
  excludeRows?: number
  /** segment id -> name */
  segmentNames?: string[]
  /** how the inputs were given, reported as they are */
  mode: 'files' | 'dump'
  columns: Record<string, string | undefined>
}

export interface RecallSpec {
  ks: number[]
  truthTop?: boolean
  /** resample keys (needed for intervals and for comparing two or more retrievers) */
  bootstrap?: {replicates: number; seed: number; alpha: number}
  /** report click_recall_ci, cost_recall_ci and hitrate_ci (needs bootstrap) */
  intervals?: boolean
}

export interface AtK extends AtKMetrics {
  click_recall_ci?: [number, number] | null
  cost_recall_ci?: [number, number] | null
  hitrate_ci?: [number, number] | null
}

/** Metrics of a set of evaluated keys (all of them, or one segment's). */
export interface RecallBlock {
  keys: number
  keys_without_retrieval: number
  at: Record<string, AtK>
}

export interface RetrieverResult extends RecallBlock {
  file: string
  rows: number
  dropped_rows: number
  excluded_rows: number
  duplicate_rows: number
  /** keys with a tie in sort value between positions K and K+1, per K */
  ties: Record<string, number>
  segments?: Record<string, RecallBlock>
}

export interface MetricDifference {
  a: number | null
  b: number | null
  delta: number | null
  ci: [number, number] | null
  p_value: number | null
}

export interface RecallComparison {
  a: string
  b: string
  at: Record<string, Record<string, MetricDifference>>
}

/** The `receval recall --json` result (docs/recall.md). */
export interface RecallResult extends RecallBlock {
  command: 'recall'
  /** files: --retrieved and --truth; dump: one prediction dump whose label-1 rows are the truth */
  mode: 'files' | 'dump'
  /** the column chosen for each role */
  columns: Record<string, string>
  k: number[]
  truth_top: boolean
  truth: {file: string; rows: number; dropped_rows: number}
  retrieved: {file: string; rows: number; dropped_rows: number; excluded_rows: number; duplicate_rows: number}
  exclude?: {rows: number}
  dropped_rows: number
  ties: Record<string, number>
  segments?: Record<string, RecallBlock>
  retrievers?: Record<string, RetrieverResult>
  comparisons?: RecallComparison[]
  bootstrap?: {replicates: number; seed: number; alpha: number; method: 'percentile'; unit: 'key'}
  notes: string[]
}

/**
 * Evaluate every retriever against the truth.
 *
 * 1. validate: each retriever shares at least one key with the truth
 * 2. units: one per key with truth rows (and per (segment, key) with segments)
 * 3. per retriever: rank the evaluated keys' lists, then sum the metrics over the units
 * 4. assemble the result (`assembleRecall`: bootstrap, metrics, tie warnings, comparisons)
 *
 * @throws InputError when a retriever and the truth share no key
 */
export function evaluateRecall(input: RecallInput, spec: RecallSpec): {result: RecallResult; warnings: string[]} {
  const ks = spec.ks
  const truthTop = spec.truthTop === true
  const haveBids = input.truth.bids !== undefined

  // 2.
  const nSeg = input.segmentNames?.length ?? 0
  const {byKey, bySegment, segmentStart} = buildUnits(input.truth, input.nKeys, nSeg)
  const needed = new Uint8Array(input.nKeys)
  for (let u = 0; u < byKey.count; u++) needed[byKey.key[u]] = 1

  const scratch = new RecallScratch(input.nItems)
  const keep = spec.bootstrap !== undefined
  const perRetriever: {lists: RankedLists; overall: UnitsEvaluation; segments: UnitsEvaluation[]}[] = []
  for (const r of input.retrievers) {
    // 1.
    let shared = false
    for (let i = 0; i < r.rows.keys.length && !shared; i++) if (needed[r.rows.keys[i]] === 1) shared = true
    if (!shared) {
      const sample = (ids: ArrayLike<number>) => [...new Set(Array.from(ids).slice(0, 200))].slice(0, 3).map((id) => JSON.stringify(input.keyText(id))).join(', ')
      throw new InputError(
        {file: r.file, column: r.keyColumn},
        `shares no key with the truth file ${input.truthFile} (retrieved keys look like ${sample(r.rows.keys) || 'nothing'}; truth keys like ${sample(byKey.key)}): is it the right file or the right --by column?`,
      )
    }
    // 3.
    const lists = rankLists(r.rows, {nKeys: input.nKeys, nItems: input.nItems, needed, exclude: input.exclude, tieKs: ks})
    const opts = {ks, truthTop, keepPerUnit: keep}
    const overall = evaluateUnits(lists, input.truth, byKey, 0, byKey.count, opts, scratch)
    const segments: UnitsEvaluation[] = []
    if (bySegment && segmentStart) {
      for (let s = 0; s < nSeg; s++) segments.push(evaluateUnits(lists, input.truth, bySegment, segmentStart[s], segmentStart[s + 1], opts, scratch))
    }
    perRetriever.push({lists, overall, segments})
  }

  // 4.
  const evaluated: RetrieverEvaluation[] = input.retrievers.map((r, i) => {
    const p = perRetriever[i]
    return {
      name: r.name,
      file: r.file,
      rows: r.fileRows,
      droppedRows: r.droppedRows,
      excludedRows: p.lists.excludedRows,
      duplicateRows: p.lists.duplicateRows,
      distinctItems: p.lists.distinctItems,
      overall: p.overall,
      segments: p.segments,
      ties: p.lists.ties,
      tieExample: Array.from(p.lists.tieExample, (k) => (k < 0 ? undefined : input.keyText(k))),
      descending: r.rows.order?.descending,
    }
  })
  return assembleRecall({
    ks,
    truthTop,
    haveBids,
    units: byKey.count,
    segments: input.segmentNames && segmentStart ? {names: input.segmentNames, units: Array.from({length: nSeg}, (_, s) => segmentStart[s + 1] - segmentStart[s])} : undefined,
    bootstrap: spec.bootstrap,
    intervals: spec.intervals,
    mode: input.mode,
    columns: input.columns,
    truth: {file: input.truthFile, rows: input.truthRows, dropped_rows: input.truthDroppedRows},
    excludeRows: input.exclude ? (input.excludeRows ?? input.exclude.keys.length) : undefined,
    retrievers: evaluated,
  })
}

/** One retriever evaluated over the units: the sums, per-unit values and counts `assembleRecall` reports. */
export interface RetrieverEvaluation {
  /** result name (unique) */
  name: string
  file: string
  rows: number
  droppedRows: number
  excludedRows: number
  duplicateRows: number
  /** distinct items anywhere in the retrieved rows (coverage's denominator) */
  distinctItems: number
  /** all units (keys); perUnit present when a bootstrap is asked for */
  overall: UnitsEvaluation
  /** per segment id */
  segments: UnitsEvaluation[]
  /** per K: keys whose sort values tie across the boundary */
  ties: ArrayLike<number>
  /** per K: the text of one such key */
  tieExample: (string | undefined)[]
  /** list order: descending (scores), ascending (ranks), or undefined (file or list order) */
  descending?: boolean
}

/** Everything `assembleRecall` needs: the evaluated retrievers and what describes the run. */
export interface RecallAssembly {
  ks: number[]
  truthTop: boolean
  haveBids: boolean
  /** evaluated keys (units) */
  units: number
  /** segment id -> name, and units per segment id */
  segments?: {names: string[]; units: number[]}
  bootstrap?: RecallSpec['bootstrap']
  intervals?: boolean
  mode: 'files' | 'dump'
  columns: Record<string, string | undefined>
  truth: {file: string; rows: number; dropped_rows: number}
  /** rows of the exclusion file, when there is one */
  excludeRows?: number
  retrievers: RetrieverEvaluation[]
  /** how equal sort values are ordered, for the tie warning (default: ties keep file order) */
  tieRule?: string
}

/**
 * The `receval recall` result from evaluated retrievers (shared by the row-level command and the
 * merge of warehouse statistics, so both report the same fields the same way).
 *
 * 1. with a bootstrap: per-unit values of every retriever, resampled together
 * 2. per retriever: metrics at each K from the sums, intervals, segments, tie warnings
 * 3. the result: the first retriever at the top level, all of them and their comparisons with 2+
 */
export function assembleRecall(a: RecallAssembly): {result: RecallResult; warnings: string[]} {
  const {ks, truthTop, haveBids} = a
  const nK = ks.length
  const nSeg = a.segments?.names.length ?? 0
  const notes: string[] = []
  const warnings: string[] = []

  // 1.
  let boot: BootstrapResult | undefined
  const segBoot: BootstrapResult[] = []
  if (a.bootstrap) {
    const o = {...a.bootstrap, nK}
    boot = bootstrapRecall(a.retrievers.map((p) => p.overall.perUnit as Float64Array), a.units, o)
    for (let s = 0; s < nSeg; s++) {
      const n = (a.segments as NonNullable<RecallAssembly['segments']>).units[s]
      segBoot.push(bootstrapRecall(a.retrievers.map((p) => p.segments[s].perUnit as Float64Array), n, o))
    }
  }

  // 2.
  const block = (ev: UnitsEvaluation, units: number, distinct: number, b: BootstrapResult | undefined, r: number): RecallBlock => {
    const at: Record<string, AtK> = {}
    ks.forEach((K, q) => {
      const m: AtK = metricsOf(ev.at[q], distinct, haveBids)
      if (b && a.intervals) {
        m.click_recall_ci = b.ci[r][q][0]
        m.cost_recall_ci = m.cost_recall === null ? null : b.ci[r][q][1]
        m.hitrate_ci = b.ci[r][q][2]
      }
      at[String(K)] = m
    })
    return {keys: units, keys_without_retrieval: ev.withoutRetrieval, at}
  }
  const results: RetrieverResult[] = a.retrievers.map((p, i) => {
    const ties: Record<string, number> = {}
    ks.forEach((K, q) => (ties[String(K)] = p.ties[q]))
    const res: RetrieverResult = {
      file: p.file,
      rows: p.rows,
      dropped_rows: p.droppedRows,
      excluded_rows: p.excludedRows,
      duplicate_rows: p.duplicateRows,
      ...block(p.overall, a.units, p.distinctItems, boot, i),
      ties,
    }
    if (a.segments) {
      const {names, units} = a.segments
      const segments: Record<string, RecallBlock> = {}
      for (const s of segmentOrder(names)) segments[names[s]] = block(p.segments[s], units[s], p.distinctItems, segBoot[s], i)
      res.segments = segments
    }
    const tied = ks.map((K, q) => [K, p.ties[q], p.tieExample[q]] as const).filter(([, n]) => n > 0)
    if (tied.length > 0) {
      const [, , ex] = tied[0]
      warnings.push(
        `${p.file}: tied ${p.descending ? 'scores' : 'ranks'} cross the K boundary for ${tied.map(([K, n]) => `${n} key${n === 1 ? '' : 's'} at K=${K}`).join(', ')} (e.g. key ${JSON.stringify(ex)}); ${a.tieRule ?? 'ties keep file order'}`,
      )
    }
    return res
  })

  if (!haveBids) notes.push('cost_recall is null: the truth has no bid column (name it with --bid)')
  else if (results.some((r) => Object.values(r.at).some((m) => m.cost_recall === null))) notes.push('cost_recall is null where the truth bids sum to 0')

  // 3.
  const first = results[0]
  const result: RecallResult = {
    command: 'recall',
    mode: a.mode,
    columns: Object.fromEntries(Object.entries(a.columns).filter((e): e is [string, string] => e[1] !== undefined)),
    keys: first.keys,
    keys_without_retrieval: first.keys_without_retrieval,
    at: first.at,
    k: ks,
    truth_top: truthTop,
    truth: a.truth,
    retrieved: {file: first.file, rows: first.rows, dropped_rows: first.dropped_rows, excluded_rows: first.excluded_rows, duplicate_rows: first.duplicate_rows},
    dropped_rows: a.truth.dropped_rows + a.retrievers.reduce((s, r) => s + r.droppedRows, 0),
    ties: first.ties,
    notes,
  }
  if (a.excludeRows !== undefined) result.exclude = {rows: a.excludeRows}
  if (first.segments) result.segments = first.segments
  if (results.length > 1) {
    result.retrievers = Object.fromEntries(a.retrievers.map((r, i) => [r.name, results[i]]))
    result.comparisons = a.retrievers.slice(1).map((r, j) => ({
      a: a.retrievers[0].name,
      b: r.name,
      at: Object.fromEntries(
        ks.map((K, q) => [
          String(K),
          Object.fromEntries(
            BOOTSTRAP_METRICS.map((m, mi) => {
              const av = results[0].at[String(K)][m]
              const bv = results[j + 1].at[String(K)][m]
              const pd = boot?.paired[j][q][mi]
              const diff: MetricDifference = {a: av, b: bv, delta: av === null || bv === null ? null : bv - av, ci: pd && av !== null && bv !== null ? pd.ci : null, p_value: pd && av !== null && bv !== null ? pd.p_value : null}
              return [m, diff]
            }),
          ),
        ]),
      ),
    }))
  }
  if (a.bootstrap) result.bootstrap = {...a.bootstrap, method: 'percentile', unit: 'key'}
  return {result, warnings}
}

/** Segment ids ordered by name, numbers by value ("2" before "10"). */
export function segmentOrder(names: readonly string[]): number[] {
  return names.map((_, i) => i).sort((a, b) => names[a].localeCompare(names[b], 'en', {numeric: true}))
}
