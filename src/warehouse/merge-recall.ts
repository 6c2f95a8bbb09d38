import {InputError, UsageError} from '../cli/errors.js'
import {ColumnRequest, floatColumn, KeyDict, keyColumn, Table} from '../io/index.js'
import {AtKSums, discounts, PER_UNIT_FIELDS, UnitsEvaluation} from '../metrics/recall-at-k.js'
import {assembleRecall, RecallResult, RecallSpec, RetrieverEvaluation} from '../metrics/recall.js'
import {RECALL_COLUMN_ROLES, RECALL_META_KEYS, RECALL_STATS_COLUMNS, RECALL_STATS_KINDS, RECALL_STATS_SCHEMA, RECALL_STATS_TEXT, RecallStatsKind} from './recall-stats.js'

/** The `receval recall --stats` result: the row-level `receval recall` result, plus where the statistics came from. */
export type RecallStatsResult = RecallResult & {stats: {schema: string; files: string[]; tiebreak: string}}

export interface RecallStatsOptions {
  /** cut-offs to report: a subset of the statistics' K (default: all of them) */
  ks?: number[]
  /** bootstrap settings: used for intervals, and always with two or more retrievers (their comparison) */
  bootstrap?: RecallSpec['bootstrap']
  /** report click_recall_ci, cost_recall_ci and hitrate_ci */
  intervals?: boolean
  /** accept rows the query left out as invalid (they become dropped_rows) */
  dropInvalid?: boolean
  /** when given, must match the statistics (they are checked, not applied) */
  truthTop?: boolean
  /** when given, each must name the column the statistics were made with (role -> column) */
  columns?: Partial<Record<(typeof RECALL_COLUMN_ROLES)[number], string>>
  /** report these instead of the table names (--engine: the input files) */
  truthFile?: string
  retrievedFiles?: string[]
  retrieverNames?: string[]
}

/** One stats file as read by `readTable` with `recallStatsRequests()`. */
export interface RecallStatsInput {
  table: Table
}

/**
 * The column requests that read a stats file: every column optional (a file of another kind gets
 * a message about what it is rather than about a missing column), the text columns sharing one
 * dictionary per column across files, so that keys, items and segments compare between shards.
 */
export function recallStatsRequests(dicts: Map<string, KeyDict> = new Map()): ColumnRequest[] {
  return RECALL_STATS_COLUMNS.map((c): ColumnRequest => {
    const text = RECALL_STATS_TEXT.has(c)
    if (text && !dicts.has(c)) dicts.set(c, new KeyDict())
    return {role: 'stats column', defaults: [c], optional: true, kind: text ? 'key' : 'float', dict: text ? dicts.get(c) : undefined}
  })
}

interface Meta {
  mode: 'files' | 'dump'
  truthTop: boolean
  ks: number[]
  retrievers: string[]
  retrieverTables: string[]
  truthTable: string
  excludeTable: string
  order: string
  tiebreak: string
  coverage: boolean
  columns: Record<string, string>
}

interface MetaRow {
  /** the meta name; `k`, `retriever`, `retriever_table` with their position */
  key: string
  value: string
  file: string
  line: number
}

/** A stats file whose schema, columns and kinds are checked. */
interface Prepared {
  file: string
  table: Table
  kinds: Int8Array
  meta: MetaRow[]
  line(row: number): number
}

const KIND_INDEX = new Map<string, number>(RECALL_STATS_KINDS.map((k, i) => [k, i]))
const kindIs = (k: RecallStatsKind) => KIND_INDEX.get(k) as number
const [META, TRUTH, SEGMENT_TRUTH, RETRIEVED, EXCLUDE, INVALID, NEGATIVE_BID, LIST_ROWS, UNIT, SEGMENT_UNIT, ITEM, SEGMENT_ITEM] = (
  ['meta', 'truth', 'segment_truth', 'retrieved', 'exclude', 'invalid', 'negative_bid', 'list_rows', 'unit', 'segment_unit', 'item', 'segment_item'] as const
).map(kindIs)

/** Per-unit values of a unit row, in this order (per retriever and K). */
const U_HITS = 0
const U_TRUTH = 1
const U_HIT_BID = 2
const U_TRUTH_BID = 3
const U_DCG = 4
const U_AP = 5
const U_FIRST = 6
const U_TIE = 7
const U_ROWS = 8
const U_FIELDS = 9

