/**
 * Numbered schema migrations. The database's `user_version` records the last one applied;
 * a migration is never edited once released, only followed by a new one.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'accounts, outbox, attempts, transcripts',
    sql: `
      CREATE TABLE accounts (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        email        TEXT NOT NULL,
        host         TEXT NOT NULL,
        port         INTEGER NOT NULL,
        security     TEXT NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
        username     TEXT NOT NULL,
        has_password INTEGER NOT NULL DEFAULT 0,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      );

      CREATE TABLE outbox (
        id             TEXT PRIMARY KEY,
        account_id     TEXT REFERENCES accounts(id) ON DELETE SET NULL,
        state          TEXT NOT NULL CHECK (state IN ('queued','sending','sent','deferred','failed','uncertain','cancelled')),
        message_id     TEXT NOT NULL,
        from_addr      TEXT NOT NULL,
        envelope_from  TEXT NOT NULL,
        recipients     TEXT NOT NULL,  -- JSON array of envelope recipients
        subject        TEXT NOT NULL,
        spool_file     TEXT NOT NULL,
        size           INTEGER NOT NULL,
        attempt_count  INTEGER NOT NULL DEFAULT 0,
        last_reply     TEXT,
        last_error     TEXT,           -- JSON AppError
        next_attempt_at INTEGER,
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
      );
      CREATE INDEX outbox_state ON outbox(state, next_attempt_at);

      CREATE TABLE attempts (
        id              TEXT PRIMARY KEY,
        outbox_id       TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
        started_at      INTEGER NOT NULL,
        ended_at        INTEGER,
        outcome         TEXT CHECK (outcome IN ('sent','failed','deferred','uncertain')),
        phase           TEXT NOT NULL,
        reply_code      INTEGER,
        enhanced_code   TEXT,
        response        TEXT,
        final_dot_sent  INTEGER NOT NULL DEFAULT 0,
        error           TEXT            -- JSON AppError
      );
      CREATE INDEX attempts_outbox ON attempts(outbox_id, started_at);

      CREATE TABLE transcript_lines (
        attempt_id TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        t_ms       REAL NOT NULL,
        dir        TEXT NOT NULL,
        text       TEXT NOT NULL,
        PRIMARY KEY (attempt_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'complete accounts: auth, EHLO name, timeouts, pins, default, identities, last EHLO',
    sql: `
      ALTER TABLE accounts ADD COLUMN auth TEXT NOT NULL DEFAULT 'auto';
      ALTER TABLE accounts ADD COLUMN ehlo_name TEXT NOT NULL DEFAULT '';
      ALTER TABLE accounts ADD COLUMN connect_timeout_ms INTEGER NOT NULL DEFAULT 30000;
      ALTER TABLE accounts ADD COLUMN greeting_timeout_ms INTEGER NOT NULL DEFAULT 30000;
      ALTER TABLE accounts ADD COLUMN socket_timeout_ms INTEGER NOT NULL DEFAULT 120000;
      ALTER TABLE accounts ADD COLUMN allow_plaintext_auth INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE accounts ADD COLUMN pinned_cert TEXT;       -- JSON PinnedCertificate
      ALTER TABLE accounts ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE accounts ADD COLUMN last_ehlo TEXT;         -- JSON { at, capabilities }
      ALTER TABLE accounts ADD COLUMN last_test TEXT;         -- JSON { at, ok, summary }
      UPDATE accounts SET is_default = 1 WHERE id = (SELECT id FROM accounts ORDER BY created_at, id LIMIT 1);

      CREATE TABLE identities (
        id           TEXT PRIMARY KEY,
        account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        position     INTEGER NOT NULL,
        from_name    TEXT NOT NULL,
        from_address TEXT NOT NULL,
        reply_to     TEXT NOT NULL DEFAULT '',
        signature    TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX identities_account ON identities(account_id, position);
      INSERT INTO identities (id, account_id, position, from_name, from_address)
        SELECT lower(hex(randomblob(16))), id, 0, name, email FROM accounts;

      ALTER TABLE outbox ADD COLUMN identity_id TEXT;
    `,
  },
  {
    version: 3,
    name: 'outbox: per-recipient delivery, lifetime, the draft for undo and edit-as-new',
    sql: `
      ALTER TABLE outbox ADD COLUMN delivered TEXT NOT NULL DEFAULT '[]';  -- JSON addresses accepted
      ALTER TABLE outbox ADD COLUMN rejected TEXT NOT NULL DEFAULT '[]';   -- JSON [{ address, reply }]
      ALTER TABLE outbox ADD COLUMN pending TEXT;                          -- JSON addresses still to send; NULL = all
      ALTER TABLE outbox ADD COLUMN expires_at INTEGER;
      ALTER TABLE outbox ADD COLUMN draft TEXT;                            -- JSON DraftContent
      UPDATE outbox SET expires_at = created_at + 259200000 WHERE expires_at IS NULL;
    `,
  },
  {
    version: 4,
    name: 'accounts: connections at once',
    sql: `ALTER TABLE accounts ADD COLUMN max_connections INTEGER NOT NULL DEFAULT 2;`,
  },
  {
    version: 5,
    name: 'full-text search over subjects, addresses and transcripts',
    sql: `
      CREATE VIRTUAL TABLE log_search USING fts5(outbox_id UNINDEXED, subject, addresses, transcript, tokenize = 'unicode61');
      INSERT INTO log_search (outbox_id, subject, addresses, transcript)
        SELECT o.id, o.subject, o.from_addr || ' ' || replace(replace(replace(o.recipients, '[', ''), ']', ''), '"', ''),
               coalesce((SELECT group_concat(t.text, char(10)) FROM attempts a JOIN transcript_lines t ON t.attempt_id = a.id WHERE a.outbox_id = o.id), '')
        FROM outbox o;
    `,
  },
  {
    version: 6,
    name: 'attempts: connection facts',
    sql: `ALTER TABLE attempts ADD COLUMN facts TEXT;  -- JSON ConnectionFacts`,
  },
  {
    version: 7,
    name: 'outbox: newest-first listing without a full sort',
    sql: `
      CREATE INDEX outbox_created ON outbox(created_at);
      CREATE INDEX outbox_spool_file ON outbox(spool_file);
    `,
  },
  {
    version: 8,
    name: 'outbox: reach its search row by rowid, and the next due message without a sort',
    // FTS5 cannot index outbox_id, so finding a message's search row by it scanned the whole
    // index once per sent message. The row's FTS rowid is kept on the outbox row instead.
    // The partial index lists waiting messages in the order they go, so the sender's
    // "next due" is one index step even with thousands queued.
    sql: `
      ALTER TABLE outbox ADD COLUMN search_rowid INTEGER;
      UPDATE outbox SET search_rowid = s.rowid FROM log_search s WHERE s.outbox_id = outbox.id;
      CREATE INDEX outbox_due ON outbox(next_attempt_at, created_at) WHERE state IN ('queued', 'deferred');
    `,
  },
  {
    version: 9,
    name: 'composer: drafts, attachments, delivery status notifications',
    sql: `
      CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        content TEXT NOT NULL,          -- JSON DraftContent
        subject TEXT NOT NULL,          -- copies for the list, so it needs no JSON
        recipients TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX drafts_updated ON drafts(updated_at);
      CREATE TABLE attachments (
        id TEXT PRIMARY KEY,            -- also the file name under attachments/
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      ALTER TABLE outbox ADD COLUMN dsn TEXT;  -- JSON DsnRequest; NULL = none asked
    `,
  },
  {
    version: 10,
    name: 'attempts: transcripts indexed for search in batches',
    // 1 for everything already indexed; an attempt is set to 0 when its outcome is stored and
    // back to 1 when its transcript reaches the search index (see LogSearch).
    sql: `
      ALTER TABLE attempts ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
      CREATE INDEX attempts_unindexed ON attempts(id) WHERE indexed = 0;
    `,
  },
  {
    version: 11,
    name: 'settings: how long mail keeps retrying, connections across accounts',
    sql: `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);  -- JSON values`,
  },
  {
    version: 12,
    name: 'attempts: the transcript as one value on the attempt',
    // ~15 rows in their own index per attempt were a third of the cost of storing an outcome
    // while a batch goes out. Attempts stored before keep their rows in transcript_lines.
    sql: `ALTER TABLE attempts ADD COLUMN lines TEXT;  -- JSON TranscriptLine[]`,
  },
  {
    version: 13,
    name: 'accounts: the provider an OAuth account signs in with',
    sql: `ALTER TABLE accounts ADD COLUMN oauth_provider TEXT;  -- NULL unless auth = 'OAUTH2'`,
  },
  {
    version: 14,
    name: 'accounts: a sign-in the provider no longer accepts',
    sql: `ALTER TABLE accounts ADD COLUMN sign_in_needed TEXT;  -- JSON { at, message } until the person signs in again`,
  },
  {
    version: 15,
    name: 'outbox: direct delivery, one leg per recipient domain',
    sql: `ALTER TABLE outbox ADD COLUMN route TEXT;       -- NULL: through the account; 'direct': to the domain's MX
          ALTER TABLE outbox ADD COLUMN leg_domain TEXT;  -- direct: the recipients' domain (A-label)
          ALTER TABLE outbox ADD COLUMN leg_of TEXT;      -- direct: the id of the message's first leg`,
  },
  {
    version: 16,
    name: 'spool: small messages kept in the database, committed with their row',
    // A message up to INLINE_MAX_BYTES is made durable by the one flush of its row's commit,
    // instead of a file flush, a folder flush and the commit. Larger ones stay files.
    sql: `CREATE TABLE spool_inline (
            name  TEXT PRIMARY KEY,  -- the outbox row's spool_file, <id>.eml
            bytes BLOB NOT NULL      -- the frozen message, exactly as it is sent
          );`,
  },
];
