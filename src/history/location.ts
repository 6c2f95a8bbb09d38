/** The default run database file, relative to the working directory. */
export const DEFAULT_DB = 'receval.sqlite'

/** The run database to use: `--db FILE`, else $RECEVAL_DB, else ./receval.sqlite. */
export function dbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return flag
  const fromEnv = env.RECEVAL_DB
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  return DEFAULT_DB
}