/**
 * Units of one scope (overall, or one segment), in typed arrays grown by doubling: per unit its
 * key id, and per (unit, retriever, K) the U_FIELDS values and where they came from (file, row).
 */
class Scope {
  private readonly unitOf = new Map<number, number>()
  count = 0
  keys = new Int32Array(64)
  values: Float64Array
  where: Int32Array
  constructor(readonly cells: number) {
    this.values = new Float64Array(64 * cells * U_FIELDS)
    this.where = new Int32Array(64 * cells * 2).fill(-1)
  }

  /** The unit of key id `key`, added when new. */
  unit(key: number): number {
    let u = this.unitOf.get(key)
    if (u !== undefined) return u
    u = this.count++
    if (u === this.keys.length) {
      const n = 2 * u
      const keys = new Int32Array(n)
      keys.set(this.keys)
      this.keys = keys
      const values = new Float64Array(n * this.cells * U_FIELDS)
      values.set(this.values)
      this.values = values
      const where = new Int32Array(n * this.cells * 2).fill(-1)
      where.set(this.where)
      this.where = where
    }
    this.keys[u] = key
    this.unitOf.set(key, u)
    return u
  }
}

/**
 * Merge `receval.recall.v1` statistics of one or more shards into the `receval recall` result.
 *
 * Files are key shards (one query result each, e.g. one per `--where` on a hash of the key) or
 * part files of one result, in any mix; their rows are pooled.
 *
 * 1. check each file: schema, columns, kinds; the meta rows of all files must describe the same
 *    query (only the filters may differ)
 * 2. pool the rows (a file given twice is refused): totals add up; every (retriever, segment, key, K) unit appears once over all
 *    files (a key in two shards is an overlap: shards must be split by the key); item rows keep
 *    each item's best position over the shards
 * 3. check completeness: unit rows per (retriever, K) and item rows against the totals lines
 * 4. per retriever: the sums of evaluateUnits over the units in key order (keys sorted by their
 *    text), with per-unit values for the bootstrap, coverage from the item rows
 * 5. assembleRecall, exactly as the row-level command does
 *
 * @throws InputError naming file, line and column for anything that is not consistent stats
 * @throws UsageError when the options contradict the statistics
 */
