/** A one-line progress indicator on stderr, shown only when stderr is a terminal. */
export class Progress {
  private last = 0
  private shown = false
  private readonly start = Date.now()
  constructor(private readonly label: string, private readonly total?: number) {}

  update(done: number): void {
    const now = Date.now()
    if (now - this.last < 200 || now - this.start < 500) return
    this.last = now
    this.shown = true
    const mb = (n: number) => (n / 1048576).toFixed(0) + ' MB'
    const pct = this.total ? ` ${Math.min(100, (100 * done) / this.total).toFixed(0)}%` : ''
    process.stderr.write(`\rreading ${this.label}${pct} (${mb(done)}${this.total ? ' of ' + mb(this.total) : ''})\x1b[K`)
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K')
    this.shown = false
  }
}
