import {Args, Flags} from '@oclif/core'
import {PowerResult, runPower} from '../src/ab/power-run.js'
import {BaseCommand} from '../src/cli/base.js'
import {UsageError} from '../src/cli/errors.js'
import {fmt, formatTable} from '../src/cli/format.js'

/** A number, or a percentage such as "2%". */
function share(flag: string, text: string): number {
  const t = text.trim()
  const v = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t)
  if (t === '' || !Number.isFinite(v)) throw new UsageError(`--${flag} takes numbers or percentages (0.02 or 2%), not "${text}"`)
  return v
}
const list = (flag: string, text: string | undefined) => (text === undefined ? [] : text.split(',').map((p) => share(flag, p)))
const numberOf = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const v = Number(text)
  if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${flag} must be a number, not "${text}"`)
  return v
}

export default class Power extends BaseCommand<typeof Power> {
  static override summary = 'Units (and days) an A/B test needs to detect a relative change'
  static override description = `For a metric given by its baseline --mean and per-unit --variance, or estimated from a
historical unit-level FILE (--metric NAME=EXPR as in receval ab, delta-method variance for
ratios), the units per arm to detect a relative change --mde with probability --power in a
two-sided test at --alpha; with --arms K each of the K-1 treatments is tested at alpha/(K-1)
(Bonferroni). --daily-units (or --day in FILE) turns units into days. See docs/power.md.`

  static override examples = [
    {description: 'a 5% conversion rate, detect a 2% relative lift', command: '<%= config.bin %> power --mean 0.05 --variance 0.0475 --mde 2%'},
    {description: 'CTR from last week\'s user-level data, three arms, several MDEs', command: '<%= config.bin %> power fixtures/ab/users.csv --metric ctr=clicks/impressions --arms 3 --mde 1%,2%,5% --daily-units 20000'},
    {description: 'what 50k users per arm can detect', command: '<%= config.bin %> power fixtures/ab/users.csv --metric cpm=1000*cost/impressions --units-per-arm 50000'},
  ]

  static override args = {
    file: Args.string({description: 'historical unit-level file to estimate the metric from (optional)', required: false}),
  }

  static override flags = {
    metric: Flags.string({description: 'NAME=COL or NAME=[SCALE*]NUM/DEN, as in receval ab (with FILE)'}),
    unit: Flags.string({description: 'unit column of FILE: rows per unit are summed first'}),
    day: Flags.string({description: 'day column of FILE: daily units = units / days'}),
    mean: Flags.string({description: 'baseline mean of the metric (without FILE)'}),
    variance: Flags.string({description: 'per-unit variance of the metric (without FILE)'}),
    sd: Flags.string({description: 'per-unit standard deviation (instead of --variance)'}),
    mde: Flags.string({description: 'relative changes to detect, comma-separated: 0.02 or 2%'}),
    'units-per-arm': Flags.string({description: 'units per arm, comma-separated: report the detectable relative change instead'}),
    alpha: Flags.string({description: 'two-sided significance level over all comparisons', default: '0.05'}),
    power: Flags.string({description: 'probability of detecting the change', default: '0.8'}),
    arms: Flags.string({description: 'arms including the control', default: '2'}),
    'daily-units': Flags.string({description: 'new units entering the experiment per day (all arms)'}),
  }

  async run(): Promise<PowerResult> {
    const f = this.flags
    const r = await runPower(
      {
        file: this.args.file,
        metric: f.metric,
        unit: f.unit,
        day: f.day,
        mean: numberOf('mean', f.mean),
        variance: numberOf('variance', f.variance),
        sd: numberOf('sd', f.sd),
        mde: list('mde', f.mde),
        units: list('units-per-arm', f['units-per-arm']),
        alpha: numberOf('alpha', f.alpha) as number,
        power: numberOf('power', f.power) as number,
        arms: numberOf('arms', f.arms) as number,
        dailyUnits: numberOf('daily-units', f['daily-units']),
      },
      (path, requests) => this.read(path, requests),
    )
    if (!this.jsonEnabled()) {
      const m = r.metric
      this.log(`${m.name ?? 'metric'}${m.expr ? ` = ${m.expr}` : ''}: mean ${fmt(m.mean)}, per-unit sd ${fmt(m.sd)}${m.file ? ` (estimated from ${m.units} units in ${m.file})` : ''}`)
      this.log(`${r.arms} arms, two-sided alpha ${r.alpha}${r.comparisons > 1 ? ` (${fmt(r.alpha_per_comparison)} per comparison, Bonferroni)` : ''}, power ${r.power}${r.daily_units !== null ? `, ${fmt(r.daily_units)} units per day` : ''}`)
      this.log('')
      this.log(formatTable(['mde', 'mde_absolute', 'units_per_arm', 'units_total', 'days'], r.plans.map((p) => [`${+(p.mde * 100).toPrecision(6)}%`, p.mde_absolute, p.units_per_arm, p.units_total, p.days])))
    }
    for (const n of r.notes) this.note(`note: ${n}`)
    return r
  }
}