export function mergeRecallStats(inputs: readonly RecallStatsInput[], opts: RecallStatsOptions = {}): {result: RecallStatsResult; warnings: string[]} {
  if (inputs.length === 0) throw new UsageError('--stats needs at least one stats file')
  // 1.
  const prepared = inputs.map((x) => readKindsAndMeta(x.table))
  const meta = decideMeta(prepared)
  checkOptions(meta, opts)
  checkDistinctFiles(prepared)
  const ks = opts.ks ?? meta.ks
  const kIndex = ks.map((K) => meta.ks.indexOf(K))
  const nR = meta.retrievers.length
  const nK = meta.ks.length
  const all = prepared.map((p) => p.file).join(', ')

  // 2.
  const dict = (c: string) => keyColumn(prepared[0].table, c).dict
  const retrieverIndex = new Map<number, number>()
  const segDict = dict('segment')
  const keyDict = dict('key')
  const itemDict = dict('item')
  const overall = new Scope(nR * nK)
  const segments = new Map<number, Scope>()
  const truth = {rows: 0, keys: 0, invalid: 0, negative: 0, listRows: 0, splitKeys: 0}
  const segTruth = new Map<number, number>()
  const ret = meta.retrievers.map(() => ({rows: 0, items: 0, excluded: 0, duplicate: 0, invalid: 0, listRows: 0, splitKeys: 0, itemRows: 0}))
  let excludeRows = 0
  const best = meta.retrievers.map(() => new Int32Array(itemDict.size).fill(-1))
  const segBest = new Map<number, Int32Array[]>()
  const unitRows = meta.retrievers.map(() => new Float64Array(nK))
  const segUnitRows = new Map<number, Float64Array[]>()

  prepared.forEach((p, fi) => {
    const {table, kinds, file, line} = p
    const col = (c: string) => floatColumn(table, c)
    const text = (c: string) => keyColumn(table, c).data
    const [retr, seg, key, item] = ['retriever', 'segment', 'key', 'item'].map(text)
    const [k, nRows, nKeys, nItems, nTruth, nHits, hitBid, truthBid, dcg, apSum, firstHit, tie, position, excluded, duplicate] = [
      'k',
      'n_rows',
      'n_keys',
      'n_items',
      'n_truth',
      'n_hits',
      'hit_bid',
      'truth_bid',
      'dcg',
      'ap_sum',
      'first_hit',
      'tie',
      'position',
      'excluded_rows',
      'duplicate_rows',
    ].map(col)
    const at = (i: number, column: string) => ({file, line: line(i), column})
    const count = (i: number, c: Float64Array, name: string): number => {
      const v = c[i]
      if (!Number.isSafeInteger(v) || v < 0) throw new InputError(at(i, name), `${v} is not a count`)
      return v
    }
    const rOf = (i: number): number => {
      const id = retr[i]
      let r = retrieverIndex.get(id)
      if (r === undefined) {
        r = meta.retrievers.indexOf(keyColumn(table, 'retriever').dict.text(id))
        retrieverIndex.set(id, r)
      }
      if (r < 0) throw new InputError(at(i, 'retriever'), `retriever ${JSON.stringify(keyColumn(table, 'retriever').dict.text(id))} is not one of the meta retrievers (${meta.retrievers.join(', ')})`)
      return r
    }
    const qOf = (i: number): number => {
      const q = meta.ks.indexOf(k[i])
      if (q < 0) throw new InputError(at(i, 'k'), `K = ${k[i]} is not one of the meta cut-offs (${meta.ks.join(', ')})`)
      return q
    }
    for (let i = 0; i < table.rows; i++) {
      switch (kinds[i]) {
        case META:
          break
        case TRUTH:
          truth.rows += count(i, nRows, 'n_rows')
          truth.keys += count(i, nKeys, 'n_keys')
          break
        case SEGMENT_TRUTH:
          if (!meta.columns.segment) throw new InputError(at(i, 'kind'), 'a segment_truth row in statistics made without --segment')
          count(i, nRows, 'n_rows')
          segTruth.set(seg[i], (segTruth.get(seg[i]) ?? 0) + count(i, nKeys, 'n_keys'))
          break
        case RETRIEVED: {
          const x = ret[rOf(i)]
          x.rows += count(i, nRows, 'n_rows')
          x.items += count(i, nItems, 'n_items')
          x.excluded += count(i, excluded, 'excluded_rows')
          x.duplicate += count(i, duplicate, 'duplicate_rows')
          break
        }
        case EXCLUDE:
          excludeRows += count(i, nRows, 'n_rows')
          break
        case INVALID:
          if (keyColumn(table, 'retriever').dict.text(retr[i]) === '') truth.invalid += count(i, nRows, 'n_rows')
          else ret[rOf(i)].invalid += count(i, nRows, 'n_rows')
          break
        case NEGATIVE_BID:
          truth.negative += count(i, nRows, 'n_rows')
          break
        case LIST_ROWS:
          if (keyColumn(table, 'retriever').dict.text(retr[i]) === '') {
            truth.listRows += count(i, nRows, 'n_rows')
            truth.splitKeys += count(i, nKeys, 'n_keys')
          } else {
            const x = ret[rOf(i)]
            x.listRows += count(i, nRows, 'n_rows')
            x.splitKeys += count(i, nKeys, 'n_keys')
          }
          break
        case ITEM:
        case SEGMENT_ITEM: {
          const r = rOf(i)
          const pos = count(i, position, 'position')
          const it = item[i]
          if (!meta.coverage) throw new InputError(at(i, 'kind'), 'an item row in statistics made with --no-coverage')
          let arr: Int32Array
          if (kinds[i] === ITEM) {
            arr = best[r]
            ret[r].itemRows++
          } else {
            if (!meta.columns.segment) throw new InputError(at(i, 'kind'), 'a segment_item row in statistics made without --segment')
            let per = segBest.get(seg[i])
            if (!per) segBest.set(seg[i], (per = meta.retrievers.map(() => new Int32Array(itemDict.size).fill(-1))))
            arr = per[r]
          }
          const was = arr[it]
          // 0: never within the largest K; otherwise the best position over the shards
          if (was === -1 || (pos > 0 && (was === 0 || pos < was))) arr[it] = pos
          break
        }
        case UNIT:
        case SEGMENT_UNIT: {
          const isSeg = kinds[i] === SEGMENT_UNIT
          if (isSeg && !meta.columns.segment) throw new InputError(at(i, 'kind'), 'a segment_unit row in statistics made without --segment')
          const r = rOf(i)
          const q = qOf(i)
          const K = meta.ks[q]
          const T = count(i, nTruth, 'n_truth')
          const h = count(i, nHits, 'n_hits')
          const fh = count(i, firstHit, 'first_hit')
          const t = count(i, tie, 'tie')
          if (T < 1) throw new InputError(at(i, 'n_truth'), 'an evaluated key has at least one truth item')
          if (h > Math.min(T, K)) throw new InputError(at(i, 'n_hits'), `${h} hits is more than min(|T|, K) = ${Math.min(T, K)}`)
          if ((h === 0) !== (fh === 0) || fh > K) throw new InputError(at(i, 'first_hit'), `first hit at ${fh} does not fit ${h} hits within K = ${K}`)
          if (t > 1) throw new InputError(at(i, 'tie'), `tie is 0 or 1, not ${t}`)
          for (const [c, name] of [
            [hitBid, 'hit_bid'],
            [truthBid, 'truth_bid'],
            [dcg, 'dcg'],
            [apSum, 'ap_sum'],
          ] as const) {
            if (!(c[i] >= 0) || !Number.isFinite(c[i])) throw new InputError(at(i, name), `${c[i]} is not a non-negative number`)
          }
          let scope = overall
          if (isSeg) {
            scope = segments.get(seg[i]) as Scope
            if (!scope) segments.set(seg[i], (scope = new Scope(nR * nK)))
            let per = segUnitRows.get(seg[i])
            if (!per) segUnitRows.set(seg[i], (per = meta.retrievers.map(() => new Float64Array(nK))))
            per[r][q]++
          } else unitRows[r][q]++
          const u = scope.unit(key[i])
          const cell = u * nR * nK + r * nK + q
          const v = scope.values
          const o = cell * U_FIELDS
          const w = scope.where
          const wo = 2 * cell
          if (w[wo] !== -1) {
            const other = w[wo] === fi ? `line ${prepared[w[wo]].line(w[wo + 1])} of this file` : prepared[w[wo]].file
            const what = `${isSeg ? `segment ${JSON.stringify(segDict.text(seg[i]))}, ` : ''}retriever ${meta.retrievers[r]}, K = ${K}`
            throw new InputError(at(i, 'key'), `key ${JSON.stringify(keyDict.text(key[i]))} (${what}) is also in ${other}: recall shards must be split by the key column (${meta.columns.by}) so that each key is in one shard`)
          }
          w[wo] = fi
          w[wo + 1] = i
          v[o + U_HITS] = h
          v[o + U_TRUTH] = T
          v[o + U_HIT_BID] = hitBid[i]
          v[o + U_TRUTH_BID] = truthBid[i]
          v[o + U_DCG] = dcg[i]
          v[o + U_AP] = apSum[i]
          v[o + U_FIRST] = fh
          v[o + U_TIE] = isSeg ? 0 : t
          v[o + U_ROWS] = count(i, nRows, 'n_rows')
          break
        }
      }
    }
  })

  // rows the query left out
  if (truth.negative > 0) throw new InputError({file: all, column: meta.columns.bid ?? 'bid'}, `${truth.negative} rows of the queried truth have a negative bid; bids must be >= 0`)
  const invalid = truth.invalid + ret.reduce((s, x) => s + x.invalid, 0)
  if (invalid > 0 && !opts.dropInvalid) {
    throw new InputError({file: all}, `the query left out ${invalid} rows with a missing or invalid value (NULL, NaN or infinite rank, score, bid or truth order${meta.mode === 'dump' ? `, or a ${meta.columns.label} other than 0, 1, true, false` : ''}); --drop-invalid accepts that and reports them as dropped_rows`)
  }

  // 3.
  const hint = 'the export is incomplete (a client row limit such as bq query --max_rows, or a missing part file), or the shards were made with different -k'
  if (truth.keys === 0) throw new InputError({file: all}, `the statistics count no truth rows${truth.invalid ? ` (all ${truth.invalid} were invalid)` : ''}: there is nothing to recall`)
  meta.retrievers.forEach((name, r) => {
    meta.ks.forEach((K, q) => {
      if (unitRows[r][q] !== truth.keys) throw new InputError({file: all, column: 'kind'}, `the unit rows of retriever ${name} at K = ${K} count ${unitRows[r][q]} keys but the truth lines say ${truth.keys}: ${hint}`)
      for (const [s, n] of segTruth) {
        const got = segUnitRows.get(s)?.[r][q] ?? 0
        if (got !== n) throw new InputError({file: all, column: 'kind'}, `the unit rows of segment ${JSON.stringify(segDict.text(s))}, retriever ${name} at K = ${K} count ${got} keys but the segment_truth lines say ${n}: ${hint}`)
      }
    })
    if (ret[r].itemRows !== ret[r].items) throw new InputError({file: all, column: 'kind'}, `the item rows of retriever ${name} number ${ret[r].itemRows} but the retrieved lines say ${ret[r].items}: ${hint}`)
  })
  if (overall.count !== truth.keys) throw new InputError({file: all, column: 'key'}, `the unit rows name ${overall.count} keys but the truth lines say ${truth.keys}: ${hint}`)
  for (const [s, sc] of segments) if (sc.count !== segTruth.get(s)) throw new InputError({file: all, column: 'key'}, `the unit rows of segment ${JSON.stringify(segDict.text(s))} name ${sc.count} keys but the segment_truth lines say ${segTruth.get(s) ?? 0}: ${hint}`)
  for (const s of segments.keys()) if (!segTruth.has(s)) throw new InputError({file: all, column: 'segment'}, `segment ${JSON.stringify(segDict.text(s))} has unit rows but no segment_truth line: ${hint}`)

  // 4.
  const texts = keyDict.values
  const keyOrder = (sc: Scope) => Array.from({length: sc.count}, (_, u) => u).sort((a, b) => cmp(texts[sc.keys[a]], texts[sc.keys[b]]))
  const segIds = [...segTruth.keys()]
  const segNames = segIds.map((s) => segDict.text(s))
  const boot = opts.intervals || nR > 1 ? (opts.bootstrap ?? {replicates: 1000, seed: 1, alpha: 0.05}) : undefined
  const keep = boot !== undefined
  const {ideal} = discounts(meta.ks[nK - 1])
  const evaluate = (sc: Scope | undefined, r: number, coverage: Int32Array | undefined): {ev: UnitsEvaluation; ties: number[]; tieExample: (string | undefined)[]} => {
    const order = sc ? keyOrder(sc) : []
    const at: AtKSums[] = ks.map(() => ({units: 0, recall: 0, hits: 0, truth: 0, hitBid: 0, bid: 0, hitUnits: 0, precision: 0, ndcg: 0, rr: 0, ap: 0, covered: 0}))
    const perUnit = keep ? new Float64Array(order.length * ks.length * PER_UNIT_FIELDS) : undefined
    const ties = ks.map(() => 0)
    const tieExample: (string | undefined)[] = ks.map(() => undefined)
    let withoutRetrieval = 0
    order.forEach((u, j) => {
      const v = (sc as Scope).values
      const base = u * nR * nK + r * nK
      if (v[base * U_FIELDS + U_ROWS] === 0) withoutRetrieval++
      ks.forEach((K, qq) => {
        const o = (base + kIndex[qq]) * U_FIELDS
        const h = v[o + U_HITS]
        const T = v[o + U_TRUTH]
        const idealN = Math.min(T, K)
        const recall = h / T
        const s = at[qq]
        s.units++
        s.recall += recall
        s.hits += h
        s.truth += T
        s.hitBid += v[o + U_HIT_BID]
        s.bid += v[o + U_TRUTH_BID]
        if (h > 0) s.hitUnits++
        s.precision += h / K
        s.ndcg += v[o + U_DCG] / ideal[idealN]
        s.rr += v[o + U_FIRST] > 0 ? 1 / v[o + U_FIRST] : 0
        s.ap += v[o + U_AP] / idealN
        if (v[o + U_TIE] === 1 && ties[qq]++ === 0) tieExample[qq] = texts[(sc as Scope).keys[u]]
        if (perUnit) {
          const p = (j * ks.length + qq) * PER_UNIT_FIELDS
          perUnit[p] = recall
          perUnit[p + 1] = h > 0 ? 1 : 0
          perUnit[p + 2] = v[o + U_HIT_BID]
          perUnit[p + 3] = v[o + U_TRUTH_BID]
        }
      })
    })
    if (coverage) {
      for (let it = 0; it < coverage.length; it++) {
        const p = coverage[it]
        if (p > 0) ks.forEach((K, qq) => (at[qq].covered += p <= K ? 1 : 0))
      }
    }
    return {ev: {at, withoutRetrieval, perUnit}, ties, tieExample}
  }

  const notes: string[] = []
  const retrievers: RetrieverEvaluation[] = meta.retrievers.map((name, r) => {
    let distinct = 0
    for (const p of best[r]) if (p >= 0) distinct++
    const o = evaluate(overall, r, best[r])
    if (o.ev.withoutRetrieval === truth.keys) {
      throw new InputError({file: all, column: 'n_rows'}, `retriever ${name} (${meta.retrieverTables[r]}) shares no key with the truth ${meta.truthTable}: is it the right table, or the right --by column?`)
    }
    const segs = segIds.map((s) => evaluate(segments.get(s), r, segBest.get(s)?.[r]).ev)
    const x = ret[r]
    const list = meta.order === 'list'
    if (list && x.splitKeys > 0) notes.push(`${x.splitKeys} keys of ${name} have several list rows: a table has no row order, so their items are ranked by their position within their row, then by item, rather than concatenated in file order`)
    const dump = meta.mode === 'dump'
    return {
      name: opts.retrieverNames?.[r] ?? name,
      file: opts.retrievedFiles?.[r] ?? meta.retrieverTables[r],
      rows: list ? x.listRows : x.rows,
      droppedRows: x.invalid + (dump ? truth.invalid : 0),
      excludedRows: x.excluded,
      duplicateRows: x.duplicate,
      distinctItems: distinct,
      overall: o.ev,
      segments: segs,
      ties: o.ties,
      tieExample: o.tieExample,
      descending: meta.order === 'score' ? true : meta.order === 'rank' ? false : undefined,
    }
  })
  if (meta.columns['truth-items'] !== undefined && meta.truthTop && truth.splitKeys > 0) {
    notes.push(`${truth.splitKeys} truth keys have several list rows: a table has no row order, so their items are ordered by their position within their row, then by item`)
  }
  if (!meta.coverage) notes.push('coverage is null: the statistics were made with --no-coverage (no item rows)')
  if (keep) notes.push('the bootstrap draws keys in the order of their text, where receval recall on the rows takes them in the order the truth first lists them: the same resampling with different draws (identical when the truth lists its keys in text order)')

  // 5.
  const haveBids = meta.columns.bid !== undefined
  const dump = meta.mode === 'dump'
  const {result, warnings} = assembleRecall({
    ks,
    truthTop: meta.truthTop,
    haveBids,
    units: truth.keys,
    segments: meta.columns.segment !== undefined ? {names: segNames, units: segIds.map((s) => segTruth.get(s) as number)} : undefined,
    bootstrap: boot,
    intervals: opts.intervals,
    mode: meta.mode,
    columns: meta.columns,
    truth: {file: opts.truthFile ?? meta.truthTable, rows: meta.columns['truth-items'] !== undefined ? truth.listRows : truth.rows, dropped_rows: dump ? 0 : truth.invalid},
    excludeRows: meta.excludeTable !== '' ? excludeRows : undefined,
    retrievers,
    tieRule: 'ties are ordered by item (a table has no file order)',
  })
  result.notes.push(...notes)
  const out = result as RecallStatsResult
  out.stats = {schema: RECALL_STATS_SCHEMA, files: prepared.map((p) => p.file), tiebreak: meta.tiebreak}
  return {result: out, warnings}
}

