import {basename} from 'node:path'
import {ColumnRequest, floatColumn, KeyDict, keyColumn, keyListColumn, labelColumn, ReadResult, Table} from '../io/index.js'
import {RecallInput, RetrieverInput} from '../metrics/recall.js'
import {TruthRows} from '../metrics/recall-at-k.js'
import {DEFAULTS} from './columns.js'
import {UsageError} from './errors.js'

/**
 * Reading `receval recall`'s inputs into typed rows: long format (one row per key and item),
 * list format (one row per key, the items in one field), or one prediction dump whose positive
 * rows are the truth. Keys share one dictionary across every file, items another, so the same
 * key or item written in two files gets the same id.
 */

export type ReadFn = (path: string, requests: readonly ColumnRequest[]) => Promise<ReadResult>

export interface RecallInputFlags {
  /** single-dump mode: the prediction dump */
  file?: string
  retrieved?: string[]
  truth?: string
  by?: string
  item?: string
  rank?: string
  score?: string
  bid?: string
  items?: string
  sep: string
  'truth-items'?: string
  'truth-rank'?: string
  'truth-score'?: string
  'truth-top': boolean
  label?: string
  segment?: string
  exclude?: string
}

export interface RecallColumns {
  by: string
  item?: string
  rank?: string
  score?: string
  bid?: string
  items?: string
  label?: string
  segment?: string
  'truth-items'?: string
  'truth-rank'?: string
  'truth-score'?: string
}

export interface RecallInputs {
  input: RecallInput
  notes: string[]
}

/** Parse `-k 10,50,100`: positive integers, returned ascending without repeats. */
export function parseKs(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim())
  const bad = parts.find((p) => !/^[0-9]+$/.test(p) || Number(p) < 1 || !Number.isSafeInteger(Number(p)))
  if (bad !== undefined || parts.length === 0) throw new UsageError(`-k takes comma-separated positive integers (cut-offs such as 10,50,100); "${bad ?? text}" is not one`)
  return [...new Set(parts.map(Number))].sort((a, b) => a - b)
}

