import {DEFAULTS} from '../cli/columns.js'
import {UsageError} from '../cli/errors.js'
import {checkRecallFlags, RecallInputFlags, retrieverNames} from '../cli/recall-inputs.js'
import {ColumnRequest, formatOf, readTable, resolveColumns} from '../io/index.js'
import {EngineInput, EngineSession, withDuckDb} from './engine.js'
import {recallFromStatsFiles, RecallStatsOptions, RecallStatsResult} from './merge-recall.js'
import {renderRecallSql, RecallSqlSpec} from './recall-sql.js'

/** The `receval recall --engine duckdb` result: the row-level result with `engine` in place of `stats`. */
export type RecallEngineResult = Omit<RecallStatsResult, 'stats'> & {engine: 'duckdb'}

/** The input files of a run, each with the view the query reads it as. */
export function recallEngineInputs(f: RecallInputFlags, format?: string): {inputs: EngineInput[]; files: string[]} {
  // --format decides only files whose name does not tell
  const fmt = (path: string): string | undefined => {
    try {
      formatOf(path)
      return undefined
    } catch {
      return format
    }
  }
  const inputs: EngineInput[] = []
  const add = (view: string, path: string) => inputs.push({view, path, format: fmt(path)})
  if (f.file !== undefined) add('rv_dump', f.file)
  else {
    add('rv_truth', f.truth as string)
    ;(f.retrieved ?? []).forEach((p, i) => add(`rv_retrieved_${i + 1}`, p))
    if (f.exclude !== undefined) add('rv_exclude', f.exclude)
  }
  return {inputs, files: inputs.map((i) => i.path)}
}

/**
 * `receval recall --engine duckdb`: resolve the columns of every file against its header (the
 * row reader's defaults and messages), run the statistics query of `receval sql recall
 * --dialect duckdb` over the files in DuckDB, and merge its result as `receval recall --stats`
 * does. The numbers equal the row-level command's whenever no two list entries tie (equal sort
 * values are ordered by item here, by file order on the rows; docs/warehouse.md).
 *
 * @throws UsageError for what a query cannot do that the rows can: lists in file order (no --rank
 *   or --score), a truth in file order under --truth-top, a dump without an item column, JSON
 *   arrays as lists, key or item columns named differently in different files
 */
export async function recallOnDuckDb(f: RecallInputFlags, opts: RecallStatsOptions & {ks: number[]; format?: string}): Promise<{result: RecallEngineResult; warnings: string[]}> {
  const mode = checkRecallFlags(f)
  const {inputs} = recallEngineInputs(f, opts.format)
  if (mode === 'files' && f.items === undefined && f.rank === undefined && f.score === undefined) {
    throw new UsageError('--engine duckdb needs --rank COL or --score COL to order long-format lists: a query has no file order (or use --engine rows)')
  }
  if (f['truth-top'] && f['truth-items'] === undefined && f['truth-rank'] === undefined && f['truth-score'] === undefined) {
    throw new UsageError('--engine duckdb needs --truth-rank COL or --truth-score COL with --truth-top on a long-format truth: a query has no file order (or use --engine rows)')
  }
  for (const i of inputs) {
    const list = (i.view.startsWith('rv_retrieved') && f.items !== undefined) || (i.view === 'rv_truth' && f['truth-items'] !== undefined)
    if (list && !/\.parquet$/i.test(i.path) && formatOf(i.path, i.format) === 'jsonl') throw new UsageError(`--engine duckdb reads list fields of delimited files; ${i.path} is JSONL, whose arrays --engine rows reads`)
  }
  return withDuckDb(inputs, async (s) => {
    const spec = await resolve(s, f, inputs, mode)
    const out = await s.exportCsv(renderRecallSql({...spec, ks: opts.ks}))
    const files = f.retrieved ?? [f.file as string]
    const {result, warnings} = await recallFromStatsFiles([out], (p, r) => readTable(p, r, {progress: false}), {
      ...opts,
      truthFile: mode === 'dump' ? f.file : f.truth,
      retrievedFiles: files,
      retrieverNames: retrieverNames(files),
    })
    const {stats: _stats, ...rest} = result
    return {result: {...rest, engine: 'duckdb' as const}, warnings}
  })
}

