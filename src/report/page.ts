import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {dirname, join as joinPath, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {renderFacts, renderFactsBlock, renderNote, renderTable} from './blocks.js'
import {fillTemplate, html, join, jsonForScript, SafeHtml, scriptText} from './html.js'
import {type ChartRenderer, inProcessRenderer} from './renderer.js'
import type {Block, ChartBlock, Report, Section} from './types.js'

/**
 * The page builder: a `Report` (plain data) -> one self-contained HTML document.
 *
 * 1. check the sections (ids unique and well-formed)
 * 2. render every chart block's vega-lite spec to inline SVG, all at once (with chart workers
 *    they render in parallel)
 * 3. render the sections: tables, notes and facts to escaped HTML, the charts' figures in place
 * 4. fill reports/page.html with the frame, the sections, the notes and the inline CSS
 * 5. with `interactive`: inline the vega runtime and each chart's compiled spec, and a few lines
 *    that redraw the charts live (tooltips); the static SVG stays until that succeeds
 *
 * The page loads nothing: a Content-Security-Policy forbids every fetch, and the static page
 * forbids scripts too. Interactive pages allow only the two inline scripts, by hash.
 */

export interface RenderOptions {
  /** inline the vega runtime for tooltips (default false: a static page without scripts) */
  interactive?: boolean
  /** where charts are rendered (default: in this thread); see renderer.ts */
  renderer?: ChartRenderer
}

/** The reports/ folder (templates and CSS), next to dist/ in the package. */
export const REPORTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'reports')

const RESERVED = new Set(['top', 'notes', 'evaluated-h', 'run-h', 'receval-result', 'contents'])

function checkSections(sections: Section[]): void {
  const seen = new Set<string>()
  for (const s of sections) {
    if (!/^[a-z][a-z0-9-]*$/.test(s.id)) throw new Error(`report section id "${s.id}" must be lowercase letters, digits and '-'`)
    if (RESERVED.has(s.id) || s.id.startsWith('fig-')) throw new Error(`report section id "${s.id}" is reserved`)
    if (seen.has(s.id)) throw new Error(`report section id "${s.id}" is used twice`)
    seen.add(s.id)
  }
}

/** Render every chart of the report at once (in parallel with chart workers), in page order. */
async function renderCharts(sections: Section[], opts: RenderOptions, renderer: ChartRenderer): Promise<{figures: SafeHtml[]; warnings: string[]}> {
  const charts = sections.flatMap((s) => s.blocks.filter((b): b is ChartBlock => b.kind === 'chart'))
  const warnings: string[] = []
  const figures: SafeHtml[] = []
  const done = await Promise.all(
    charts.map((c, i) => Promise.all([renderer.render(c.spec, `fig-${i + 1}`), opts.interactive && c.interactiveSpec ? renderer.compile(c.interactiveSpec) : Promise.resolve(undefined)])),
  )
  charts.forEach((c, i) => {
    const [r, live] = done[i]
    const id = `fig-${i + 1}`
    warnings.push(...r.warnings.map((w) => `${c.title}: ${w}`))
    const vega = opts.interactive ? (live ?? r.vega) : undefined
    figures.push(
      html`<figure class="chart${c.width === 'wide' ? ' wide' : ''}" id="${id}"${vega ? html` data-live="pending"` : ''}>
<h3>${c.title}</h3>
<div class="svg" role="img" aria-label="${c.alt ?? c.title}">${new SafeHtml(r.svg.replaceAll('\u0000', '\uFFFD'))}</div>
${c.caption ? html`<figcaption>${c.caption}</figcaption>` : ''}${vega ? html`<script type="application/json" class="vega-spec">${new SafeHtml(jsonForScript(vega))}</script>` : ''}
</figure>`,
    )
  })
  return {figures, warnings}
}

/** The HTML of a section's blocks; `figures` holds the rendered charts in page order and is consumed. */
function renderBlocks(blocks: Block[], figures: SafeHtml[]): SafeHtml {
  const out: SafeHtml[] = []
  let charts: SafeHtml[] = []
  const flush = () => {
    if (charts.length) out.push(html`<div class="block charts">${charts}</div>`)
    charts = []
  }
  for (const b of blocks) {
    if (b.kind === 'chart') {
      charts.push(figures.shift() as SafeHtml)
      continue
    }
    flush()
    if (b.kind === 'table') out.push(renderTable(b).html)
    else if (b.kind === 'note') out.push(renderNote(b))
    else if (b.kind === 'facts') out.push(renderFactsBlock(b))
    else throw new Error(`unknown report block kind ${(b as {kind: string}).kind}`)
  }
  flush()
  return join(out, '\n')
}

/** Quote one argv word for a POSIX shell (only when needed). */
export function shellQuote(word: string): string {
  if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}

function when(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC')
}

function frame(r: Report): {evaluated: SafeHtml; run: SafeHtml} {
  const m = r.meta
  const inputs = m.inputs.map((f) => {
    const about = [f.format, f.bytes !== undefined ? bytes(f.bytes) : undefined, f.mtime ? `modified ${when(f.mtime)}` : undefined].filter(Boolean).join(' · ')
    return html`<li><span class="path">${f.path === '-' ? '<stdin>' : f.path}</span>${about ? html` <span class="about">${about}</span>` : ''}${f.sha256 ? html`<span class="about">sha256 ${f.sha256}</span>` : ''}</li>`
  })
  const evaluated = html`${inputs.length ? html`<ul class="inputs">${inputs}</ul>` : ''}
${renderFacts(r.facts)}`
  const runFacts = [
    {label: 'Created', value: when(m.generatedAt)},
    {label: 'receval version', value: m.version},
    ...(m.cwd ? [{label: 'Directory', value: m.cwd}] : []),
    ...Object.entries(m.tags ?? {}).map(([k, v]) => ({label: `Tag ${k}`, value: v})),
  ]
  const run = html`${renderFacts(runFacts)}
<pre class="command"><code>${join(m.argv.map((w) => html`<span class="arg">${shellQuote(w)}</span>`), ' ')}</code></pre>`
  return {evaluated, run}
}