/** An integer flag value of at least `min`. */
export function intFlag(flag: string, text: string, min: number): number {
  const n = Number(text)
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, not "${text}"`)
  return n
}

/** Check the combination of flags before reading anything (usage errors, exit 2). */
export function checkRecallFlags(f: RecallInputFlags): 'files' | 'dump' {
  const dump = f.file !== undefined
  if (dump && (f.retrieved?.length || f.truth)) throw new UsageError('give either one prediction dump FILE (single-dump mode) or --retrieved and --truth, not both')
  if (!dump) {
    if (!f.retrieved?.length && !f.truth) throw new UsageError('give --retrieved FILE and --truth FILE, or one prediction dump FILE (single-dump mode: rows with --label 1 are the truth)')
    if (!f.retrieved?.length) throw new UsageError('--truth needs --retrieved FILE (the retrieved lists to evaluate)')
    if (!f.truth) throw new UsageError('--retrieved needs --truth FILE (the clicks or relevant items per key)')
    if (f.label !== undefined) throw new UsageError('--label applies to single-dump mode (one FILE argument); with --truth every truth row is a positive')
  }
  if (f.rank !== undefined && f.score !== undefined) throw new UsageError('give --rank or --score, not both')
  if (f.items !== undefined && (f.rank !== undefined || f.score !== undefined)) throw new UsageError('--items lists are in rank order already; --rank and --score apply to long format')
  if (dump && f.items !== undefined) throw new UsageError('--items (list format) does not apply to a prediction dump, which has one row per key and item')
  if (f['truth-rank'] !== undefined && f['truth-score'] !== undefined) throw new UsageError('give --truth-rank or --truth-score, not both')
  if ((f['truth-rank'] !== undefined || f['truth-score'] !== undefined) && !f['truth-top']) throw new UsageError('--truth-rank and --truth-score order the truth for --truth-top; add --truth-top')
  if (dump && (f['truth-top'] || f['truth-items'] !== undefined)) throw new UsageError('--truth-top and --truth-items need a truth file (--truth); in single-dump mode the truth is the rows with label 1')
  if (f['truth-items'] !== undefined && (f['truth-rank'] !== undefined || f['truth-score'] !== undefined)) throw new UsageError('--truth-items lists are in order already; --truth-rank and --truth-score apply to long-format truth')
  if (f['truth-items'] !== undefined && f.bid !== undefined) throw new UsageError('--bid needs long-format truth (one row per click); a --truth-items list has no bid per item')
  if (f.sep === '') throw new UsageError('--sep needs at least one separator character')
  return dump ? 'dump' : 'files'
}

/** A short name for a retrieved file: its base name without .csv/.tsv/.txt/.jsonl/.gz, dots as "_", made unique. */
export function retrieverNames(files: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return files.map((file) => {
    let base = basename(file === '-' ? 'stdin' : file)
    for (;;) {
      const next = base.replace(/\.(gz|gzip|csv|tsv|tab|txt|dat|jsonl|ndjson)$/i, '')
      if (next === base || next === '') break
      base = next
    }
    base = base.replace(/\./g, '_') || 'retrieved'
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return n === 1 ? base : `${base}_${n}`
  })
}

function display(path: string): string {
  return path === '-' ? '<stdin>' : path
}

/** Items of a list column flattened, with the key of each item: file order, list order. */
function expandLists(table: Table, keyName: string, itemsName: string): {keys: Int32Array; items: Int32Array} {
  const k = keyColumn(table, keyName).data
  const l = keyListColumn(table, itemsName)
  const items = l.ids.slice(0, l.offsets[table.rows])
  const keys = new Int32Array(items.length)
  for (let r = 0; r < table.rows; r++) keys.fill(k[r], l.offsets[r], l.offsets[r + 1])
  return {keys, items}
}

/**
 * Read every input of a `receval recall` run.
 * @throws UsageError for flag combinations that do not fit, InputError for the files' problems
 */
export async function readRecallInputs(read: ReadFn, f: RecallInputFlags): Promise<RecallInputs> {
  const mode = checkRecallFlags(f)
  const keyDict = new KeyDict()
  const itemDict = new KeyDict()
  const notes: string[] = []
  const keyReq: ColumnRequest = {role: 'key', flag: '--by', name: f.by, defaults: DEFAULTS.key, kind: 'key', dict: keyDict}
  const itemReq: ColumnRequest = {role: 'item', flag: '--item', name: f.item, defaults: DEFAULTS.item, kind: 'key', dict: itemDict}
  const segDict = new KeyDict()
  const segReq = (): ColumnRequest[] => (f.segment !== undefined ? [{role: 'segment', flag: '--segment', name: f.segment, kind: 'key', dict: segDict}] : [])
  const orderReq = (): ColumnRequest[] =>
    f.rank !== undefined ? [{role: 'rank', flag: '--rank', name: f.rank, kind: 'float'}] : f.score !== undefined ? [{role: 'score', flag: '--score', name: f.score, kind: 'float'}] : []
  const columns: RecallColumns = {by: ''}

  let truth: TruthRows
  let truthFile: string
  let truthRows: number
  let truthDropped: number
  const retrievers: RetrieverInput[] = []
  let nItems: number

  if (mode === 'dump') {
    const file = f.file as string
    const order: ColumnRequest =
      f.rank !== undefined ? {role: 'rank', flag: '--rank', name: f.rank, kind: 'float'} : {role: 'score', flag: '--score', name: f.score, defaults: DEFAULTS.score, kind: 'float'}
    const requests: ColumnRequest[] = [
      keyReq,
      {...itemReq, optional: f.item === undefined},
      {role: 'label', flag: '--label', name: f.label, defaults: DEFAULTS.label, kind: 'label'},
      order,
      {role: 'bid', flag: '--bid', name: f.bid, defaults: DEFAULTS.bid, kind: 'float', nonNegative: true, optional: f.bid === undefined},
      ...segReq(),
    ]
    const {table, names} = await read(file, requests)
    const [by, item, label, ord, bid, seg] = names
    Object.assign(columns, {by, item, label, bid, segment: seg, [f.rank !== undefined ? 'rank' : 'score']: ord})
    const keys = keyColumn(table, by as string).data
    let items: Int32Array
    if (item !== undefined) {
      items = keyColumn(table, item).data
      nItems = itemDict.size
    } else {
      // no item column: each row is its own item (an impression)
      items = new Int32Array(table.rows)
      for (let i = 0; i < items.length; i++) items[i] = i
      nItems = table.rows
      notes.push(`no item column (tried ${DEFAULTS.item.join(', ')}): each row of ${display(file)} counts as its own item`)
      if (f.exclude !== undefined) throw new UsageError('--exclude needs an item column in the dump (name it with --item)')
    }
    const labels = labelColumn(table, label as string)
    let positives = 0
    for (let i = 0; i < labels.length; i++) positives += labels[i]
    const pos = new Int32Array(positives)
    for (let i = 0, j = 0; i < labels.length; i++) if (labels[i] === 1) pos[j++] = i
    const pick = (a: Int32Array) => Int32Array.from(pos, (i) => a[i])
    truth = {keys: pick(keys), items: pick(items)}
    if (bid !== undefined) {
      const b = floatColumn(table, bid)
      truth.bids = Float64Array.from(pos, (i) => b[i])
    }
    if (seg !== undefined) truth.segments = pick(keyColumn(table, seg).data)
    truthFile = display(file)
    truthRows = positives
    truthDropped = 0
    retrievers.push({
      name: retrieverNames([file])[0],
      file: display(file),
      rows: {keys, items, order: {values: floatColumn(table, ord as string), descending: f.rank === undefined}},
      fileRows: table.rows,
      droppedRows: table.dropped,
      keyColumn: by as string,
    })
    if (positives === 0) throw new UsageError(`${display(file)}: no row has ${label} = 1, so there is no truth to recall`)
  } else {
    // truth first: its keys decide which retrieved lists are ranked
    const tf = f.truth as string
    if (f['truth-items'] !== undefined) {
      const {table, names} = await read(tf, [keyReq, {role: 'truth items', flag: '--truth-items', name: f['truth-items'], kind: 'keylist', dict: itemDict, sep: f.sep}, ...segReq()])
      const {keys, items} = expandLists(table, names[0] as string, names[1] as string)
      truth = {keys, items}
      if (names[2] !== undefined) {
        const s = keyColumn(table, names[2]).data
        const l = keyListColumn(table, names[1] as string)
        const segs = new Int32Array(items.length)
        for (let r = 0; r < table.rows; r++) segs.fill(s[r], l.offsets[r], l.offsets[r + 1])
        truth.segments = segs
        columns.segment = names[2]
      }
      columns['truth-items'] = names[1]
      truthRows = table.rows
      truthDropped = table.dropped
    } else {
      const tOrder: ColumnRequest[] =
        f['truth-rank'] !== undefined
          ? [{role: 'truth rank', flag: '--truth-rank', name: f['truth-rank'], kind: 'float'}]
          : f['truth-score'] !== undefined
            ? [{role: 'truth score', flag: '--truth-score', name: f['truth-score'], kind: 'float'}]
            : []
      const bidReq: ColumnRequest = {role: 'bid', flag: '--bid', name: f.bid, defaults: DEFAULTS.bid, kind: 'float', nonNegative: true, optional: f.bid === undefined}
      const {table, names} = await read(tf, [keyReq, itemReq, bidReq, ...segReq(), ...tOrder])
      const [, item, bid] = names
      truth = {keys: keyColumn(table, names[0] as string).data, items: keyColumn(table, item as string).data}
      columns.item = item
      if (bid !== undefined) {
        truth.bids = floatColumn(table, bid)
        columns.bid = bid
      }
      let next = 3
      if (f.segment !== undefined) {
        truth.segments = keyColumn(table, names[next] as string).data
        columns.segment = names[next++]
      }
      if (tOrder.length > 0) {
        truth.order = {values: floatColumn(table, names[next] as string), descending: f['truth-rank'] === undefined}
        columns[f['truth-rank'] !== undefined ? 'truth-rank' : 'truth-score'] = names[next]
      }
      truthRows = table.rows
      truthDropped = table.dropped
    }
    truthFile = display(tf)
    const files = f.retrieved as string[]
    const rNames = retrieverNames(files)
    for (let i = 0; i < files.length; i++) {
      const rf = files[i]
      if (f.items !== undefined) {
        const {table, names} = await read(rf, [keyReq, {role: 'items', flag: '--items', name: f.items, kind: 'keylist', dict: itemDict, sep: f.sep}])
        const rows = expandLists(table, names[0] as string, names[1] as string)
        columns.items = names[1]
        retrievers.push({name: rNames[i], file: display(rf), rows, fileRows: table.rows, droppedRows: table.dropped, keyColumn: names[0] as string})
      } else {
        const ord = orderReq()
        const {table, names} = await read(rf, [keyReq, itemReq, ...ord])
        const keys = keyColumn(table, names[0] as string).data
        const items = keyColumn(table, names[1] as string).data
        columns.item = names[1]
        const rows = {keys, items, order: ord.length > 0 ? {values: floatColumn(table, names[2] as string), descending: f.score !== undefined} : undefined}
        if (ord.length > 0) columns[f.rank !== undefined ? 'rank' : 'score'] = names[2]
        else {
          const hint = ['rank', 'pos', 'position', ...DEFAULTS.score].find((h) => table.header.includes(h))
          if (hint !== undefined) notes.push(`${display(rf)}: ranking by file order; the file has a "${hint}" column (use --${hint === 'rank' || hint === 'pos' || hint === 'position' ? 'rank' : 'score'} ${hint} to rank by it)`)
        }
        retrievers.push({name: rNames[i], file: display(rf), rows, fileRows: table.rows, droppedRows: table.dropped, keyColumn: names[0] as string})
      }
    }
    nItems = 0
  }

  let exclude: RecallInput['exclude']
  let excludeRows: number | undefined
  if (f.exclude !== undefined) {
    const {table, names} = await read(f.exclude, [keyReq, itemReq])
    exclude = {keys: keyColumn(table, names[0] as string).data, items: keyColumn(table, names[1] as string).data}
    excludeRows = table.rows
  }
  if (mode === 'files') nItems = itemDict.size
  // the key column as the (first) retrieved file names it; each file resolves the defaults itself
  columns.by = retrievers[0].keyColumn
  return {
    input: {
      nKeys: keyDict.size,
      nItems,
      keyText: (id) => keyDict.values[id] ?? String(id),
      truth,
      truthFile,
      truthRows,
      truthDroppedRows: truthDropped,
      retrievers,
      exclude,
      excludeRows,
      segmentNames: f.segment !== undefined ? segDict.values : undefined,
      mode,
      columns: {...columns},
    },
    notes,
  }
}
