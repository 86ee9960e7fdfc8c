using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Security;
using EdgeFace.Runtime;
using Microsoft.Data.Sqlite;

namespace EdgeFace.Enrollment.Store;

/// <summary>How to open a SQLite gallery.</summary>
public sealed record SqliteGalleryOptions
{
    /// <summary>Create the file (and schema) when it does not exist; otherwise a missing file is an error.</summary>
    public bool CreateIfMissing { get; init; }

    /// <summary>How long a write waits for another process's transaction before "gallery is locked" (default 5 s).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The default gallery: one SQLite file in WAL mode (readers never block the writer), synchronous=FULL,
/// foreign keys, <c>secure_delete</c>, versioned migrations. Names, metadata, embeddings, sources and images
/// are AES-GCM encrypted per value (<see cref="FieldCipher"/>); a key-check value makes a wrong key a clear
/// error. Every write is one IMMEDIATE transaction including its audit record. Thread-safe: one connection
/// behind a lock. Owns the connection and keys; dispose it.
/// </summary>
public sealed class SqliteGalleryStore : IGalleryStore
{
    private const string KeyCheckText = "edgeface gallery key check v1";
    private readonly Lock _gate = new();
    private readonly SqliteConnection _db;
    private readonly TimeSpan _busyTimeout;
    private readonly byte[] _galleryId;
    private FieldCipher _cipher;
    private byte[] _auditKey;

    public string Location { get; }

    /// <summary>The schema version of the open file (always <see cref="GalleryMigrations.Latest"/> after opening).</summary>
    public int SchemaVersion { get; }

    private SqliteGalleryStore(SqliteConnection db, string location, TimeSpan busyTimeout, byte[] galleryId, FieldCipher cipher, byte[] auditKey, int schema)
    {
        _db = db;
        Location = location;
        _busyTimeout = busyTimeout;
        _galleryId = galleryId;
        _cipher = cipher;
        _auditKey = auditKey;
        SchemaVersion = schema;
    }

