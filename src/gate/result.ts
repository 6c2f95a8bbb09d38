import type {SideInfo} from '../history/refs.js'
import type {Check, Skipped} from './evaluate.js'

/** The JSON result of `receval gate` (shared/spec/cli.md; docs/gate.md). */
export interface GateResult {
  command: 'gate'
  /** every check passed */
  passed: boolean
  candidate: SideInfo
  baseline: SideInfo | null
  /** --significance, or null */
  significance: number | null
  checks: Check[]
  skipped: Skipped[]
}
