import type {TopLevelSpec} from 'vega-lite'

/**
 * The report model: what a command hands to `renderReport` / `writeReport`. A command builds it
 * from its result object (the one `--json` prints); nothing here computes metrics. All strings
 * are plain text: the renderer escapes every one of them. See docs/reports.md.
 */
export interface Report {
  /** page title and main heading, e.g. "AUC report: preds.csv" */
  title: string
  /** one line under the title */
  subtitle?: string
  /** what was run and on what (the common frame); see `reportMeta` */
  meta: ReportMeta
  /** label/value facts about what was evaluated (rows, positives, columns used, ...) */
  facts: Fact[]
  sections: Section[]
  /** notes on metrics that are undefined (null) and why, and other caveats: the result's `notes` */
  notes: string[]
  /** machine-readable copy of the result, embedded as JSON in the page (omit bulky arrays) */
  data?: unknown
}

export interface ReportMeta {
  /** the command, as typed: "auc", "report weekly" */
  command: string
  /** the receval version */
  version: string
  /** when the report was made (ISO 8601) */
  generatedAt: string
  /** the command line that reproduces it, as argv words, starting with "receval" */
  argv: string[]
  /** the working directory the command ran in (relative paths in argv are relative to it) */
  cwd?: string
  /** the input files read */
  inputs: InputFile[]
  /** key/value tags of the run (--tag) */
  tags?: Record<string, string>
}

export interface InputFile {
  path: string
  format?: string
  bytes?: number
  /** modification time, ISO 8601 */
  mtime?: string
  sha256?: string
}

export interface Fact {
  label: string
  value: string | number | null
  /** shown as a tooltip and in print after the value */
  help?: string
}

/**
 * One part of the page: a heading (linked from the contents) and blocks in order. Consecutive
 * chart blocks are laid out side by side when the screen is wide enough.
 */
export interface Section {
  /** anchor id, unique in the report: lowercase letters, digits and '-' */
  id: string
  title: string
  /** a short paragraph under the heading */
  intro?: string
  blocks: Block[]
}

export type Block = TableBlock | ChartBlock | NoteBlock | FactsBlock

/** How a column shows numbers (default 'auto'). */
export type ColumnFormat =
  /** metric values: `digits` decimals (4), e-notation when tiny or huge; use 'count' for counts */
  | 'auto'
  /** integers (or weight sums) with thousands separators */
  | 'count'
  /** p-values: 4 decimals, "< 1e-4" style e-notation below */
  | 'p'
  /** a share shown as a percentage */
  | 'percent'
  /** two numbers [low, high] */
  | 'interval'
  /** as given */
  | 'text'

export interface TableColumn {
  title: string
  format?: ColumnFormat
  /** decimals for 'auto', 'percent' and 'interval' (default 4; 2 for percent) */
  digits?: number
  /** explanation shown as a tooltip on the header */
  help?: string
}

/** A table cell: a value, or a value with a tone (colour and marker) and a tooltip. */
export type CellValue = string | number | null | undefined | readonly [number | null, number | null]
export type Cell = CellValue | {value: CellValue; tone?: 'good' | 'bad' | 'warn' | 'muted'; title?: string}

export interface TableBlock {
  kind: 'table'
  /** shown above the table */
  caption?: string
  columns: TableColumn[]
  rows: Cell[][]
  /** shown under the table */
  footnote?: string
}

export interface ChartBlock {
  kind: 'chart'
  /** heading of the figure */
  title: string
  /** a vega-lite spec from a function in src/report/charts (data inline, no URLs): drawn as static SVG */
  spec: TopLevelSpec
  /** a richer spec (tooltips) for the live chart of `--interactive` pages; default: `spec` */
  interactiveSpec?: TopLevelSpec
  /** shown under the chart: what is drawn and how it was thinned */
  caption?: string
  /** text alternative for screen readers (defaults to the title) */
  alt?: string
  /** 'wide' spans the full width instead of sharing a row */
  width?: 'normal' | 'wide'
}

export interface NoteBlock {
  kind: 'note'
  text: string
  tone?: 'info' | 'warn'
}

export interface FactsBlock {
  kind: 'facts'
  facts: Fact[]
}