/** Code-unit order of two strings (locale-free, the same on every machine). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Step 1a: one file's schema, columns, kinds and meta rows. */
function readKindsAndMeta(table: Table): Prepared {
  const file = table.source.path === '-' ? '<stdin>' : table.source.path
  const jsonl = table.source.format === 'jsonl'
  const line = (row: number) => row + (jsonl ? 1 : 2)
  if (!table.columns.has('stats_schema')) {
    throw new InputError({file}, 'not a receval stats file: no stats_schema column (make one by running the query of receval sql recall and exporting its result with a header)')
  }
  const schema = keyColumn(table, 'stats_schema')
  for (let i = 0; i < table.rows; i++) {
    const s = schema.dict.text(schema.data[i])
    if (s === RECALL_STATS_SCHEMA) continue
    const m = /^receval\.([a-z_]+)\.v(\d+)$/.exec(s)
    const at = {file, line: line(i), column: 'stats_schema'}
    if (m && m[1] !== 'recall') throw new InputError(at, `${s} statistics (from receval sql ${m[1]}) are not recall statistics (${RECALL_STATS_SCHEMA}): use receval ${m[1]} --stats`)
    if (m) throw new InputError(at, `${s} is a version of the recall statistics this receval does not read (it reads ${RECALL_STATS_SCHEMA}): render the query again with this version's receval sql recall`)
    throw new InputError(at, `${JSON.stringify(s)} is not a receval stats schema (expected ${RECALL_STATS_SCHEMA})`)
  }
  const missing = RECALL_STATS_COLUMNS.filter((c) => !table.columns.has(c))
  if (missing.length) throw new InputError({file}, `${RECALL_STATS_SCHEMA} statistics need the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the export is incomplete`)

  const kindCol = keyColumn(table, 'kind')
  const keyCol = keyColumn(table, 'key')
  const itemCol = keyColumn(table, 'item')
  const k = floatColumn(table, 'k')
  const kindOf = new Int32Array(kindCol.dict.size).fill(-1)
  const kinds = new Int8Array(table.rows)
  const meta: MetaRow[] = []
  for (let i = 0; i < table.rows; i++) {
    const id = kindCol.data[i]
    if (kindOf[id] === -1) kindOf[id] = KIND_INDEX.get(kindCol.dict.text(id)) ?? -2
    if (kindOf[id] === -2) throw new InputError({file, line: line(i), column: 'kind'}, `unknown kind ${JSON.stringify(kindCol.dict.text(id))} (expected one of ${RECALL_STATS_KINDS.join(', ')})`)
    kinds[i] = kindOf[id]
    if (kinds[i] !== META) continue
    const name = keyCol.dict.text(keyCol.data[i])
    const role = name.startsWith('column.') ? name.slice(7) : undefined
    if (role !== undefined ? !(RECALL_COLUMN_ROLES as readonly string[]).includes(role) : !(RECALL_META_KEYS as readonly string[]).includes(name)) {
      throw new InputError({file, line: line(i), column: 'key'}, `unknown meta key ${JSON.stringify(name)} (expected one of ${RECALL_META_KEYS.join(', ')} or column.ROLE)`)
    }
    const positional = name === 'k' || name === 'retriever' || name === 'retriever_table'
    if (positional && (!Number.isSafeInteger(k[i]) || k[i] < 1)) throw new InputError({file, line: line(i), column: 'k'}, `meta ${name} position ${k[i]} is not 1, 2, ...`)
    meta.push({key: positional ? `${name} ${k[i]}` : name, value: itemCol.dict.text(itemCol.data[i]), file, line: line(i)})
  }
  return {file, table, kinds, meta, line}
}

