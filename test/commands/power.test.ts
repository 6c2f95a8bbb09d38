import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {near} from '../helpers/assert.js'
import {recevalAsync as receval} from './cli-async.js'

/* eslint-disable @typescript-eslint/no-explicit-any */

// Expected units: statsmodels 0.13.5 NormalIndPower().solve_power(effect_size = mde * mean / sd,
// alpha = alpha / (arms - 1), power = 0.8, ratio = 1), rounded up; the ctr mean and per-unit
// variance of fixtures/ab/users.csv from numpy (delta method, ddof = 1), /usr/bin/python3.

async function power(args: string[]): Promise<any> {
  const r = await receval(['power', ...args, '--json'])
  assert.equal(r.code, 0, `${r.stdout} ${r.stderr}`)
  return r.json
}

async function fails(args: string[], re: RegExp): Promise<void> {
  const r = await receval(['power', ...args])
  assert.equal(r.code, 2, `exit ${r.code}: ${r.stdout} ${r.stderr}`)
  const lines = r.stderr.trim().split('\n')
  assert.equal(lines.length, 1, r.stderr)
  assert.match(lines[0], re)
}

describe('receval power', {concurrency: 4}, () => {
  test('power from a baseline mean and variance equals statsmodels NormalIndPower', async () => {
    const r = await power(['--mean', '0.05', '--variance', '0.0475', '--mde', '2%'])
    assert.equal(r.plans[0].units_per_arm, 745642) // 745641.7483859888
    assert.equal(r.plans[0].units_total, 1491284)
    near(r.plans[0].mde, 0.02, 1e-15)
    near(r.plans[0].mde_absolute, 0.001, 1e-15)
    assert.equal(r.plans[0].days, null)
    assert.equal(r.correction, 'none')
    assert.equal(r.metric.source, 'given')
  })

  test('power with three arms splits alpha over the two comparisons (Bonferroni) and gives days', async () => {
    const r = await power(['--mean', '0.05', '--sd', String(Math.sqrt(0.0475)), '--mde', '0.1', '--arms', '3', '--daily-units', '10000'])
    assert.equal(r.comparisons, 2)
    assert.equal(r.correction, 'bonferroni')
    near(r.alpha_per_comparison, 0.025, 1e-15)
    assert.equal(r.plans[0].units_per_arm, 36120) // 36119.13539384478
    assert.equal(r.plans[0].units_total, 108360)
    assert.equal(r.plans[0].days, 11)
  })

  test('power estimated from a unit-level file (ctr of users.csv) and the MDE of a given size', async () => {
    const r = await power(['fixtures/ab/users.csv', '--metric', 'ctr=clicks/impressions', '--arms', '3', '--mde', '5%', '--units-per-arm', '18748'])
    near(r.metric.mean, 0.04249634991146594, 1e-12, 'mean')
    near(r.metric.variance, 0.004452603505976753, 1e-9, 'per-unit variance')
    assert.equal(r.metric.units, 2000)
    assert.equal(r.plans[0].units_per_arm, 18748) // 18747.98086016764
    near(r.plans[1].mde, 0.05, 1e-5, 'MDE at the planned size')
    assert.ok(r.plans[1].mde <= 0.05)
  })

  test('power from user-day rows: --unit sums a user, --day gives daily units', async () => {
    const r = await power(['fixtures/ab/user-days.csv', '--unit', 'user_id', '--day', 'day', '--metric', 'ctr=clicks/impressions', '--mde', '10%'])
    assert.equal(r.metric.days_in_file, 7)
    assert.equal(r.daily_units_source, 'file')
    near(r.daily_units, r.metric.units / 7, 1e-15)
    assert.equal(r.plans[0].days, Math.ceil(r.plans[0].units_total / r.daily_units))
  })

  test('power human output is a table', async () => {
    const r = await receval(['power', '--mean', '0.05', '--variance', '0.0475', '--mde', '1%,2%'])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /mean 0\.050000, per-unit sd 0\.217945/)
    assert.match(r.stdout, /\n1% +0\.000500 +2982567 +5965134 +-\n/)
  })

  test('power bad input: each a clear one-line message, exit 2', async () => {
    await Promise.all([
      fails(['--mean', '0.05', '--variance', '0.0475'], /give --mde .* or --units-per-arm/),
      fails(['--mean', '0.05', '--mde', '2%'], /give --variance \(or --sd\) per unit along with --mean; for a conversion rate p it is p\(1-p\) = 0\.0475/),
      fails(['--mde', '2%'], /give a historical FILE with --metric, or the baseline --mean and --variance/),
      fails(['fixtures/ab/users.csv', '--mean', '0.1', '--variance', '1', '--mde', '2%'], /give either a historical FILE or --mean/),
      fails(['fixtures/ab/users.csv', '--mde', '2%'], /give --metric NAME=EXPR/),
      fails(['--mean', '0.05', '--variance', '0.0475', '--mde', '2%', '--arms', '1'], /--arms must be a whole number >= 2/),
      fails(['--mean', '0.05', '--variance', '0.0475', '--mde', '-2%'], /--mde must be > 0/),
      fails(['--mean', '0.05', '--variance', '0.0475', '--mde', 'two'], /--mde takes numbers or percentages/),
      fails(['--mean', '0', '--variance', '1', '--mde', '2%'], /--mean must be a non-zero number/),
      fails(['fixtures/ab/users.csv', '--metric', 'ctr=clicks/views', '--mde', '2%'], /users\.csv: no column "views"/),
    ])
  })
})
