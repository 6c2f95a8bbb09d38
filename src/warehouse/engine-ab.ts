import {InputError, UsageError} from '../cli/errors.js'
import {ColumnRequest, floatColumn, keyColumn, readTable, resolveColumns, Table} from '../io/index.js'
import {analyzeAb} from '../ab/analyze.js'
import {AbFlags, AbResult, analysisOptions, defaultControl, unitPlan} from '../ab/run.js'
import {BAD_ROWS, statsData} from '../ab/stats-file.js'
import {CapInfo, DAY_WITHOUT_UNIT_NOTE, metricInfos, multiArmNote} from '../ab/units.js'
import {interpolateRanks, quantileRanks} from '../stats/quantile.js'
import {AbSqlSpec, renderAbCountsSql, renderAbSql, renderAbUnitValuesSql} from './ab-sql.js'
import {EngineInput, EngineSession, withDuckDb} from './engine.js'
import {doubleLiteral} from './dialect.js'

/** The `receval ab --engine duckdb` result: the row-level result, and which engine made it. */
export type AbEngineResult = AbResult & {engine: 'duckdb'}

const read = (path: string, requests: ColumnRequest[]) => readTable(path, requests, {progress: false})

/** Run a query and read its (small) result. */
async function query(s: EngineSession, sql: string, requests: ColumnRequest[]): Promise<Table> {
  return (await read(await s.exportCsv(sql), requests)).table
}

/**
 * `receval ab --engine duckdb`: the statistics query of `receval sql ab --dialect duckdb` run by
 * DuckDB over the input file, analysed as `receval ab --stats` analyses an export, so that a file
 * larger than memory gives what `receval ab` gives on it (docs/warehouse.md):
 *
 * 1. the columns are resolved against the file's header with the row reader's defaults and errors
 * 2. a counting query: rows used and left out (--drop-invalid), units seen in more than one arm
 * 3. each --cap in turn: a percentile's two order statistics of the unit values (ORDER BY ...
 *    LIMIT 2 OFFSET floor((n - 1) p)) interpolated exactly as on the rows, and the units above
 *    the threshold; the statistics query then caps at the absolute threshold
 * 4. the statistics query, its result read by the --stats reader, the analysis of the rows
 */
export async function abOnDuckDb(input: EngineInput, f: AbFlags, dropInvalid: boolean): Promise<AbEngineResult> {
  const plan = unitPlan(f)
  const common = analysisOptions(f, plan.covs)
  return withDuckDb([input], async (s) => {
    const names = resolveColumns(input.path, await s.columns(input.view), plan.requests)
    const spec: AbSqlSpec = {dialect: 'duckdb', table: input.view, arm: names[0] as string, unit: f.unit, day: f.day, metrics: f.metric, covariates: f.covariate, dropInvalid, knownColumns: true}
    // 2. rows and the units in several arms
    const counts = await query(s, renderAbCountsSql(spec), [
      {role: 'rows', name: 'rv_rows', kind: 'float'},
      {role: 'invalid', name: 'rv_invalid', kind: 'float'},
      {role: 'multi', name: 'rv_multi', kind: 'float'},
      {role: 'example', name: 'rv_example', kind: 'key'},
    ])
    const rows = floatColumn(counts, 'rv_rows')[0]
    const invalid = floatColumn(counts, 'rv_invalid')[0]
    const multi = floatColumn(counts, 'rv_multi')[0]
    const example = keyColumn(counts, 'rv_example')
    const notes: string[] = []
    if (multi > 0) notes.push(multiArmNote(multi, example.dict.values[example.data[0]]))
    if (f.day && !f.unit) notes.push(DAY_WITHOUT_UNIT_NOTE)
    // 3. caps, in the order given (a later percentile is one of the values capped by the earlier caps)
    const capping: CapInfo[] = []
    const absolute: string[] = []
    if (plan.caps.length > 0) {
      const current = new Map<string, number>()
      const values = (column: string) => `(${renderAbUnitValuesSql(spec, column).trimEnd()}) AS rv_values`
      const n = floatColumn(await query(s, `SELECT COUNT(*) AS rv_n FROM ${values(plan.caps[0].column)}`, [{role: 'n', name: 'rv_n', kind: 'float'}]), 'rv_n')[0]
      for (const cap of plan.caps) {
        const prev = current.get(cap.column) ?? Infinity
        const capped = (x: string) => (prev === Infinity ? x : `LEAST(${x}, ${doubleLiteral(prev)})`)
        let threshold: number
        if (cap.percentile !== undefined) {
          if (n === 0) threshold = NaN
          else {
            const {lo, hi, g} = quantileRanks(n, cap.percentile / 100)
            const v = floatColumn(await query(s, `SELECT rv_v FROM ${values(cap.column)} ORDER BY rv_v LIMIT ${hi - lo + 1} OFFSET ${lo}`, [{role: 'v', name: 'rv_v', kind: 'float'}]), 'rv_v')
            threshold = interpolateRanks(Math.min(v[0], prev), Math.min(v[v.length - 1], prev), g)
          }
        } else threshold = cap.value as number
        if (!Number.isFinite(threshold)) throw new InputError({file: input.path, column: cap.column}, `--cap ${cap.column}=${cap.rule}: no units to take the percentile of`)
        const above = floatColumn(await query(s, `SELECT COUNT(*) AS rv_n FROM ${values(cap.column)} WHERE ${capped('rv_v')} > ${doubleLiteral(threshold)}`, [{role: 'n', name: 'rv_n', kind: 'float'}]), 'rv_n')[0]
        capping.push({column: cap.column, rule: cap.rule, threshold, units_capped: above, share_capped: n > 0 ? above / n : 0})
        current.set(cap.column, Math.min(prev, threshold))
        absolute.push(`${cap.column}=${threshold}`)
      }
    }
    // 4. the statistics, analysed as --stats analyses them
    const out = await s.exportCsv(renderAbSql({...spec, caps: absolute}))
    const armCol = keyColumn((await read(out, [{role: 'arm', name: 'arm', kind: 'key'}])).table, 'arm')
    const arms = [...armCol.dict.values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const control = defaultControl(f, arms)
    if (!arms.includes(control)) throw new UsageError(`--control "${control}" is not an arm; the arms in ${input.path} are: ${arms.map((a) => JSON.stringify(a)).join(', ')}`)
    let stats
    try {
      stats = await statsData({files: [out], armColumn: 'arm', dayColumn: f.day ? 'day' : undefined, control, select: plan.metrics.map((m) => m.name), covariates: new Set(plan.covs.keys()), secondMomentsOptional: f.method === 'paired-days', read})
    } catch (e) {
      if (e instanceof InputError && e.detail.startsWith(BAD_ROWS)) {
        const what = e.detail.slice(BAD_ROWS.length)
        throw new InputError({file: input.path}, /non-numeric values/.test(what) ? `${what} (--drop-invalid leaves such rows out)` : what)
      }
      throw e
    }
    const data = {...stats.data, metrics: metricInfos(plan.metrics, plan.covs), notes: [...notes, ...stats.data.notes]}
    const analysis = analyzeAb(data, {file: input.path, control, ...common})
    const units = Object.values(analysis.arms).reduce((t, a) => t + a.units, 0)
    return {file: input.path, rows, dropped_rows: dropInvalid ? invalid : 0, units, ...analysis, ...(plan.caps.length > 0 ? {capping} : {}), engine: 'duckdb' as const}
  })
}
