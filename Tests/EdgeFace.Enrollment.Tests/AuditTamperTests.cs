using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.TestSupport;
using Microsoft.Data.Sqlite;
using static EdgeFace.Enrollment.Tests.TestSamples;

namespace EdgeFace.Enrollment.Tests;

/// <summary>An editor with direct access to the SQLite file tries to change the audit trail; every attempt is caught.</summary>
public sealed class AuditTamperTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly GalleryKey _key = GalleryKey.Generate();
    private readonly string _path;

    public AuditTamperTests()
    {
        _path = _dir.File("g.db");
        using var store = SqliteGalleryStore.Open(_path, _key, new SqliteGalleryOptions { CreateIfMissing = true });
        var rng = new Random(1);
        var id = store.Enroll("A", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry());
        for (var i = 0; i < 5; i++) store.AppendAudit(new AuditEntry("kiosk", "verify", "accepted", id.Id, 0.5 + i / 100.0, 0.35, "m"));
    }

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private void Sql(string sql)
    {
        using var raw = new SqliteConnection($"Data Source={_path};Pooling=False");
        raw.Open();
        using var c = raw.CreateCommand();
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }

    private const string DropTriggers = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;";

    private AuditVerification Verify()
    {
        using var store = SqliteGalleryStore.Open(_path, _key);
        return store.VerifyAudit();
    }

    [Fact]
    public void Intact_log_verifies()
    {
        var v = Verify();
        Assert.True(v.Ok, v.Message);
        Assert.Equal(6, v.Count);
    }

    [Fact]
    public void Triggers_refuse_updates_and_deletes()
    {
        var update = Assert.Throws<SqliteException>(() => Sql("UPDATE audit_log SET outcome = 'rejected' WHERE seq = 3"));
        Assert.Contains("append-only", update.Message);
        var delete = Assert.Throws<SqliteException>(() => Sql("DELETE FROM audit_log WHERE seq = 6"));
        Assert.Contains("append-only", delete.Message);
        Assert.True(Verify().Ok);
    }

    [Fact]
    public void An_edited_record_is_named()
    {
        Sql(DropTriggers + "UPDATE audit_log SET score = 0.99 WHERE seq = 3");
        var v = Verify();
        Assert.False(v.Ok);
        Assert.Equal(3, v.FirstBadSeq);
        Assert.Contains("record 3 was edited", v.Message);
    }

    [Fact]
    public void An_edit_with_a_recomputed_hash_fails_the_mac()
    {
        List<AuditRecord> records;
        using (var store = SqliteGalleryStore.Open(_path, _key)) records = store.ReadAudit().ToList();
        // The editor knows the (public) hashing scheme and rewrites record 4 and every later link, but has no key.
        var prev = records[2].Hash;
        var updates = new List<string> { DropTriggers };
        for (var i = 3; i < records.Count; i++)
        {
            var r = records[i];
            var entry = i == 3 ? r.Entry with { Outcome = "rejected" } : r.Entry;
            var hash = AuditChain.Hash(r.Seq, r.Utc, entry, prev);
            updates.Add($"UPDATE audit_log SET outcome = '{entry.Outcome}', prev_hash = x'{Convert.ToHexString(prev)}', hash = x'{Convert.ToHexString(hash)}' WHERE seq = {r.Seq};");
            prev = hash;
        }
        Sql(string.Concat(updates));
        var v = Verify();
        Assert.False(v.Ok);
        Assert.Equal(4, v.FirstBadSeq);
        Assert.Contains("invalid MAC", v.Message);
    }

    [Fact]
    public void A_removed_record_is_named()
    {
        Sql(DropTriggers + "DELETE FROM audit_log WHERE seq = 4");
        var v = Verify();
        Assert.False(v.Ok);
        Assert.Equal(5, v.FirstBadSeq);
        Assert.Contains("record 4 is missing", v.Message);
    }

    [Fact]
    public void A_truncated_tail_is_detected()
    {
        Sql(DropTriggers + "DELETE FROM audit_log WHERE seq >= 5");
        var v = Verify();
        Assert.False(v.Ok);
        Assert.Equal(5, v.FirstBadSeq);
        Assert.Contains("truncated", v.Message);
        Assert.Contains("6 records", v.Message);
    }

    [Fact]
    public void An_inserted_record_is_detected()
    {
        Sql($"INSERT INTO audit_log (seq, utc, actor, action, outcome, prev_hash, hash, mac) VALUES (7, '2026-01-01T00:00:00.0000000Z', 'x', 'verify', 'accepted', x'00', x'00', x'00')");
        var v = Verify();
        Assert.False(v.Ok);
        Assert.Equal(7, v.FirstBadSeq);
    }
}
