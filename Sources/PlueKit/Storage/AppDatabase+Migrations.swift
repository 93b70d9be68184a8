import GRDB

extension AppDatabase {
    /// Append-only: never edit a migration that has landed; add a new one.
    /// Built once per process: every open reads its count.
    static let migrator: DatabaseMigrator = {
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
        migrator.registerMigration("v2: ssh keys, deploy keys, collaborators, settings") { db in
            try db.execute(sql: """
                CREATE TABLE ssh_key (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    -- exactly one of user_id (an account's key) and repository_id (a deploy key)
                    user_id INTEGER REFERENCES user(id) ON DELETE CASCADE,
                    repository_id INTEGER REFERENCES repository(id) ON DELETE CASCADE,
                    can_write INTEGER NOT NULL DEFAULT 0,
                    title TEXT NOT NULL,
                    key_type TEXT NOT NULL,
                    blob TEXT NOT NULL UNIQUE, -- base64 of the key; one key, one owner, forge-wide
                    fingerprint TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    CHECK ((user_id IS NULL) <> (repository_id IS NULL))
                );
                CREATE INDEX ssh_key_by_user ON ssh_key (user_id);
                CREATE INDEX ssh_key_by_repository ON ssh_key (repository_id);
                CREATE TABLE collaborator (
                    repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
                    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    permission TEXT NOT NULL CHECK (permission IN ('read', 'write', 'admin')),
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (repository_id, user_id)
                );
                CREATE TABLE setting (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                ALTER TABLE push_event ADD COLUMN deploy_key_id INTEGER;
                """)
        }
        migrator.registerMigration("v3: agent sessions and their operation log") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    id TEXT PRIMARY KEY,
                    repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
                    title TEXT NOT NULL DEFAULT '',
                    base_branch TEXT NOT NULL,
                    base_commit TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'aborted', 'closed')),
                    head_operation_id INTEGER,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX session_by_repository ON session (repository_id);
                CREATE TABLE operation (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    parent_id INTEGER REFERENCES operation(id),
                    kind TEXT NOT NULL,
                    description TEXT NOT NULL,
                    -- the view this operation leaves: the working-copy commit (its first-parent chain
                    -- back to the base commit holds every change head)
                    working_copy TEXT NOT NULL,
                    -- for undo, redo and restore: the operation undone, redone or restored
                    target_id INTEGER REFERENCES operation(id),
                    -- the turns whose messages this view shows, in order: "1,2,5"
                    visible_turns TEXT NOT NULL DEFAULT '',
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX operation_by_session ON operation (session_id, id);
                CREATE TABLE turn (
                    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    prompt TEXT NOT NULL,
                    command TEXT, -- the agent's command line, one argument per line; NULL when none ran
                    reply TEXT NOT NULL DEFAULT '',
                    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'timeout', 'aborted')),
                    exit_status INTEGER,
                    process_group INTEGER,
                    start_operation_id INTEGER REFERENCES operation(id), -- the view before the turn
                    end_operation_id INTEGER REFERENCES operation(id),   -- the view it left
                    started_at INTEGER NOT NULL,
                    finished_at INTEGER,
                    PRIMARY KEY (session_id, number)
                );
                """)
        }
        migrator.registerMigration("v4: the landing queue; sessions can be landed") { db in
            // SQLite cannot change a CHECK constraint in place: rebuild the session table (the
            // migrator runs with foreign keys off and checks them afterwards).
            try db.execute(sql: """
                CREATE TABLE session_v4 (
                    id TEXT PRIMARY KEY,
                    repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
                    title TEXT NOT NULL DEFAULT '',
                    base_branch TEXT NOT NULL,
                    base_commit TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'aborted', 'closed', 'landed')),
                    head_operation_id INTEGER,
                    created_at INTEGER NOT NULL
                );
                INSERT INTO session_v4 (id, repository_id, title, base_branch, base_commit, status, head_operation_id, created_at)
                    SELECT id, repository_id, title, base_branch, base_commit, status, head_operation_id, created_at FROM session;
                DROP TABLE session;
                ALTER TABLE session_v4 RENAME TO session;
                CREATE INDEX session_by_repository ON session (repository_id);
                CREATE TABLE land_entry (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
                    source_kind TEXT NOT NULL CHECK (source_kind IN ('session', 'branch')),
                    source_name TEXT NOT NULL, -- a session id or a branch name
                    target_branch TEXT NOT NULL,
                    strategy TEXT NOT NULL CHECK (strategy IN ('rebase', 'merge', 'squash')),
                    message TEXT,
                    head_commit TEXT NOT NULL, -- the source's head when queued: exactly this lands
                    requested_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'checking', 'landed', 'conflicted', 'stale', 'failed', 'cancelled')),
                    reason TEXT NOT NULL DEFAULT '',
                    built_on TEXT,      -- the target tip the newest result was built on
                    result_commit TEXT, -- that result (refs/plue/land/ID)
                    attempts INTEGER NOT NULL DEFAULT 0,
                    queued_at INTEGER NOT NULL,
                    started_at INTEGER,
                    finished_at INTEGER
                );
                CREATE INDEX land_entry_by_repository ON land_entry (repository_id, state, id);
                CREATE TABLE land_conflict (
                    entry_id INTEGER NOT NULL REFERENCES land_entry(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    PRIMARY KEY (entry_id, position)
                );
                """)
        }
        migrator.registerMigration("v5: sessions an agent can trust") { db in
            // The turn table is rebuilt for its CHECK constraint, as v4 rebuilt the session table.
            try db.execute(sql: """
                ALTER TABLE session ADD COLUMN max_new_file_size INTEGER; -- NULL: the default limit
                -- for undo and redo: the operation whose view was brought back (as Jujutsu records it)
                ALTER TABLE operation ADD COLUMN restored_id INTEGER REFERENCES operation(id);
                -- permission bits git trees cannot hold: "0600 path" lines, one per file whose bits are
                -- neither 0644 nor 0755
                ALTER TABLE operation ADD COLUMN modes TEXT NOT NULL DEFAULT '';
                UPDATE operation SET restored_id = (SELECT undone.parent_id FROM operation AS undone WHERE undone.id = operation.target_id)
                    WHERE kind = 'undo';
                UPDATE operation SET restored_id = target_id WHERE kind = 'redo';
                CREATE TABLE turn_v5 (
                    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    prompt TEXT NOT NULL,
                    command TEXT,
                    reply TEXT NOT NULL DEFAULT '',
                    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'timeout', 'aborted', 'interrupted')),
                    exit_status INTEGER,
                    process_group INTEGER,
                    -- the plue process running the turn and its command's group leader, each with its
                    -- start time (field 22 of /proc/PID/stat), so a reused pid is never taken for them
                    runner_pid INTEGER,
                    runner_start INTEGER,
                    group_start INTEGER,
                    -- the files the turn changed: a JSON array of {"status", "path", "size"}
                    changed_files TEXT NOT NULL DEFAULT '[]',
                    start_operation_id INTEGER REFERENCES operation(id),
                    end_operation_id INTEGER REFERENCES operation(id),
                    started_at INTEGER NOT NULL,
                    finished_at INTEGER,
                    PRIMARY KEY (session_id, number)
                );
                INSERT INTO turn_v5 (session_id, number, prompt, command, reply, state, exit_status, process_group,
                                     start_operation_id, end_operation_id, started_at, finished_at)
                    SELECT session_id, number, prompt, command, reply, state, exit_status, process_group,
                           start_operation_id, end_operation_id, started_at, finished_at FROM turn;
                DROP TABLE turn;
                ALTER TABLE turn_v5 RENAME TO turn;
                -- a move of a working directory begun and not yet recorded: the next command finishes it
                CREATE TABLE pending_checkout (
                    session_id TEXT PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
                    parent_id INTEGER NOT NULL REFERENCES operation(id), -- the head operation it started from
                    from_commit TEXT NOT NULL,
                    to_commit TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    description TEXT NOT NULL,
                    target_id INTEGER,
                    restored_id INTEGER,
                    visible_turns TEXT NOT NULL DEFAULT '',
                    modes TEXT NOT NULL DEFAULT '',
                    started_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v6: session owners") { db in
            // SQLite adds a column with REFERENCES only when its default is NULL, which it is here:
            // sessions started before owners existed were the operator's.
            try db.execute(sql: """
                ALTER TABLE session ADD COLUMN owner_id INTEGER REFERENCES user(id) ON DELETE SET NULL; -- NULL: the operator's
                CREATE INDEX session_by_owner ON session (owner_id);
                """)
        }
        migrator.registerMigration("v7: api tokens and audit events") { db in
            // Self-contained: it reads no table or column a migration after v5 adds.
            try db.execute(sql: """
                CREATE TABLE api_token (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    name TEXT NOT NULL COLLATE NOCASE,
                    -- SHA-256 of the whole token as 64 lower-case hex digits; the token itself is never stored
                    secret_sha256 TEXT NOT NULL,
                    scopes TEXT NOT NULL, -- "read:repository,write:user"
                    -- 1: only the repositories in api_token_repository; when every one of them is
                    -- deleted the token reaches none, never all
                    repository_limited INTEGER NOT NULL DEFAULT 0,
                    -- only this session; no foreign key, so the limit outlives the session
                    session_id TEXT,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    revoked_at INTEGER,
                    last_used_at INTEGER,
                    UNIQUE (user_id, name)
                );
                CREATE UNIQUE INDEX api_token_by_secret ON api_token (secret_sha256);
                CREATE TABLE api_token_repository (
                    token_id INTEGER NOT NULL REFERENCES api_token(id) ON DELETE CASCADE,
                    repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
                    PRIMARY KEY (token_id, repository_id)
                );
                CREATE INDEX api_token_repository_by_repository ON api_token_repository (repository_id);
                -- refused requests; no foreign keys, so the log outlives the tokens and users it names
                CREATE TABLE audit_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time INTEGER NOT NULL,
                    token_id INTEGER,
                    user_name TEXT NOT NULL,
                    route TEXT NOT NULL,
                    scope_needed TEXT NOT NULL,
                    remote_address TEXT,
                    outcome TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v8: registered agents") { db in
            // The commands a turn started over HTTP may run: the request names one, never a command line.
            try db.execute(sql: """
                CREATE TABLE agent (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    command TEXT NOT NULL, -- a JSON array of strings: the program, then its arguments
                    environment TEXT NOT NULL DEFAULT '', -- names of plue's variables passed on, one a line
                    timeout_seconds INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v9: workflows, their runs and the job queue; branch protection") { db in
            try db.execute(sql: """
                -- How far each consumer of push events has read: the trigger moves its cursor in the
                -- same transaction as the runs it creates, so each push starts its runs exactly once.
                CREATE TABLE event_cursor (
                    consumer TEXT PRIMARY KEY,
                    last_event_id INTEGER NOT NULL
                );
                -- Pushes made before workflows existed start nothing.
                INSERT INTO event_cursor (consumer, last_event_id) SELECT 'workflows', COALESCE(MAX(id), 0) FROM push_event;
                CREATE TABLE workflow_run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
                    workflow_path TEXT NOT NULL,
                    workflow_name TEXT NOT NULL,
                    event TEXT NOT NULL CHECK (event IN ('push', 'land', 'manual')),
                    ref TEXT NOT NULL,
                    commit_id TEXT NOT NULL,
                    push_event_id INTEGER, -- the push that started it; no foreign key, runs outlive nothing they name
                    land_entry_id INTEGER, -- the land entry whose result it checks
                    requested_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'success', 'failure', 'cancelled', 'timed_out', 'skipped')),
                    error TEXT, -- why the file could not run: path:line: reason
                    created_ms INTEGER NOT NULL,
                    started_ms INTEGER,
                    finished_ms INTEGER,
                    UNIQUE (push_event_id, workflow_path)
                );
                CREATE INDEX workflow_run_by_repository ON workflow_run (repository_id, id);
                CREATE INDEX workflow_run_by_land ON workflow_run (land_entry_id, commit_id);
                CREATE TABLE workflow_job (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES workflow_run(id) ON DELETE CASCADE,
                    job_key TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    definition TEXT NOT NULL, -- the job as JSON, fixed when the run was created
                    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'success', 'failure', 'cancelled', 'timed_out', 'skipped')),
                    reason TEXT NOT NULL DEFAULT '',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    runner TEXT,          -- who holds the lease
                    lease_until_ms INTEGER,
                    cancel_requested INTEGER NOT NULL DEFAULT 0,
                    created_ms INTEGER NOT NULL,
                    started_ms INTEGER,
                    finished_ms INTEGER,
                    UNIQUE (run_id, job_key)
                );
                CREATE INDEX workflow_job_by_status ON workflow_job (status, id);
                CREATE TABLE workflow_job_need (
                    job_id INTEGER NOT NULL REFERENCES workflow_job(id) ON DELETE CASCADE,
                    needed_id INTEGER NOT NULL REFERENCES workflow_job(id) ON DELETE CASCADE,
                    PRIMARY KEY (job_id, needed_id)
                );
                CREATE TABLE workflow_step (
                    job_id INTEGER NOT NULL REFERENCES workflow_job(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'success', 'failure', 'cancelled', 'timed_out', 'skipped')),
                    exit_code INTEGER,
                    started_ms INTEGER,
                    finished_ms INTEGER,
                    PRIMARY KEY (job_id, position)
                );
                -- Output as it comes, a line a row; attempt: a job retried after its runner died keeps
                -- the earlier attempt's lines.
                CREATE TABLE workflow_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    job_id INTEGER NOT NULL REFERENCES workflow_job(id) ON DELETE CASCADE,
                    attempt INTEGER NOT NULL,
                    step INTEGER NOT NULL, -- 0: the runner's own lines (checkout, outcome)
                    time_ms INTEGER NOT NULL,
                    text TEXT NOT NULL
                );
                CREATE INDEX workflow_log_by_job ON workflow_log (job_id, id);
                -- Workflows that must succeed on a land's result before the land moves the branch.
                CREATE TABLE branch_protection (
                    repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
                    branch TEXT NOT NULL,
                    workflow TEXT NOT NULL,
                    PRIMARY KEY (repository_id, branch, workflow)
                );
                """)
        }
        return migrator
    }()
}