function bootstrapScript(): string {
  // Redraw each chart with the inlined vega runtime (tooltips via vega's default handler, which
  // sets the title attribute). The static SVG is replaced only once the live view has rendered.
  return `(function () {
  var figs = document.querySelectorAll('figure.chart[data-live]');
  Array.prototype.forEach.call(figs, function (fig) {
    var holder = fig.querySelector('.svg');
    var spec = JSON.parse(fig.querySelector('script.vega-spec').textContent);
    var live = document.createElement('div');
    live.className = 'svg';
    live.setAttribute('role', 'img');
    live.setAttribute('aria-label', holder.getAttribute('aria-label') || '');
    live.hidden = true;
    holder.parentNode.insertBefore(live, holder.nextSibling);
    var view = new vega.View(vega.parse(spec), {renderer: 'svg', container: live, hover: true});
    view.runAsync().then(function () {
      holder.remove();
      live.hidden = false;
      fig.setAttribute('data-live', 'ready');
    }, function (err) {
      live.remove();
      fig.setAttribute('data-live', 'failed');
      console.warn('receval: chart ' + fig.id + ' stays static: ' + err);
    });
  });
})();`
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`

let vegaRuntime: string | undefined
function vegaBundle(): string {
  if (vegaRuntime === undefined) {
    // vega's entry point is build/vega.module.js; the UMD bundle sits next to it
    const entry = fileURLToPath(import.meta.resolve('vega'))
    vegaRuntime = scriptText(readFileSync(joinPath(dirname(entry), 'vega.min.js'), 'utf8'))
  }
  return vegaRuntime
}

/** A stylesheet from reports/, for an inline <style> element (which it must not be able to close). */
function styleSheet(name: string): SafeHtml {
  const css = readFileSync(joinPath(REPORTS_DIR, name), 'utf8')
  if (/<\/style/i.test(css)) throw new Error(`reports/${name} contains "</style"`)
  return new SafeHtml(css)
}

export interface RenderedReport {
  html: string
  /** vega-lite / vega warnings from the chart specs (a bug in a chart function when non-empty) */
  warnings: string[]
}

/** Render a report to one self-contained HTML document. */
export async function renderReport(report: Report, opts: RenderOptions = {}): Promise<RenderedReport> {
  checkSections(report.sections)
  const {figures, warnings} = await renderCharts(report.sections, opts, opts.renderer ?? inProcessRenderer())
  const sections: SafeHtml[] = []
  for (const s of report.sections) {
    const body = renderBlocks(s.blocks, figures)
    sections.push(html`<section id="${s.id}" aria-labelledby="${s.id}-h">
<h2 id="${s.id}-h">${s.title}</h2>
${s.intro ? html`<p class="intro">${s.intro}</p>` : ''}
${body}
</section>`)
  }
  const notes = report.notes.length
    ? html`<section id="notes" aria-labelledby="notes-h">
<h2 id="notes-h">Notes</h2>
<ul>${report.notes.map((n) => html`<li>${n}</li>`)}</ul>
</section>`
    : html``
  const tocItems = [...report.sections.map((s) => ({id: s.id, title: s.title})), ...(report.notes.length ? [{id: 'notes', title: 'Notes'}] : [])]
  const toc = tocItems.length > 1 ? html`<nav class="toc" aria-label="Contents"><ol>${tocItems.map((t) => html`<li><a href="#${t.id}">${t.title}</a></li>`)}</ol></nav>` : html``
  const data = report.data === undefined ? html`` : html`<script type="application/json" id="receval-result">${new SafeHtml(jsonForScript(report.data))}</script>`

  let scripts = html``
  let csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
  if (opts.interactive) {
    const runtime = vegaBundle()
    const boot = bootstrapScript()
    scripts = html`<script>${new SafeHtml(runtime)}</script>
<script>${new SafeHtml(boot)}</script>`
    // vega compiles its expressions with Function(), hence 'unsafe-eval'; inline scripts by hash only
    csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-eval' ${sha256(runtime)} ${sha256(boot)}; base-uri 'none'; form-action 'none'`
  }
  const {evaluated, run} = frame(report)
  const page = fillTemplate(readFileSync(joinPath(REPORTS_DIR, 'page.html'), 'utf8'), {
    csp,
    version: report.meta.version,
    command: report.meta.command,
    title: report.title,
    css: styleSheet('report.css'),
    printCss: styleSheet('print.css'),
    subtitle: report.subtitle ? html`<p class="subtitle">${report.subtitle}</p>` : html``,
    evaluated,
    run,
    toc,
    sections: join(sections, '\n'),
    notes,
    generatedAt: when(report.meta.generatedAt),
    pageKind: opts.interactive
      ? 'Interactive page: the charts are redrawn by the inlined vega runtime (hover for values); without scripts the static charts remain. Nothing is loaded from the network.'
      : 'Static page: no scripts, nothing loaded from the network.',
    data,
    scripts,
  })
  return {html: page, warnings}
}