/**
 * Step 1b: the query's meta from the meta rows of all files. Each shard has its own copy, and a
 * parallel writer may deal one result's meta rows into different part files; every copy of a
 * key must agree.
 */
function decideMeta(files: Prepared[]): Meta {
  const first = new Map<string, MetaRow>()
  for (const f of files)
    for (const m of f.meta) {
      const seen = first.get(m.key)
      if (!seen) first.set(m.key, m)
      else if (seen.value !== m.value) {
        const show = (v: string) => (v === '' ? 'none' : v)
        throw new InputError({file: m.file, line: m.line, column: 'item'}, `made by a different query than ${seen.file}: ${m.key} ${show(m.value)} here, ${show(seen.value)} there; shards must come from the same receval sql recall flags (only the filters may differ)`)
      }
    }
  const all = files.map((f) => f.file).join(', ')
  if (first.size === 0) throw new InputError({file: all}, 'no meta rows in any file: the export is incomplete or not from receval sql recall')
  const value = (key: string): string => {
    const m = first.get(key)
    if (!m) throw new InputError({file: all, column: 'kind'}, `no meta ${key} row in any file: the export is incomplete or not from receval sql recall`)
    return m.value
  }
  const positions = (name: string): string[] => {
    const ps = [...first.keys()].filter((k) => k.startsWith(`${name} `)).map((k) => Number(k.slice(name.length + 1))).sort((a, b) => a - b)
    return ps.map((p) => value(`${name} ${p}`))
  }
  const ks = positions('k').map((t) => {
    const K = Number(t)
    if (!/^[0-9]+$/.test(t) || K < 1 || !first.has(`k ${K}`)) throw new InputError({file: first.get(`k ${t}`)?.file ?? all, column: 'item'}, `meta k ${JSON.stringify(t)} is not a positive integer cut-off at its own position`)
    return K
  })
  if (ks.length === 0) value('k')
  const retrievers = positions('retriever')
  if (retrievers.length === 0) value('retriever')
  retrievers.forEach((_, i) => value(`retriever ${i + 1}`))
  const retrieverTables = retrievers.map((_, i) => value(`retriever_table ${i + 1}`))
  const mode = value('mode')
  if (mode !== 'files' && mode !== 'dump') throw new InputError({file: first.get('mode')?.file ?? all, column: 'item'}, `meta mode ${JSON.stringify(mode)} is not files or dump`)
  const truthTop = value('truth_top')
  if (truthTop !== 'true' && truthTop !== 'false') throw new InputError({file: first.get('truth_top')?.file ?? all, column: 'item'}, `meta truth_top ${JSON.stringify(truthTop)} is not true or false`)
  const order = value('order')
  if (!['rank', 'score', 'list'].includes(order)) throw new InputError({file: first.get('order')?.file ?? all, column: 'item'}, `meta order ${JSON.stringify(order)} is not rank, score or list`)
  const columns: Record<string, string> = {}
  for (const role of RECALL_COLUMN_ROLES) {
    const m = first.get(`column.${role}`)
    if (m) columns[role] = m.value
  }
  if (columns.by === undefined) value('column.by')
  const coverage = value('coverage')
  if (coverage !== 'true' && coverage !== 'false') throw new InputError({file: first.get('coverage')?.file ?? all, column: 'item'}, `meta coverage ${JSON.stringify(coverage)} is not true or false`)
  return {mode, truthTop: truthTop === 'true', ks, retrievers, retrieverTables, truthTable: value('truth_table'), excludeTable: value('exclude_table'), order, tiebreak: value('tiebreak'), coverage: coverage === 'true', columns}
}

