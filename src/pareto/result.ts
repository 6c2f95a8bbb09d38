import type {SweepOutcome} from './sweep.js'
import type {TableOutcome} from './table.js'

/** What every `receval pareto --json` result carries (docs/pareto.md "JSON result"). */
interface Common {
  command: 'pareto'
  file: string
  dropped_rows: number
  notes: string[]
}
export type ParetoTableResult = Common & {mode: 'table'} & TableOutcome
export type ParetoSweepResult = Common & {mode: 'sweep'; rows: number} & SweepOutcome
export type ParetoResult = ParetoTableResult | ParetoSweepResult
