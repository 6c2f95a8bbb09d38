import {AtK, RecallBlock, RecallResult} from '../metrics/recall.js'
import {Cell, fmt, formatTable} from './format.js'

const FIELDS = ['click_recall', 'click_recall_micro', 'cost_recall', 'hitrate', 'precision', 'ndcg', 'mrr', 'map', 'coverage'] as const
const SHORT: Record<(typeof FIELDS)[number], string> = {
  click_recall: 'click_recall',
  click_recall_micro: 'micro',
  cost_recall: 'cost_recall',
  hitrate: 'hitrate',
  precision: 'precision',
  ndcg: 'ndcg',
  mrr: 'mrr',
  map: 'map',
  coverage: 'coverage',
}

const interval = (ci: [number, number] | null | undefined): Cell => (ci ? `[${fmt(ci[0], 4)}, ${fmt(ci[1], 4)}]` : ci === null ? '-' : undefined)

/** One row per K: every metric, with intervals after their metric when present. */
function atTable(at: Record<string, AtK>, first: string[] = [], lead: Cell[] = []): {header: string[]; rows: Cell[][]} {
  const ks = Object.keys(at)
  const withCi = ks.some((k) => at[k].click_recall_ci !== undefined)
  const header = [...first, 'K']
  for (const f of FIELDS) {
    header.push(SHORT[f])
    if (withCi && (f === 'click_recall' || f === 'cost_recall' || f === 'hitrate')) header.push(`${f}_ci`)
  }
  const rows = ks.map((k) => {
    const m = at[k]
    const row: Cell[] = [...lead, Number(k)]
    for (const f of FIELDS) {
      row.push(m[f])
      if (withCi && (f === 'click_recall' || f === 'cost_recall' || f === 'hitrate')) row.push(interval(m[`${f}_ci` as 'click_recall_ci']) ?? '-')
    }
    return row
  })
  return {header, rows}
}

function blockLine(b: RecallBlock): string {
  return `${b.keys} keys evaluated, ${b.keys_without_retrieval} without a retrieved list`
}

/** The human-readable form of a `recall` result. */
export function printRecall(r: RecallResult): string {
  const out: string[] = []
  const names = r.retrievers ? Object.keys(r.retrievers) : undefined
  if (r.mode === 'dump') out.push(`truth: the ${r.truth.rows} rows of ${r.truth.file} with ${r.columns.label} = 1; lists: each key's rows by ${r.columns.rank ? `${r.columns.rank} ascending` : `${r.columns.score} descending`}`)
  else out.push(`truth ${r.truth.file}: ${r.truth.rows} rows${r.truth.dropped_rows ? ` (${r.truth.dropped_rows} dropped)` : ''}${r.truth_top ? ', ranked (--truth-top: T at K is its first K items)' : ''}`)
  const retrieved = names ? names.map((n) => [n, (r.retrievers as NonNullable<RecallResult['retrievers']>)[n]] as const) : [['', {...r.retrieved, ...(r as RecallBlock)}] as const]
  for (const [n, x] of retrieved) {
    const extra = [x.dropped_rows ? `${x.dropped_rows} dropped` : '', x.excluded_rows ? `${x.excluded_rows} excluded` : '', x.duplicate_rows ? `${x.duplicate_rows} duplicates` : ''].filter(Boolean).join(', ')
    out.push(`retrieved ${n ? `${n} (${x.file})` : x.file}: ${x.rows} rows${extra ? ` (${extra})` : ''}`)
  }
  out.push(blockLine(r))
  if (r.bootstrap) out.push(`bootstrap: ${r.bootstrap.replicates} replicates over keys, seed ${r.bootstrap.seed}, ${fmt(100 * (1 - r.bootstrap.alpha), 2)}% percentile intervals`)
  out.push('')
  if (names && r.retrievers) {
    const all = names.map((n) => atTable((r.retrievers as NonNullable<RecallResult['retrievers']>)[n].at, ['retriever'], [n]))
    out.push(formatTable(all[0].header, all.flatMap((t) => t.rows)))
  } else {
    const t = atTable(r.at)
    out.push(formatTable(t.header, t.rows))
  }
  const segs = r.retrievers ? names?.map((n) => [n, (r.retrievers as NonNullable<RecallResult['retrievers']>)[n].segments] as const) : [['', r.segments] as const]
  if (segs?.some(([, s]) => s)) {
    out.push('', 'by segment:')
    const tables = (segs ?? []).flatMap(([n, s]) =>
      Object.entries(s ?? {}).map(([name, b]) => atTable(b.at, [...(n ? ['retriever'] : []), 'segment', 'keys'], [...(n ? [n] : []), name, b.keys])),
    )
    out.push(formatTable(tables[0].header, tables.flatMap((t) => t.rows)))
  }
  if (r.comparisons?.length) {
    out.push('', 'paired bootstrap over keys (delta = b - a):')
    const rows: Cell[][] = []
    for (const c of r.comparisons) {
      for (const [k, ms] of Object.entries(c.at)) {
        for (const [m, d] of Object.entries(ms)) rows.push([c.a, c.b, Number(k), m, d.a, d.b, d.delta, interval(d.ci) ?? '-', d.p_value])
      }
    }
    out.push(formatTable(['a', 'b', 'K', 'metric', 'a_value', 'b_value', 'delta', 'delta_ci', 'p_value'], rows))
  }
  return out.join('\n')
}
