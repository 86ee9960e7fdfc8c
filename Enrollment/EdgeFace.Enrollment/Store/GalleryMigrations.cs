namespace EdgeFace.Enrollment.Store;

/// <summary>
/// The SQLite gallery schema as numbered migrations. Migration N runs in its own transaction together with
/// its row in <c>schema_migrations</c>, so a gallery is always at exactly one version. Never edit a published
/// migration: add the next one.
/// </summary>
internal static class GalleryMigrations
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "identities and templates", """
            CREATE TABLE gallery_meta (
                key   TEXT PRIMARY KEY,
                value BLOB NOT NULL
            );
            CREATE TABLE identities (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                name_index   BLOB NOT NULL UNIQUE,   -- keyed HMAC of the normalised name (blind index)
                display_name BLOB NOT NULL,          -- AES-GCM
                metadata     BLOB,                   -- AES-GCM JSON, optional
                created_utc  TEXT NOT NULL,
                updated_utc  TEXT NOT NULL
            );
            CREATE TABLE templates (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                identity_id  INTEGER NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
                kind         TEXT NOT NULL CHECK (kind IN ('face', 'signature')),
                is_aggregate INTEGER NOT NULL CHECK (is_aggregate IN (0, 1)),
                dim          INTEGER NOT NULL,
                embedding    BLOB NOT NULL,          -- AES-GCM float32 little-endian
                quality      TEXT NOT NULL,          -- JSON of SampleQuality (measurements, not personal data)
                model_id     TEXT NOT NULL,
                model_sha256 TEXT NOT NULL,
                source       BLOB NOT NULL,          -- AES-GCM (file names can be personal)
                image        BLOB,                   -- AES-GCM, only when the operator opted in
                created_utc  TEXT NOT NULL
            );
            CREATE INDEX templates_by_identity ON templates (identity_id, kind, is_aggregate);
            """),
        (2, "append-only audit log", """
            CREATE TABLE audit_log (
                seq        INTEGER PRIMARY KEY,
                utc        TEXT NOT NULL,
                actor      TEXT NOT NULL,
                action     TEXT NOT NULL,
                outcome    TEXT NOT NULL,
                subject_id INTEGER,                  -- identity id, never a name
                score      REAL,
                threshold  REAL,
                model_id   TEXT,
                quality    TEXT,
                detail     TEXT,
                prev_hash  BLOB NOT NULL,
                hash       BLOB NOT NULL,
                mac        BLOB NOT NULL
            );
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
            """),
    ];

    public static int Latest => All[^1].Version;
}