/** The flags given with --stats must fit the statistics. */
function checkOptions(meta: Meta, opts: RecallStatsOptions): void {
  if (opts.truthTop && !meta.truthTop) throw new UsageError('--truth-top: the statistics were computed without --truth-top; render the query with --truth-top')
  for (const [role, given] of Object.entries(opts.columns ?? {})) {
    if (given === undefined) continue
    const have = meta.columns[role]
    if (have === given) continue
    if (have === undefined) throw new UsageError(`--${role} ${given}: the statistics were computed without --${role}; render the query with --${role} ${given}`)
    throw new UsageError(`--${role} ${given}: the statistics were computed with --${role} ${have}`)
  }
  for (const K of opts.ks ?? []) if (!meta.ks.includes(K)) throw new UsageError(`-k ${K}: the statistics have the cut-offs ${meta.ks.join(', ')}; render the query with the K you need`)
}

/** The same non-empty shard twice would be counted twice (the overlap check says so too, by key). */
function checkDistinctFiles(files: Prepared[]): void {
  const byHash = new Map<string, string>()
  for (const f of files) {
    const h = f.table.source.sha256
    if (h === undefined || f.table.rows === f.meta.length) continue
    const other = byHash.get(h)
    if (other !== undefined) throw new InputError({file: f.file}, `has the same contents as ${other}: a shard given twice would be counted twice`)
    byHash.set(h, f.file)
  }
}

/** How the command reads one file (BaseCommand.read with the shared input flags). */
export type ReadStats = (path: string, requests: readonly ColumnRequest[]) => Promise<RecallStatsInput>

/** Read stats files (one per shard) and merge them: `receval recall --stats FILES...`. */
export async function recallFromStatsFiles(paths: readonly string[], read: ReadStats, opts: RecallStatsOptions): Promise<{result: RecallStatsResult; warnings: string[]}> {
  const dicts = new Map<string, KeyDict>()
  const inputs: RecallStatsInput[] = []
  for (const p of paths) inputs.push(await read(p, recallStatsRequests(dicts)))
  return mergeRecallStats(inputs, opts)
}
