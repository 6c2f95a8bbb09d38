/**
 * The report system: commands build a `Report` (frame + sections of tables, charts and notes)
 * from their result object and hand it to `writeReport`. See docs/reports.md.
 */
export type {Block, Cell, CellValue, ChartBlock, ColumnFormat, Fact, FactsBlock, InputFile, NoteBlock, Report, ReportMeta, Section, TableBlock, TableColumn} from './types.js'
export {renderReport, shellQuote, REPORTS_DIR} from './page.js'
export type {RenderOptions, RenderedReport} from './page.js'
export {writeReport, writeTextAtomic, checkOutputPath} from './write.js'
export {reportMeta, reportTime} from './meta.js'
export type {CommandRun} from './meta.js'
export {escapeHtml, html, jsonForScript, SafeHtml} from './html.js'
