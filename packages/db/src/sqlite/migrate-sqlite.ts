// Applies the committed SQLite migrations with foreign keys off. Drizzle rebuilds a table to
// alter it (CREATE `__new_x`, copy, DROP `x`, rename); its own `PRAGMA foreign_keys=OFF` inside
// the migration is a no-op within the migrator's transaction, so with foreign keys on the
// DROP deletes every row referencing `x` (cascades took orders' items and events) or refuses
// to run. SQLite's documented procedure is: foreign keys off, change the schema in one
// transaction, `PRAGMA foreign_key_check` before committing, foreign keys back on.
// The bookkeeping is drizzle's (table `__drizzle_migrations`, same columns and rule for what
// is pending), so databases migrated before keep working.
import type BetterSqlite3 from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";

const JOURNAL = "__drizzle_migrations";

interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
}

export function migrateSqlite(connection: BetterSqlite3.Database, migrationsFolder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  connection.exec(
    `CREATE TABLE IF NOT EXISTS "${JOURNAL}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  const last = connection.prepare(`SELECT created_at FROM "${JOURNAL}" ORDER BY created_at DESC LIMIT 1`).pluck().get();
  const pending = migrations.filter((migration) => last === undefined || Number(last) < migration.folderMillis);
  if (pending.length === 0) return;

  const record = connection.prepare(`INSERT INTO "${JOURNAL}" ("hash", "created_at") VALUES (?, ?)`);
  connection.pragma("foreign_keys = OFF"); // only takes effect outside a transaction
  try {
    connection.transaction(() => {
      for (const migration of pending) {
        for (const statement of migration.sql) connection.exec(statement);
        record.run(migration.hash, migration.folderMillis);
      }
      const violations = connection.pragma("foreign_key_check") as ForeignKeyViolation[];
      if (violations.length > 0) throw new Error(describeViolations(violations));
    })();
  } finally {
    connection.pragma("foreign_keys = ON");
  }
}

function describeViolations(violations: readonly ForeignKeyViolation[]): string {
  const pairs = [...new Set(violations.map((v) => `${v.table} → ${v.parent}`))].slice(0, 5).join(", ");
  return (
    `Migration rolled back: it would leave ${violations.length} row(s) whose foreign key points at a missing row ` +
    `(${pairs}). Fix the data or the migration; the database is unchanged.`
  );
}
