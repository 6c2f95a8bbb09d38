import {InputError, UsageError} from '../cli/errors.js'
import {ColumnRequest, floatColumn, keyColumn, readTable, resolveColumns, Table} from '../io/index.js'
import {analyzeAb} from '../ab/analyze.js'
import {AbFlags, AbResult, analysisOptions, defaultControl, unitPlan} from '../ab/run.js'
import {BAD_ROWS, statsData} from '../ab/stats-file.js'
import {CapInfo, CapRule, DAY_WITHOUT_UNIT_NOTE, metricInfos, multiArmNote} from '../ab/units.js'
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
 * 2. a counting query (with --unit, --drop-invalid or a percentile cap): rows used and left
 *    out, units, units seen in more than one arm
 * 3. with --cap: one query for every percentile's two order statistics of the unit values
 *    (ORDER BY ... LIMIT 2 OFFSET floor((n - 1) p)), interpolated exactly as on the rows, and one
 *    counting the units above each threshold; the statistics query then caps at the thresholds
 * 4. the statistics query, its result read by the --stats reader, the analysis of the rows
 */
export async function abOnDuckDb(input: EngineInput, f: AbFlags, dropInvalid: boolean): Promise<AbEngineResult> {
  const plan = unitPlan(f)
  const common = analysisOptions(f, plan.covs)
  return withDuckDb([input], async (s) => {
    const names = resolveColumns(input.path, await s.columns(input.view), plan.requests)
    const spec: AbSqlSpec = {dialect: 'duckdb', table: input.view, arm: names[0] as string, unit: f.unit, day: f.day, metrics: f.metric, covariates: f.covariate, dropInvalid, knownColumns: true}
    // 2. rows, units, and the units in several arms (not needed for rows that are units, all valid)
    const percentiles = plan.caps.filter((c) => c.percentile !== undefined)
    let rows = -1
    let invalid = 0
    let n = -1
    const notes: string[] = []
    if (f.unit || dropInvalid || percentiles.length > 0) {
      const counts = await query(s, renderAbCountsSql(spec), ['rv_rows', 'rv_invalid', 'rv_units', 'rv_multi'].map((name): ColumnRequest => ({role: name, name, kind: 'float'})).concat([{role: 'example', name: 'rv_example', kind: 'key'}]))
      const one = (name: string) => floatColumn(counts, name)[0]
      rows = one('rv_rows')
      invalid = one('rv_invalid')
      n = one('rv_units')
      const example = keyColumn(counts, 'rv_example')
      if (one('rv_multi') > 0) notes.push(multiArmNote(one('rv_multi'), example.dict.values[example.data[0]]))
    }
    if (f.day && !f.unit) notes.push(DAY_WITHOUT_UNIT_NOTE)
    // 3. caps, in the order given. A later cap of a column applies to the values the earlier
    // ones capped, whose order statistics are the raw ones capped: so one query finds every
    // percentile's two order statistics, and one more counts the units above each threshold.
    const capping: CapInfo[] = []
    const absolute: string[] = []
    if (plan.caps.length > 0) {
      const columns = [...new Set(plan.caps.map((c) => c.column))]
      const v = (column: string) => `rv_v${columns.indexOf(column) + 1}`
      const values = `WITH rv_u AS (\n${renderAbUnitValuesSql(spec, columns).trimEnd()}\n)`
      const ranks = percentiles.map((c) => quantileRanks(n, (c.percentile as number) / 100))
      const stats = new Map<CapRule, [number, number]>()
      if (percentiles.length > 0 && n > 0) {
        // from the nearer end, so a high percentile keeps a small top-N heap instead of sorting every unit
        const parts = percentiles.map((c, k) => {
          const {lo, hi} = ranks[k]
          const high = lo > n - 1 - hi
          return `SELECT ${k} AS rv_k, rv_x FROM (SELECT ${v(c.column)} AS rv_x FROM rv_u ORDER BY rv_x${high ? ' DESC' : ''} LIMIT ${hi - lo + 1} OFFSET ${high ? n - 1 - hi : lo}) AS rv_p${k}`
        })
        const t = await query(s, `${values}\n${parts.join('\nUNION ALL\n')}`, [{role: 'k', name: 'rv_k', kind: 'float'}, {role: 'x', name: 'rv_x', kind: 'float'}])
        const ks = floatColumn(t, 'rv_k')
        const xs = floatColumn(t, 'rv_x')
        percentiles.forEach((c, k) => {
          const mine = Array.from(xs).filter((_, i) => ks[i] === k).sort((a, b) => a - b)
          stats.set(c, [mine[0], mine[mine.length - 1]])
        })
      }
      const current = new Map<string, number>()
      const above: string[] = []
      for (const [k, cap] of plan.caps.entries()) {
        const prev = current.get(cap.column) ?? Infinity
        let threshold = cap.value as number
        if (cap.percentile !== undefined) {
          const os = stats.get(cap)
          if (!os) throw new InputError({file: input.path, column: cap.column}, `--cap ${cap.column}=${cap.rule}: no units to take the percentile of`)
          threshold = interpolateRanks(Math.min(os[0], prev), Math.min(os[1], prev), ranks[percentiles.indexOf(cap)].g)
        }
        const x = prev === Infinity ? v(cap.column) : `LEAST(${v(cap.column)}, ${doubleLiteral(prev)})`
        above.push(`COALESCE(SUM(CASE WHEN ${x} > ${doubleLiteral(threshold)} THEN 1 ELSE 0 END), 0) AS rv_a${k}`)
        capping.push({column: cap.column, rule: cap.rule, threshold, units_capped: 0, share_capped: 0})
        current.set(cap.column, Math.min(prev, threshold))
        absolute.push(`${cap.column}=${threshold}`)
      }
      const counted = await query(s, `${values}\nSELECT\n  COUNT(*) AS rv_n,\n  ${above.join(',\n  ')}\nFROM rv_u`, [{role: 'n', name: 'rv_n', kind: 'float'}, ...above.map((_, k): ColumnRequest => ({role: `a${k}`, name: `rv_a${k}`, kind: 'float'}))])
      const total = floatColumn(counted, 'rv_n')[0]
      capping.forEach((c, k) => {
        c.units_capped = floatColumn(counted, `rv_a${k}`)[0]
        c.share_capped = total > 0 ? c.units_capped / total : 0
      })
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
    // rows that are units, all valid: the rows are the units
    return {file: input.path, rows: rows < 0 ? units : rows, dropped_rows: dropInvalid ? invalid : 0, units, ...analysis, ...(plan.caps.length > 0 ? {capping} : {}), engine: 'duckdb' as const}
  })
}
