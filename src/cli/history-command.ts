import {Command, Flags} from '@oclif/core'
import {BaseCommand} from './base.js'
import {dbPath} from '../history/location.js'
import type {RunStore} from '../history/store.js'

/**
 * The base of commands that read the run database (`runs`, `gate`, `report weekly`): the
 * shared error policy of BaseCommand, `--db` instead of the input-file flags, and a store
 * opened on first use (so `gate a.json --baseline b.json` never touches SQLite).
 */
export abstract class HistoryCommand<T extends typeof Command> extends BaseCommand<T> {
  // These commands read no tables, so the input flags (--format, --drop-invalid) are replaced
  // by --db. TypeScript wants a subclass's static side to keep the base's flag types; the cast
  // only affects that check (commands read --db through dbFlag()).
  static override baseFlags = {
    db: Flags.string({description: 'run database [default: $RECEVAL_DB, else ./receval.sqlite]', helpGroup: 'HISTORY'}),
  } as unknown as (typeof BaseCommand)['baseFlags']

  /** --db as given. */
  protected dbFlag(): string | undefined {
    return (this.flags as unknown as {db?: string}).db
  }

  private opened?: RunStore

  /** The run database, opened (and upgraded when older) on first use; it must exist. */
  protected async store(): Promise<RunStore> {
    if (!this.opened) {
      const {RunStore} = await import('../history/store.js')
      this.opened = await RunStore.open(dbPath(this.dbFlag()), {create: false, recevalVersion: this.config.version})
    }
    return this.opened
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    this.opened?.close()
    return super.finally(err)
  }
}
