import {ColumnRequest, readTable, resolveColumns} from '../io/index.js'
import {renderAucSql} from './auc-sql.js'
import {EngineInput, withDuckDb} from './engine.js'
import {aucFromStatsFiles, AucStatsOptions, AucStatsResult} from './merge-auc.js'

/** The `receval auc --engine duckdb` result: the row-level result with `engine` in place of `stats`. */
export type AucEngineResult = Omit<AucStatsResult, 'stats'> & {engine: 'duckdb'}

/**
 * `receval auc --engine duckdb`: resolve the requested columns against the file's header (the
 * row reader's defaults and messages), run the exact statistics query of `receval sql auc
 * --dialect duckdb` over the file in DuckDB, and merge its result as `receval auc --stats` does.
 * The numbers equal the row-level command's (the same histogram; see docs/warehouse.md).
 */
export async function aucOnDuckDb(input: EngineInput, requests: readonly ColumnRequest[], opts: AucStatsOptions): Promise<AucEngineResult> {
  return withDuckDb([input], async (s) => {
    const names = resolveColumns(input.path, await s.columns(input.view), requests)
    const col = (role: string) => names[requests.findIndex((r) => r.role === role)]
    const scores = [...new Set(requests.flatMap((r, i) => (r.role === 'score' ? [names[i] as string] : [])))]
    const sql = renderAucSql({dialect: 'duckdb', table: input.view, label: col('label') as string, scores, group: col('group'), weight: col('weight')})
    const out = await s.exportCsv(sql)
    const merged = await aucFromStatsFiles([out], (p, r) => readTable(p, r, {progress: false}), {...opts, scores})
    const {stats: _stats, ...rest} = merged
    const notes = rest.notes.map((n) => n.replace(' from --stats:', ' with --engine duckdb:'))
    return {...rest, file: input.path, notes, engine: 'duckdb' as const}
  })
}
