import GRDB

extension AppDatabase {
    /// Append-only: never edit a migration that has landed; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: users, repositories, push events") { db in
            try db.execute(sql: """
                CREATE TABLE user (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    is_admin INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL -- Unix seconds, UTC
                );
                CREATE TABLE repository (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    owner_id INTEGER NOT NULL REFERENCES user(id) ON DELETE RESTRICT,
                    name TEXT NOT NULL COLLATE NOCASE,
                    description TEXT NOT NULL DEFAULT '',
                    is_private INTEGER NOT NULL DEFAULT 0,
                    default_branch TEXT NOT NULL,
                    size_bytes INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    UNIQUE (owner_id, name)
                );
                CREATE TABLE push_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
                    ref TEXT NOT NULL,
                    old_commit TEXT NOT NULL,
                    new_commit TEXT NOT NULL,
                    pusher_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
                    pushed_at INTEGER NOT NULL
                );
                CREATE INDEX push_event_by_repository ON push_event (repository_id, id);
                """)
        }
        return migrator
    }
}
