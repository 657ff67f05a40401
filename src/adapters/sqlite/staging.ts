import type { SqliteDatabase } from './connection.js';
import { EVENT_COLUMNS, ITEM_COLUMNS } from './rows.js';
import { ITEM_UPSERT_SET, USER_UPSERT_SET, type WriteStatements } from './writes.js';

/**
 * Where an import's rows wait until commit: TEMP tables of the import's own connection. They live in a temporary file
 * (SQLite's temp folder: SQLITE_TMPDIR, else /var/tmp or /tmp), not in the database, so staging never takes the
 * database's write lock, and they vanish when the connection closes or the process dies: a killed import leaves
 * nothing behind, with no cleanup to run.
 */
const CREATE_STAGING = `
  CREATE TEMP TABLE staged_items (
    id TEXT PRIMARY KEY, title TEXT, text TEXT, categories TEXT, tags TEXT, attributes TEXT,
    created_at INTEGER, expires_at INTEGER, hidden INTEGER
  );
  CREATE TEMP TABLE staged_users (id TEXT PRIMARY KEY, attributes TEXT, consent TEXT);
  -- seq keeps file order; the unique id makes a repeated id within one import a duplicate, as in the events table.
  CREATE TEMP TABLE staged_events (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, item_id TEXT NOT NULL,
    type TEXT NOT NULL, value REAL, ts INTEGER NOT NULL, text TEXT, sentiment REAL
  );
`;

// An event is staged only when its id is neither staged nor stored; the publish re-checks (INSERT OR IGNORE), since
// an API write may store the same id in between.
const STAGE_EVENT = `INSERT OR IGNORE INTO temp.staged_events (${EVENT_COLUMNS})
  SELECT v.* FROM (SELECT ? AS id, ? AS user_id, ? AS item_id, ? AS type, ? AS value, ? AS ts, ? AS text, ? AS sentiment) AS v
  WHERE NOT EXISTS (SELECT 1 FROM main.events AS e WHERE e.id = v.id)`;

/**
 * Creates the staging tables on an import connection and prepares the statements that write into them.
 *
 * @example const staged = createStaging(db); writeEvents(staged, rows);
 */
export function createStaging(db: SqliteDatabase): WriteStatements {
  db.exec(CREATE_STAGING);
  return {
    upsertItem: db.prepare(`INSERT INTO temp.staged_items (${ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ${ITEM_UPSERT_SET}`),
    upsertUser: db.prepare(`INSERT INTO temp.staged_users (id, attributes, consent) VALUES (?, ?, ?) ${USER_UPSERT_SET}`),
    insertEvent: db.prepare(STAGE_EVENT),
  };
}

/**
 * Copies everything staged into the live tables; call inside one IMMEDIATE transaction, which is what makes the
 * import all or nothing. Items and users before events; events in file order. Returns the events stored now.
 * (`WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.)
 */
export function publishStaged(db: SqliteDatabase): number {
  db.prepare(`INSERT INTO main.items (${ITEM_COLUMNS}) SELECT ${ITEM_COLUMNS} FROM temp.staged_items WHERE true ${ITEM_UPSERT_SET}`).run();
  db.prepare(`INSERT INTO main.users (id, attributes, consent) SELECT id, attributes, consent FROM temp.staged_users WHERE true ${USER_UPSERT_SET}`).run();
  return db.prepare(`INSERT OR IGNORE INTO main.events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM temp.staged_events ORDER BY seq`).run().changes;
}