/** The query's spec, with every column resolved against the files' headers as the row reader resolves them. */
async function resolve(s: EngineSession, f: RecallInputFlags, inputs: EngineInput[], mode: 'files' | 'dump'): Promise<Omit<RecallSqlSpec, 'ks'>> {
  const key: ColumnRequest = {role: 'key', flag: '--by', name: f.by, defaults: DEFAULTS.key, kind: 'key'}
  const item: ColumnRequest = {role: 'item', flag: '--item', name: f.item, defaults: DEFAULTS.item, kind: 'key'}
  const bid: ColumnRequest = {role: 'bid', flag: '--bid', name: f.bid, defaults: DEFAULTS.bid, kind: 'float', optional: f.bid === undefined}
  const segment: ColumnRequest[] = f.segment !== undefined ? [{role: 'segment', flag: '--segment', name: f.segment, kind: 'key'}] : []
  const names = async (view: string, requests: ColumnRequest[]) => {
    const input = inputs.find((i) => i.view === view) as EngineInput
    return {file: input.path, names: resolveColumns(input.path, await s.columns(view), requests)}
  }
  // one key (and item) column name for every file: the query names it once
  const same = (role: string, flag: string, got: {file: string; name: string | undefined}[]) => {
    const named = got.filter((g) => g.name !== undefined)
    const other = named.find((g) => g.name !== named[0].name)
    if (other) throw new UsageError(`--engine duckdb needs the ${role} column to have one name in every file: ${named[0].file} has "${named[0].name}", ${other.file} has "${other.name}" (rename one, or use --engine rows; ${flag} names it in every file)`)
    return named[0]?.name
  }
  if (mode === 'dump') {
    const order: ColumnRequest = f.rank !== undefined ? {role: 'rank', flag: '--rank', name: f.rank, kind: 'float'} : {role: 'score', flag: '--score', name: f.score, defaults: DEFAULTS.score, kind: 'float'}
    const label: ColumnRequest = {role: 'label', flag: '--label', name: f.label, defaults: DEFAULTS.label, kind: 'label'}
    const {names: n} = await names('rv_dump', [key, {...item, optional: f.item === undefined}, label, order, bid, ...segment])
    if (n[1] === undefined) throw new UsageError(`--engine duckdb needs an item column in the dump (tried ${DEFAULTS.item.join(', ')}; name it with --item): a query cannot number rows as their own items (or use --engine rows)`)
    return {dialect: 'duckdb', table: 'rv_dump', by: n[0], item: n[1], label: n[2], [f.rank !== undefined ? 'rank' : 'score']: n[3], bid: n[4], segment: n[5], sep: f.sep}
  }
  const keys: {file: string; name: string | undefined}[] = []
  const items: {file: string; name: string | undefined}[] = []
  const spec: Omit<RecallSqlSpec, 'ks'> = {dialect: 'duckdb', truthTable: 'rv_truth', sep: f.sep, truthTop: f['truth-top'], segment: f.segment}
  if (f['truth-items'] !== undefined) {
    const t = await names('rv_truth', [key, {role: 'truth items', flag: '--truth-items', name: f['truth-items'], kind: 'keylist'}, ...segment])
    keys.push({file: t.file, name: t.names[0]})
    spec.truthItems = t.names[1]
  } else {
    const order: ColumnRequest[] = f['truth-rank'] !== undefined ? [{role: 'truth rank', flag: '--truth-rank', name: f['truth-rank'], kind: 'float'}] : f['truth-score'] !== undefined ? [{role: 'truth score', flag: '--truth-score', name: f['truth-score'], kind: 'float'}] : []
    const t = await names('rv_truth', [key, item, bid, ...segment, ...order])
    keys.push({file: t.file, name: t.names[0]})
    items.push({file: t.file, name: t.names[1]})
    spec.bid = t.names[2]
    if (f['truth-rank'] !== undefined) spec.truthRank = t.names[t.names.length - 1]
    if (f['truth-score'] !== undefined) spec.truthScore = t.names[t.names.length - 1]
  }
  const retrieved = inputs.filter((i) => i.view.startsWith('rv_retrieved'))
  for (const r of retrieved) {
    if (f.items !== undefined) {
      const x = await names(r.view, [key, {role: 'items', flag: '--items', name: f.items, kind: 'keylist'}])
      keys.push({file: x.file, name: x.names[0]})
      spec.items = x.names[1]
    } else {
      const order: ColumnRequest = f.rank !== undefined ? {role: 'rank', flag: '--rank', name: f.rank, kind: 'float'} : {role: 'score', flag: '--score', name: f.score, kind: 'float'}
      const x = await names(r.view, [key, item, order])
      keys.push({file: x.file, name: x.names[0]})
      items.push({file: x.file, name: x.names[1]})
      if (f.rank !== undefined) spec.rank = x.names[2]
      else spec.score = x.names[2]
    }
  }
  spec.retrievedTables = retrieved.map((r) => r.view)
  if (f.exclude !== undefined) {
    const x = await names('rv_exclude', [key, item])
    keys.push({file: x.file, name: x.names[0]})
    items.push({file: x.file, name: x.names[1]})
    spec.excludeTable = 'rv_exclude'
  }
  spec.by = same('key', '--by', keys)
  spec.item = same('item', '--item', items) ?? DEFAULTS.item[0]
  return spec
}
