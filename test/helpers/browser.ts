import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {chromium, type BrowserContext, type Page} from 'playwright-core'

/**
 * Open generated reports in a real headless Chromium (Debian `chromium`, installed by .ci/run),
 * offline: every request other than the report file itself is aborted and recorded. Reuse it in
 * any report test:
 *
 *   const b = await openBrowser()
 *   try {
 *     const p = await b.open(file)
 *     assert.deepEqual(p.outsideRequests, [])
 *   } finally {
 *     await b.close()
 *   }
 */

export const CHROMIUM = process.env.RECEVAL_CHROMIUM ?? '/usr/bin/chromium'

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']

/** What a page did while it was open. */
export interface OpenedPage {
  page: Page
  /** console messages of type error (CSP violations and failed loads show up here too) */
  consoleErrors: string[]
  /** uncaught exceptions in the page */
  pageErrors: string[]
  /** every request that is not the report file (all of them were aborted) */
  outsideRequests: string[]
  /** alert / confirm / prompt dialogs that were opened (and dismissed) */
  dialogs: string[]
}

export interface Browser {
  /** open a local HTML file and wait until it has loaded (and, with `settle`, for that many ms) */
  open(file: string, opts?: {settle?: number}): Promise<OpenedPage>
  close(): Promise<void>
}

export interface BrowserOptions {
  width?: number
  height?: number
  /** phone-like: touch, meta viewport honoured */
  mobile?: boolean
  javaScript?: boolean
}

/**
 * Launch Chromium with a fresh, empty profile (deleted on close) and all network blocked.
 * @throws when Chromium is not installed (see .ci/run), so a missing browser never passes silently
 */
export async function openBrowser(opts: BrowserOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: the report browser tests need Debian chromium (apt-get install chromium; see .ci/run)`)
  const profile = mkdtempSync(join(tmpdir(), 'receval-chromium-'))
  let ctx: BrowserContext
  try {
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: {width: opts.width ?? 1280, height: opts.height ?? 900},
      isMobile: opts.mobile ?? false,
      hasTouch: opts.mobile ?? false,
      deviceScaleFactor: opts.mobile ? 2 : 1,
      javaScriptEnabled: opts.javaScript ?? true,
      offline: true,
    })
  } catch (e) {
    rmSync(profile, {recursive: true, force: true})
    throw e
  }
  const pages: Page[] = []
  return {
    async open(file, o = {}) {
      const url = pathToFileURL(file).href
      const page = await ctx.newPage()
      pages.push(page)
      const out: OpenedPage = {page, consoleErrors: [], pageErrors: [], outsideRequests: [], dialogs: []}
      await page.route('**/*', (route) => {
        const u = route.request().url()
        if (u === url) return route.continue()
        out.outsideRequests.push(u)
        return route.abort()
      })
      page.on('console', (m) => {
        if (m.type() === 'error') out.consoleErrors.push(m.text())
      })
      page.on('pageerror', (e) => out.pageErrors.push(String(e)))
      page.on('dialog', (d) => {
        out.dialogs.push(`${d.type()}: ${d.message()}`)
        void d.dismiss()
      })
      await page.goto(url, {waitUntil: 'load'})
      if (o.settle) await page.waitForTimeout(o.settle)
      return out
    },
    async close() {
      for (const p of pages) await p.close().catch(() => undefined)
      await ctx.close()
      rmSync(profile, {recursive: true, force: true})
    },
  }
}
