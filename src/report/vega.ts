import type {TopLevelSpec} from 'vega-lite'

/**
 * Server-side chart rendering: vega-lite spec -> vega spec -> headless vega View -> SVG text.
 * No browser, no canvas (renderer 'none' only builds the scenegraph; text widths are estimated),
 * no network (every spec carries its data inline; a spec with a data URL is refused).
 *
 * vega and vega-lite are ESM and take about 300 ms to import, so they are imported here, on the
 * first chart, and never at command start-up.
 */

type Vega = typeof import('vega')
type VegaLite = typeof import('vega-lite')

let modules: Promise<{vega: Vega; vl: VegaLite}> | undefined

function load(): Promise<{vega: Vega; vl: VegaLite}> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({vega, vl}))
  return modules
}

/** Start importing vega and vega-lite now (a worker does this as soon as it starts). */
export async function preload(): Promise<void> {
  await load()
}

/** A vega / vega-lite logger that collects warnings and errors instead of printing them. */
class CollectingLogger {
  readonly messages: string[] = []
  private lvl = 2
  // arrow properties: vega calls these detached from the logger, so `this` must be bound
  level = (v?: number): number | this => {
    if (v === undefined) return this.lvl
    this.lvl = v
    return this
  }
  error = (...a: unknown[]): this => {
    this.messages.push('error: ' + a.map(String).join(' '))
    return this
  }
  warn = (...a: unknown[]): this => {
    this.messages.push('warning: ' + a.map(String).join(' '))
    return this
  }
  info = (): this => this
  debug = (): this => this
}

/** The compiled vega spec of a vega-lite spec (what the interactive page hands to vega in the browser). */
export async function compileSpec(spec: TopLevelSpec): Promise<object> {
  refuseUrls(spec)
  const {vl} = await load()
  const log = new CollectingLogger()
  return vl.compile(spec, {logger: log}).spec
}

export interface RenderedChart {
  svg: string
  /** the compiled vega spec (what the interactive page hands to vega in the browser) */
  vega: object
  /** vega-lite / vega warnings: a chart spec function has a bug when there are any */
  warnings: string[]
}

/**
 * Render a vega-lite spec to SVG markup. Element ids inside the SVG (clip paths, gradients) are
 * prefixed with `idPrefix`, so several charts inlined in one page cannot refer to each other's.
 * @throws when the spec loads data from a URL
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<RenderedChart> {
  refuseUrls(spec)
  const {vega, vl} = await load()
  const log = new CollectingLogger()
  const vgSpec = vl.compile(spec, {logger: log}).spec
  const view = new vega.View(vega.parse(vgSpec), {renderer: 'none', logger: log, logLevel: vega.Warn})
  try {
    const svg = await view.toSVG()
    return {svg: prefixIds(svg, idPrefix), vega: vgSpec, warnings: log.messages}
  } finally {
    view.finalize()
  }
}

/**
 * Rename the ids of an SVG (id="x", url(#x), href="#x") to `prefix-1`, `prefix-2`, ... in order of
 * appearance: unique in the page, and the same whatever vega's global id counter was at.
 */
export function prefixIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>()
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`)
  if (ids.size === 0) return svg
  const fix = (id: string) => ids.get(id) ?? id
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_m, a: string, id: string) => `${a}${fix(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${fix(id)})`)
    .replace(/(href=")#([^"]+)"/g, (_m, a: string, id: string) => `${a}#${fix(id)}"`)
}

function refuseUrls(spec: unknown): void {
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`))
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'values' || k === 'datasets') continue
        if (k === 'url') throw new Error(`chart spec loads data from a URL (${path}.url): reports carry their data inline`)
        walk(x, `${path}.${k}`)
      }
  }
  walk(spec, 'spec')
}
