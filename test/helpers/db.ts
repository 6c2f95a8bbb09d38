import Database from 'better-sqlite3'

/** Open a database directly (bypassing receval) to look at or tamper with it in tests. */
export function sqlite(file: string): Database.Database {
  return new Database(file)
}

/** Every run's id, command and tags (as an object), read straight from the tables. */
export function runsIn(file: string): {id: number; command: string; tags: Record<string, string>; inputs: number; result: string}[] {
  const db = sqlite(file)
  try {
    return (db
      .prepare(
        "SELECT id, command, (SELECT json_group_object(key, value) FROM run_tags WHERE run_id = runs.id) AS tags, (SELECT count(*) FROM run_inputs WHERE run_id = runs.id) AS inputs, result FROM runs ORDER BY id",
      )
      .all() as {id: number; command: string; tags: string; inputs: number; result: string}[]).map((r) => ({...r, tags: JSON.parse(r.tags)}))
  } finally {
    db.close()
  }
}
