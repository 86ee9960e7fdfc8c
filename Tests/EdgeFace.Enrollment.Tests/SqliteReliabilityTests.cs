using System.Security.Cryptography;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using EdgeFace.TestSupport;
using Microsoft.Data.Sqlite;
using static EdgeFace.Enrollment.Tests.TestSamples;

namespace EdgeFace.Enrollment.Tests;

/// <summary>Damaged, foreign, newer, full and locked galleries: each a clear error, and stored data untouched.</summary>
public sealed class SqliteReliabilityTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly GalleryKey _key = GalleryKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private string NewGallery(string name, int people)
    {
        var path = _dir.File(name);
        using var store = SqliteGalleryStore.Open(path, _key, new SqliteGalleryOptions { CreateIfMissing = true });
        var rng = new Random(people);
        for (var i = 0; i < people; i++)
            store.Enroll($"person {i}", null, TemplateKind.Face, [Sample(RandomUnit(rng, 128)), Sample(RandomUnit(rng, 128))], Entry());
        return path;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private void AssertIntact(string path, int people)
    {
        using var store = SqliteGalleryStore.Open(path, _key);
        Assert.Equal(["ok"], store.IntegrityCheck());
        Assert.Equal(people, store.ListIdentities().Count);
        Assert.True(store.VerifyAudit().Ok);
    }

    [Fact]
    public void Missing_gallery_is_not_created_by_readers()
    {
        var path = _dir.File("none.db");
        Assert.Contains("does not exist", Assert.Throws<EdgeFaceException>(() => SqliteGalleryStore.Open(path, _key)).Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_file_that_is_not_sqlite_is_refused()
    {
        var path = _dir.File("notes.db");
        File.WriteAllText(path, "these are not the faces you are looking for, padded to more than one hundred bytes ......................");
        Assert.Contains("not an EdgeFace gallery", Assert.Throws<EdgeFaceException>(() => SqliteGalleryStore.Open(path, _key)).Message);
    }

    [Fact]
    public void Another_apps_sqlite_database_is_refused()
    {
        var path = _dir.File("other.db");
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var c = raw.CreateCommand();
            c.CommandText = "CREATE TABLE customers (id INTEGER)";
            c.ExecuteNonQuery();
        }
        var before = Hash(path);
        Assert.Contains("not an EdgeFace gallery", Assert.Throws<EdgeFaceException>(() => SqliteGalleryStore.Open(path, _key)).Message);
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void A_gallery_from_a_newer_schema_is_refused()
    {
        var path = NewGallery("g.db", 1);
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var c = raw.CreateCommand();
            c.CommandText = "INSERT INTO schema_migrations (version, name, applied_utc) VALUES (99, 'future', 'x')";
            c.ExecuteNonQuery();
        }
        var e = Assert.Throws<EdgeFaceException>(() => SqliteGalleryStore.Open(path, _key));
        Assert.Contains("schema version 99, newer than this EdgeFace supports (2)", e.Message);
    }

    [Fact]
    public void Migrations_are_recorded_once_each()
    {
        var path = NewGallery("g.db", 1);
        using (var store = SqliteGalleryStore.Open(path, _key)) Assert.Equal(2, store.SchemaVersion);
        using var raw = new SqliteConnection($"Data Source={path};Pooling=False");
        raw.Open();
        using var c = raw.CreateCommand();
        c.CommandText = "SELECT group_concat(version) FROM schema_migrations ORDER BY version";
        Assert.Equal("1,2", c.ExecuteScalar());
    }

    [Fact]
    public void A_truncated_copy_is_refused_and_the_original_is_untouched()
    {
        var original = NewGallery("g.db", 40);
        var before = Hash(original);
        var copy = _dir.File("copy.db");
        File.Copy(original, copy);
        using (var f = new FileStream(copy, FileMode.Open)) f.SetLength(f.Length / 2);
        var e = Assert.Throws<EdgeFaceException>(() => SqliteGalleryStore.Open(copy, _key));
        Assert.Contains("truncated", e.Message);
        Assert.Equal(before, Hash(original));
        AssertIntact(original, 40);
    }

    [Fact]
    public void A_corrupt_copy_is_reported_as_corrupt_and_the_original_is_untouched()
    {
        var original = NewGallery("g.db", 40);
        var before = Hash(original);
        var copy = _dir.File("copy.db");
        File.Copy(original, copy);
        var bytes = File.ReadAllBytes(copy);
        new Random(5).NextBytes(bytes.AsSpan(4096, bytes.Length - 4096));
        File.WriteAllBytes(copy, bytes);
        var e = Assert.Throws<EdgeFaceException>(() =>
        {
            using var store = SqliteGalleryStore.Open(copy, _key);
            store.ListIdentities();
            store.GetAggregates(TemplateKind.Face);
        });
        Assert.Contains("corrupt", e.Message);
        Assert.Equal(before, Hash(original));
        AssertIntact(original, 40);
    }

    [Fact]
    public void A_full_disk_rolls_back_and_keeps_what_was_stored()
    {
        var path = NewGallery("g.db", 3);
        using (var store = SqliteGalleryStore.Open(path, _key))
        {
            store.LimitGrowth(2);
            var big = new byte[64 * 1024];
            var e = Assert.Throws<EdgeFaceException>(() =>
                store.Enroll("too big", null, TemplateKind.Face, [Sample(RandomUnit(new Random(9), 128), image: big)], Entry()));
            Assert.StartsWith("disk full", e.Message);
            Assert.Equal(3, store.ListIdentities().Count);
            Assert.Null(store.FindIdentity("too big"));
        }
        AssertIntact(path, 3);
    }

    [Fact]
    public void A_gallery_locked_by_another_process_times_out_with_a_clear_error()
    {
        var path = NewGallery("g.db", 2);
        using var store = SqliteGalleryStore.Open(path, _key, new SqliteGalleryOptions { BusyTimeout = TimeSpan.FromMilliseconds(300) });
        using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            other.Open();
            using var tx = other.BeginTransaction();
            using (var c = other.CreateCommand())
            {
                c.Transaction = tx;
                c.CommandText = "INSERT INTO gallery_meta (key, value) VALUES ('lock-holder', x'00')";
                c.ExecuteNonQuery();
            }
            var e = Assert.Throws<EdgeFaceException>(() => store.RemoveIdentity(1, Entry("remove")));
            Assert.Contains("is locked by another process", e.Message);
            Assert.Equal(2, store.ListIdentities().Count);
            tx.Rollback();
        }
        Assert.True(store.RemoveIdentity(1, Entry("remove")));
    }

    [Fact]
    public void Remove_with_vacuum_leaves_no_trace_of_the_removed_person()
    {
        var path = _dir.File("g.db");
        var vector = RandomUnit(new Random(3), 128);
        using var store = SqliteGalleryStore.Open(path, _key, new SqliteGalleryOptions { CreateIfMissing = true });
        var id = store.Enroll("Forget Me", null, TemplateKind.Face, [Sample(vector)], Entry()).Id;
        store.Enroll("Keep Me", null, TemplateKind.Face, [Sample(RandomUnit(new Random(4), 128))], Entry());
        byte[] cipher;
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly"))
        {
            raw.Open();
            using var c = raw.CreateCommand();
            c.CommandText = $"SELECT embedding FROM templates WHERE identity_id = {id} AND is_aggregate = 0";
            cipher = (byte[])c.ExecuteScalar()!;
        }
        store.RemoveIdentity(id, Entry("remove"));
        store.Vacuum();
        var bytes = new[] { path, path + "-wal" }.Where(File.Exists).SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(bytes.AsSpan().IndexOf(cipher.AsSpan(0, 32)) < 0, "removed template's ciphertext still on disk");
        Assert.Single(store.ListIdentities());
    }
}