    /// <summary>Opens (or creates) the gallery at <paramref name="path"/>, migrating it and checking the key.</summary>
    public static SqliteGalleryStore Open(string path, GalleryKey key, SqliteGalleryOptions? options = null)
    {
        options ??= new SqliteGalleryOptions();
        var full = Path.GetFullPath(path);
        var exists = File.Exists(full);
        if (!exists && !options.CreateIfMissing) throw new EdgeFaceException($"gallery {path} does not exist (check --gallery)");
        if (!exists && !Directory.Exists(Path.GetDirectoryName(full))) throw new EdgeFaceException($"cannot create gallery {path}: folder {Path.GetDirectoryName(full)} does not exist");
        if (exists) CheckFileHeader(full, path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = options.CreateIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        var db = new SqliteConnection(builder.ToString());
        try
        {
            db.Open();
            Exec(db, null, $"PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;");
            var schema = Migrate(db, path);
            var mode = Scalar(db, null, "PRAGMA journal_mode = WAL") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase)) throw new EdgeFaceException($"gallery {path}: could not switch to WAL journaling (got '{mode}')");
            Exec(db, null, "PRAGMA synchronous = FULL;");
            var (galleryId, cipher, auditKey) = UnlockOrInitialise(db, key, path);
            return new SqliteGalleryStore(db, path, options.BusyTimeout, galleryId, cipher, auditKey, schema);
        }
        catch (SqliteException e)
        {
            db.Dispose();
            throw SqliteErrors.Describe(e, path, options.BusyTimeout);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses files that are not SQLite, and SQLite files shorter than their header says (truncated copies),
    /// before SQLite touches them.
    /// </summary>
    private static void CheckFileHeader(string full, string path)
    {
        var header = new byte[100];
        long length;
        using (var f = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            length = f.Length;
            if (length == 0) return;
            if (f.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.AsSpan(0, 16).SequenceEqual("SQLite format 3\0"u8))
                throw new EdgeFaceException($"{path} is not an EdgeFace gallery (not a SQLite database file)");
        }
        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16));
        var bytesPerPage = pageSize == 1 ? 65536L : pageSize;
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24));
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        if (validFor == changeCounter && pages > 0 && length < pages * bytesPerPage)
            throw new EdgeFaceException($"gallery {path} is truncated ({length} of {pages * bytesPerPage} bytes); restore it from a backup or an exported bundle");
    }

    private static int Migrate(SqliteConnection db, string path)
    {
        var hasTable = Convert.ToInt64(Scalar(db, null, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")) > 0;
        if (!hasTable)
        {
            var others = Convert.ToInt64(Scalar(db, null, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"));
            if (others > 0) throw new EdgeFaceException($"{path} is a SQLite database but not an EdgeFace gallery");
            Exec(db, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_utc TEXT NOT NULL)");
        }
        var current = Convert.ToInt32(Scalar(db, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
        if (current > GalleryMigrations.Latest)
            throw new EdgeFaceException($"gallery {path} has schema version {current}, newer than this EdgeFace supports ({GalleryMigrations.Latest}); upgrade EdgeFace");
        foreach (var (version, name, sql) in GalleryMigrations.All.Where(m => m.Version > current))
        {
            using var tx = db.BeginTransaction();
            // Re-read inside the write lock: another process may have migrated meanwhile.
            if (Convert.ToInt32(Scalar(db, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) >= version) { tx.Rollback(); continue; }
            Exec(db, tx, sql);
            Exec(db, tx, "INSERT INTO schema_migrations (version, name, applied_utc) VALUES ($v, $n, $t)",
                ("$v", version), ("$n", name), ("$t", AuditChain.FormatTime(DateTimeOffset.UtcNow)));
            tx.Commit();
        }
        return GalleryMigrations.Latest;
    }

    private static (byte[] GalleryId, FieldCipher Cipher, byte[] AuditKey) UnlockOrInitialise(SqliteConnection db, GalleryKey key, string path)
    {
        using var tx = db.BeginTransaction();
        var galleryId = Scalar(db, tx, "SELECT value FROM gallery_meta WHERE key = 'gallery_id'") as byte[];
        if (galleryId is null)
        {
            galleryId = RandomNumberGenerator.GetBytes(16);
            var fresh = new FieldCipher(key, galleryId);
            var auditKey = RandomNumberGenerator.GetBytes(32);
            SetMeta(db, tx, "gallery_id", galleryId);
            SetMeta(db, tx, "key_check", fresh.EncryptText(KeyCheckText, "gallery_meta", "key_check", 0));
            SetMeta(db, tx, "audit_key", fresh.Encrypt(auditKey, "gallery_meta", "audit_key", 0));
            tx.Commit();
            return (galleryId, fresh, auditKey);
        }
        var cipher = new FieldCipher(key, galleryId);
        var check = Scalar(db, tx, "SELECT value FROM gallery_meta WHERE key = 'key_check'") as byte[];
        if (check is null || !cipher.TryDecrypt(check, "gallery_meta", "key_check", 0, out var text) || Encoding.UTF8.GetString(text) != KeyCheckText)
        {
            cipher.Dispose();
            throw new EdgeFaceException($"wrong gallery key for {path} (key from {key.Origin})");
        }
        var wrapped = Scalar(db, tx, "SELECT value FROM gallery_meta WHERE key = 'audit_key'") as byte[]
            ?? throw new EdgeFaceException($"gallery {path} is damaged: its audit key is missing");
        var audit = cipher.Decrypt(wrapped, "gallery_meta", "audit_key", 0);
        tx.Commit();
        return (galleryId, cipher, audit);
    }

    // ---- IGalleryStore -------------------------------------------------------------------------------

    public IdentityRecord Enroll(string displayName, string? metadataJson, TemplateKind kind, IReadOnlyList<BiometricSample> samples, AuditEntry audit)
    {
        GalleryRules.ValidateName(displayName);
        GalleryRules.ValidateMetadata(metadataJson);
        GalleryRules.ValidateSamples(displayName.Trim(), kind, samples, null);
        return Write(tx =>
        {
            if (FindIdentityId(tx, displayName) is not null) throw new EdgeFaceException($"'{displayName.Trim()}' is already enrolled");
            var id = InsertIdentity(tx, displayName.Trim(), metadataJson, DateTimeOffset.UtcNow);
            InsertSamples(tx, id, kind, samples);
            Append(tx, audit with { SubjectId = id });
            return ReadIdentity(tx, id)!;
        });
    }

    public IReadOnlyList<StoredTemplate> AddTemplates(long identityId, TemplateKind kind, IReadOnlyList<BiometricSample> samples, AuditEntry audit, bool replace = false) =>
        Write(tx =>
        {
            var identity = ReadIdentity(tx, identityId) ?? throw new EdgeFaceException($"identity {identityId} does not exist");
            var existing = replace ? null : ReadTemplates(tx, "identity_id = $id AND kind = $kind AND is_aggregate = 1", ("$id", identityId), ("$kind", kind.ToText())).FirstOrDefault();
            GalleryRules.ValidateSamples(identity.DisplayName, kind, samples, existing);
            if (replace) Exec(_db, tx, "DELETE FROM templates WHERE identity_id = $id AND kind = $kind", ("$id", identityId), ("$kind", kind.ToText()));
            InsertSamples(tx, identityId, kind, samples);
            Exec(_db, tx, "UPDATE identities SET updated_utc = $t WHERE id = $id", ("$t", AuditChain.FormatTime(DateTimeOffset.UtcNow)), ("$id", identityId));
            Append(tx, audit with { SubjectId = identityId });
            return TemplatesOf(tx, identityId, kind);
        });

    public IdentityRecord? FindIdentity(string displayName) => Read(() => FindIdentityId(null, displayName) is { } id ? ReadIdentity(null, id) : null);

    public IdentityRecord? GetIdentity(long identityId) => Read(() => ReadIdentity(null, identityId));

    public IReadOnlyList<IdentityRecord> ListIdentities() => Read(() =>
    {
        var ids = new List<long>();
        Query(null, "SELECT id FROM identities ORDER BY id", [], r => ids.Add(r.GetInt64(0)));
        return (IReadOnlyList<IdentityRecord>)ids.Select(id => ReadIdentity(null, id)!).ToList();
    });

    public IReadOnlyList<StoredTemplate> GetTemplates(long identityId, TemplateKind kind) => Read(() => TemplatesOf(null, identityId, kind));

    public IReadOnlyList<StoredTemplate> GetAggregates(TemplateKind kind) =>
        Read(() => ReadTemplates(null, "kind = $kind AND is_aggregate = 1 ORDER BY identity_id", ("$kind", kind.ToText())));

    public IReadOnlyList<TemplateSummary> Summarise() => Read(() =>
    {
        var list = new List<TemplateSummary>();
        Query(null, """
            SELECT a.identity_id, a.kind, a.model_id, a.model_sha256, a.dim,
                   (SELECT COUNT(*) FROM templates s WHERE s.identity_id = a.identity_id AND s.kind = a.kind AND s.is_aggregate = 0)
            FROM templates a WHERE a.is_aggregate = 1 ORDER BY a.identity_id, a.kind
            """, [], r =>
            list.Add(new TemplateSummary(r.GetInt64(0), TemplateKinds.Parse(r.GetString(1)), new ModelBinding(r.GetString(2), r.GetString(3)), r.GetInt32(5), r.GetInt32(4))));
        return (IReadOnlyList<TemplateSummary>)list;
    });

    public byte[]? GetSampleImage(long templateId) => Read(() =>
        Scalar(_db, null, "SELECT image FROM templates WHERE id = $id", ("$id", templateId)) is byte[] blob
            ? _cipher.Decrypt(blob, "templates", "image", templateId)
            : null);

    public bool RemoveIdentity(long identityId, AuditEntry audit)
    {
        var removed = Write(tx =>
        {
            if (Exec(_db, tx, "DELETE FROM identities WHERE id = $id", ("$id", identityId)) == 0) return false;
            Append(tx, audit with { SubjectId = identityId });
            return true;
        });
        // WAL frames still hold the deleted pages' old images until a checkpoint copies them back (zeroed by secure_delete).
        if (removed) Checkpoint();
        return removed;
    }

    public IReadOnlyList<IdentityRecord> Import(IReadOnlyList<IdentityImport> identities, bool replaceExisting, AuditEntry audit)
    {
        foreach (var item in identities)
        {
            GalleryRules.ValidateName(item.DisplayName);
            GalleryRules.ValidateMetadata(item.MetadataJson);
            foreach (var group in item.Samples.GroupBy(s => s.Kind))
                GalleryRules.ValidateSamples(item.DisplayName, group.Key, group.Select(s => s.Sample).ToList(), null);
        }
        var names = identities.Select(i => FieldCipher.NormaliseName(i.DisplayName)).ToList();
        if (names.Distinct().Count() != names.Count) throw new EdgeFaceException("the bundle names the same identity twice");
        return Write(tx =>
        {
            var result = new List<IdentityRecord>();
            foreach (var item in identities)
            {
                if (FindIdentityId(tx, item.DisplayName) is { } old)
                {
                    if (!replaceExisting) throw new EdgeFaceException($"'{item.DisplayName}' is already enrolled; nothing was imported (use replace to overwrite existing identities)");
                    Exec(_db, tx, "DELETE FROM identities WHERE id = $id", ("$id", old));
                }
                var id = InsertIdentity(tx, item.DisplayName.Trim(), item.MetadataJson, item.CreatedUtc);
                foreach (var group in item.Samples.GroupBy(s => s.Kind))
                    InsertSamples(tx, id, group.Key, group.Select(s => s.Sample).ToList());
                result.Add(ReadIdentity(tx, id)!);
            }
            Append(tx, audit with { Detail = audit.Detail ?? $"{identities.Count} identities" });
            return (IReadOnlyList<IdentityRecord>)result;
        });
    }

    public AuditRecord AppendAudit(AuditEntry entry) => Write(tx => Append(tx, entry));

    public IReadOnlyList<AuditRecord> ReadAudit() => Read(() =>
    {
        var list = new List<AuditRecord>();
        Query(null, "SELECT seq, utc, actor, action, outcome, subject_id, score, threshold, model_id, quality, detail, prev_hash, hash, mac FROM audit_log ORDER BY seq", [], r =>
        {
            var entry = new AuditEntry(r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetDouble(7),
                r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10));
            list.Add(new AuditRecord(r.GetInt64(0), AuditChain.ParseTime(r.GetString(1)), entry, (byte[])r[11], (byte[])r[12], (byte[])r[13]));
        });
        return (IReadOnlyList<AuditRecord>)list;
    });

    public AuditVerification VerifyAudit()
    {
        var records = ReadAudit();
        var head = Read(() => ReadHead(null));
        return AuditChain.Verify(records, head, _auditKey);
    }

    // ---- SQLite-only operations ----------------------------------------------------------------------

    /// <summary>SQLite's full <c>PRAGMA integrity_check</c>: "ok", or the problems it found.</summary>
    public IReadOnlyList<string> IntegrityCheck() => Read(() =>
    {
        var lines = new List<string>();
        Query(null, "PRAGMA integrity_check", [], r => lines.Add(r.GetString(0)));
        return (IReadOnlyList<string>)lines;
    });

    /// <summary>Rewrites the file without free pages, so deleted data leaves no trace on disk; then truncates the WAL.</summary>
    public void Vacuum() => Read(() =>
    {
        Checkpoint();
        Exec(_db, null, "VACUUM");
        Checkpoint();
        return 0;
    });

    /// <summary>
    /// Re-encrypts every encrypted value, the name index and the wrapped audit key under <paramref name="newKey"/>
    /// in one transaction: if anything fails (or the process dies) midway, the old key stays valid and nothing changes.
    /// </summary>
    public void RotateKey(GalleryKey newKey, AuditEntry audit) => RotateKey(newKey, audit, null);

    /// <summary><paramref name="afterRow"/> is a test seam called after each re-encrypted row.</summary>
    internal void RotateKey(GalleryKey newKey, AuditEntry audit, Action<int>? afterRow)
    {
        var next = new FieldCipher(newKey, _galleryId);
        try
        {
            Write(tx =>
            {
                var rows = 0;
                var identities = new List<(long Id, byte[] Name, byte[]? Meta)>();
                Query(tx, "SELECT id, display_name, metadata FROM identities", [], r => identities.Add((r.GetInt64(0), (byte[])r[1], r.IsDBNull(2) ? null : (byte[])r[2])));
                foreach (var (id, name, meta) in identities)
                {
                    var plainName = _cipher.DecryptText(name, "identities", "display_name", id);
                    Exec(_db, tx, "UPDATE identities SET name_index = $ni, display_name = $n, metadata = $m WHERE id = $id",
                        ("$ni", next.NameIndex(plainName)),
                        ("$n", next.EncryptText(plainName, "identities", "display_name", id)),
                        ("$m", meta is null ? null : next.Encrypt(_cipher.Decrypt(meta, "identities", "metadata", id), "identities", "metadata", id)),
                        ("$id", id));
                    afterRow?.Invoke(++rows);
                }
                var templates = new List<(long Id, byte[] Embedding, byte[] Source, byte[]? Image)>();
                Query(tx, "SELECT id, embedding, source, image FROM templates", [], r => templates.Add((r.GetInt64(0), (byte[])r[1], (byte[])r[2], r.IsDBNull(3) ? null : (byte[])r[3])));
                foreach (var (id, embedding, source, image) in templates)
                {
                    Exec(_db, tx, "UPDATE templates SET embedding = $e, source = $s, image = $i WHERE id = $id",
                        ("$e", Reencrypt(next, embedding, "templates", "embedding", id)),
                        ("$s", Reencrypt(next, source, "templates", "source", id)),
                        ("$i", image is null ? null : Reencrypt(next, image, "templates", "image", id)),
                        ("$id", id));
                    afterRow?.Invoke(++rows);
                }
                SetMeta(_db, tx, "key_check", next.EncryptText(KeyCheckText, "gallery_meta", "key_check", 0));
                SetMeta(_db, tx, "audit_key", next.Encrypt(_auditKey, "gallery_meta", "audit_key", 0));
                Append(tx, audit with { Detail = audit.Detail ?? $"{identities.Count} identities, {templates.Count} templates re-encrypted" });
                return 0;
            });
        }
        catch
        {
            next.Dispose();
            throw;
        }
        var old = _cipher;
        _cipher = next;
        old.Dispose();
        Checkpoint();
    }

    /// <summary>Test seam: lets the file grow by at most <paramref name="extraPages"/> pages, so writes then fail with SQLITE_FULL as on a full disk.</summary>
    internal void LimitGrowth(int extraPages) => Read(() =>
    {
        var pages = Convert.ToInt64(Scalar(_db, null, "PRAGMA page_count"));
        return Scalar(_db, null, $"PRAGMA max_page_count = {pages + extraPages}");
    });

    // ---- internals -----------------------------------------------------------------------------------

    private byte[] Reencrypt(FieldCipher next, byte[] blob, string table, string column, long row) =>
        next.Encrypt(_cipher.Decrypt(blob, table, column, row), table, column, row);

    private void Checkpoint() => Read(() => Scalar(_db, null, "PRAGMA wal_checkpoint(TRUNCATE)"));

    private T Read<T>(Func<T> work)
    {
        lock (_gate)
        {
            try { return work(); }
            catch (SqliteException e) { throw SqliteErrors.Describe(e, Location, _busyTimeout); }
        }
    }

    private T Write<T>(Func<SqliteTransaction, T> work)
    {
        lock (_gate)
        {
            try
            {
                using var tx = _db.BeginTransaction();
                var result = work(tx);
                tx.Commit();
                return result;
            }
            catch (SqliteException e) { throw SqliteErrors.Describe(e, Location, _busyTimeout); }
        }
    }

    private long? FindIdentityId(SqliteTransaction? tx, string displayName) =>
        Scalar(_db, tx, "SELECT id FROM identities WHERE name_index = $ni", ("$ni", _cipher.NameIndex(displayName))) is long id ? id : null;

    private long InsertIdentity(SqliteTransaction tx, string name, string? metadataJson, DateTimeOffset created)
    {
        // Insert first to learn the row id, then store the values encrypted with that id as associated data.
        var id = (long)Scalar(_db, tx, "INSERT INTO identities (name_index, display_name, metadata, created_utc, updated_utc) VALUES ($ni, x'', NULL, $c, $u) RETURNING id",
            ("$ni", _cipher.NameIndex(name)), ("$c", AuditChain.FormatTime(created)), ("$u", AuditChain.FormatTime(DateTimeOffset.UtcNow)))!;
        Exec(_db, tx, "UPDATE identities SET display_name = $n, metadata = $m WHERE id = $id",
            ("$n", _cipher.EncryptText(name, "identities", "display_name", id)),
            ("$m", metadataJson is null ? null : _cipher.EncryptText(metadataJson, "identities", "metadata", id)),
            ("$id", id));
        return id;
    }

    private IdentityRecord? ReadIdentity(SqliteTransaction? tx, long id)
    {
        using var c = Command(tx, "SELECT display_name, metadata, created_utc, updated_utc FROM identities WHERE id = $id", ("$id", id));
        using var r = c.ExecuteReader();
        if (!r.Read()) return null;
        return new IdentityRecord(id,
            _cipher.DecryptText((byte[])r[0], "identities", "display_name", id),
            r.IsDBNull(1) ? null : _cipher.DecryptText((byte[])r[1], "identities", "metadata", id),
            AuditChain.ParseTime(r.GetString(2)), AuditChain.ParseTime(r.GetString(3)));
    }

    private void InsertSamples(SqliteTransaction tx, long identityId, TemplateKind kind, IReadOnlyList<BiometricSample> samples)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var s in samples) InsertTemplate(tx, identityId, kind, false, s.Embedding, s.Quality, s.Model, s.Source, s.Image, now);
        Exec(_db, tx, "DELETE FROM templates WHERE identity_id = $id AND kind = $kind AND is_aggregate = 1", ("$id", identityId), ("$kind", kind.ToText()));
        var own = ReadTemplates(tx, "identity_id = $id AND kind = $kind AND is_aggregate = 0", ("$id", identityId), ("$kind", kind.ToText()));
        var aggregate = Embeddings.NormalisedMean(own.Select(t => t.Embedding));
        InsertTemplate(tx, identityId, kind, true, aggregate, default, own[0].Model, $"aggregate of {own.Count}", null, now);
    }

    private void InsertTemplate(SqliteTransaction tx, long identityId, TemplateKind kind, bool aggregate, float[] embedding, SampleQuality quality,
        ModelBinding model, string source, byte[]? image, DateTimeOffset created)
    {
        var id = (long)Scalar(_db, tx, """
            INSERT INTO templates (identity_id, kind, is_aggregate, dim, embedding, quality, model_id, model_sha256, source, image, created_utc)
            VALUES ($i, $k, $a, $d, x'', $q, $m, $h, x'', NULL, $c) RETURNING id
            """,
            ("$i", identityId), ("$k", kind.ToText()), ("$a", aggregate ? 1 : 0), ("$d", embedding.Length),
            ("$q", JsonSerializer.Serialize(quality)), ("$m", model.Id), ("$h", model.Sha256.ToLowerInvariant()), ("$c", AuditChain.FormatTime(created)))!;
        Exec(_db, tx, "UPDATE templates SET embedding = $e, source = $s, image = $img WHERE id = $id",
            ("$e", _cipher.Encrypt(Embeddings.ToBytes(embedding), "templates", "embedding", id)),
            ("$s", _cipher.EncryptText(source, "templates", "source", id)),
            ("$img", image is null ? null : _cipher.Encrypt(image, "templates", "image", id)),
            ("$id", id));
    }

    private List<StoredTemplate> TemplatesOf(SqliteTransaction? tx, long identityId, TemplateKind kind) =>
        ReadTemplates(tx, "identity_id = $id AND kind = $kind ORDER BY is_aggregate, id", ("$id", identityId), ("$kind", kind.ToText()));

    private List<StoredTemplate> ReadTemplates(SqliteTransaction? tx, string where, params (string, object?)[] args)
    {
        var list = new List<StoredTemplate>();
        Query(tx, $"SELECT id, identity_id, kind, is_aggregate, embedding, quality, model_id, model_sha256, source, created_utc, image IS NOT NULL FROM templates WHERE {where}", args, r =>
        {
            var id = r.GetInt64(0);
            var embedding = Embeddings.FromBytes(_cipher.Decrypt((byte[])r[4], "templates", "embedding", id), $"template {id}");
            list.Add(new StoredTemplate(id, r.GetInt64(1), TemplateKinds.Parse(r.GetString(2)), r.GetInt64(3) == 1, embedding,
                JsonSerializer.Deserialize<SampleQuality>(r.GetString(5)), new ModelBinding(r.GetString(6), r.GetString(7)),
                _cipher.DecryptText((byte[])r[8], "templates", "source", id), AuditChain.ParseTime(r.GetString(9)), r.GetInt64(10) == 1));
        });
        return list;
    }

    private AuditRecord Append(SqliteTransaction tx, AuditEntry entry)
    {
        var head = ReadHead(tx);
        var record = AuditChain.Next(head?.Count ?? 0, head?.LastHash ?? AuditChain.Genesis, entry, DateTimeOffset.UtcNow, _auditKey);
        var e = record.Entry;
        Exec(_db, tx, """
            INSERT INTO audit_log (seq, utc, actor, action, outcome, subject_id, score, threshold, model_id, quality, detail, prev_hash, hash, mac)
            VALUES ($seq, $utc, $actor, $action, $outcome, $subject, $score, $threshold, $model, $quality, $detail, $prev, $hash, $mac)
            """,
            ("$seq", record.Seq), ("$utc", AuditChain.FormatTime(record.Utc)), ("$actor", e.Actor), ("$action", e.Action), ("$outcome", e.Outcome),
            ("$subject", e.SubjectId), ("$score", e.Score), ("$threshold", e.Threshold), ("$model", e.ModelId), ("$quality", e.Quality), ("$detail", e.Detail),
            ("$prev", record.PreviousHash), ("$hash", record.Hash), ("$mac", record.Mac));
        var signed = AuditChain.HeadFor(record.Seq, record.Hash, _auditKey);
        var blob = new byte[8 + 32 + 32];
        BinaryPrimitives.WriteInt64LittleEndian(blob, signed.Count);
        signed.LastHash.CopyTo(blob, 8);
        signed.Mac.CopyTo(blob, 40);
        SetMeta(_db, tx, "audit_head", blob);
        return record;
    }

    private AuditHead? ReadHead(SqliteTransaction? tx)
    {
        if (Scalar(_db, tx, "SELECT value FROM gallery_meta WHERE key = 'audit_head'") is not byte[] blob) return null;
        if (blob.Length != 72) throw new EdgeFaceException($"gallery {Location}: the signed audit head is damaged");
        return new AuditHead(BinaryPrimitives.ReadInt64LittleEndian(blob), blob[8..40], blob[40..72]);
    }

    private void Query(SqliteTransaction? tx, string sql, (string, object?)[] args, Action<SqliteDataReader> row)
    {
        using var c = Command(_db, tx, sql, args);
        using var r = c.ExecuteReader();
        while (r.Read()) row(r);
    }

    private SqliteCommand Command(SqliteTransaction? tx, string sql, params (string, object?)[] args) => Command(_db, tx, sql, args);

    private static SqliteCommand Command(SqliteConnection db, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var c = db.CreateCommand();
        c.CommandText = sql;
        c.Transaction = tx;
        foreach (var (name, value) in args) c.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return c;
    }

    private static int Exec(SqliteConnection db, SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        using var c = Command(db, tx, sql, args);
        return c.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection db, SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        using var c = Command(db, tx, sql, args);
        var v = c.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    private static void SetMeta(SqliteConnection db, SqliteTransaction tx, string key, byte[] value) =>
        Exec(db, tx, "INSERT INTO gallery_meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("$k", key), ("$v", value));

    public void Dispose()
    {
        lock (_gate)
        {
            _db.Dispose();
            _cipher.Dispose();
            CryptographicOperations.ZeroMemory(_auditKey);
        }
    }
}
