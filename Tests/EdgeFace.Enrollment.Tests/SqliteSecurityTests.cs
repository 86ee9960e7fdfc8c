using System.Runtime.InteropServices;
using System.Text;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using EdgeFace.TestSupport;
using Microsoft.Data.Sqlite;
using static EdgeFace.Enrollment.Tests.TestSamples;

namespace EdgeFace.Enrollment.Tests;

public sealed class SqliteSecurityTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly SqliteGalleryOptions Create = new() { CreateIfMissing = true };

    public void Dispose() => _dir.Dispose();

    private static byte[] AllBytes(string db) =>
        new[] { db, db + "-wal", db + "-shm" }.Where(File.Exists).SelectMany(File.ReadAllBytes).ToArray();

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [Fact]
    public void Names_metadata_and_vectors_are_not_in_the_file_in_clear()
    {
        var path = _dir.File("g.db");
        var vector = Enumerable.Range(0, 64).Select(i => 0.001f * i + 0.1234567f).ToArray();
        using var key = GalleryKey.Generate();
        using (var store = SqliteGalleryStore.Open(path, key, Create))
        {
            store.Enroll("Zebulon Quixote", """{"badge":"secret-badge-7788"}""", TemplateKind.Face, [Sample(vector, "zebulon_photo.jpg", image: Encoding.ASCII.GetBytes("JPEGDATA-zebulon"))], Entry());
            // Round trip while open (the WAL still holds the pages).
            var back = store.GetTemplates(store.FindIdentity("zebulon quixote")!.Id, TemplateKind.Face);
            Assert.Equal(vector, back[0].Embedding);
            Assert.Equal(Encoding.ASCII.GetBytes("JPEGDATA-zebulon"), store.GetSampleImage(back[0].Id));
            var bytes = AllBytes(path);
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("Zebulon")), "display name in clear");
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("zebulon")), "normalised name or file name in clear");
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("secret-badge")), "metadata in clear");
            Assert.False(Contains(bytes, MemoryMarshal.AsBytes(vector.AsSpan(0, 4)).ToArray()), "embedding in clear");
            Assert.False(Contains(bytes, Encoding.ASCII.GetBytes("JPEGDATA")), "image in clear");
        }
        using var reopened = SqliteGalleryStore.Open(path, key);
        Assert.Equal("Zebulon Quixote", reopened.ListIdentities().Single().DisplayName);
        Assert.False(Contains(AllBytes(path), Encoding.UTF8.GetBytes("Zebulon")));
    }

    [Fact]
    public void Wrong_key_is_refused_clearly_and_changes_nothing()
    {
        var path = _dir.File("g.db");
        using var key = GalleryKey.Generate();
        using (var store = SqliteGalleryStore.Open(path, key, Create))
            store.Enroll("A", null, TemplateKind.Face, [Sample(RandomUnit(new Random(1), 8))], Entry());
        var before = File.ReadAllBytes(path);
        using var wrong = GalleryKey.Generate();
        var e = Assert.Throws<EdgeFaceException>(() => SqliteGalleryStore.Open(path, wrong));
        Assert.StartsWith("wrong gallery key", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        using var again = SqliteGalleryStore.Open(path, key);
        Assert.Single(again.ListIdentities());
    }

    [Fact]
    public void A_ciphertext_moved_to_another_row_fails_authentication()
    {
        var path = _dir.File("g.db");
        using var key = GalleryKey.Generate();
        long first, second;
        using (var store = SqliteGalleryStore.Open(path, key, Create))
        {
            first = store.Enroll("First", null, TemplateKind.Face, [Sample(RandomUnit(new Random(1), 8))], Entry()).Id;
            second = store.Enroll("Second", null, TemplateKind.Face, [Sample(RandomUnit(new Random(2), 8))], Entry()).Id;
        }
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var c = raw.CreateCommand();
            c.CommandText = $"UPDATE identities SET display_name = (SELECT display_name FROM identities WHERE id = {first}) WHERE id = {second}";
            c.ExecuteNonQuery();
        }
        using var reopened = SqliteGalleryStore.Open(path, key);
        Assert.Equal("First", reopened.GetIdentity(first)!.DisplayName);
        var e = Assert.Throws<EdgeFaceException>(() => reopened.GetIdentity(second));
        Assert.Contains($"identities.display_name of row {second} failed authentication", e.Message);
    }

    [Fact]
    public void Rotate_key_reencrypts_everything_and_the_old_key_stops_working()
    {
        var path = _dir.File("g.db");
        using var oldKey = GalleryKey.Generate();
        using var newKey = GalleryKey.Generate();
        var rng = new Random(3);
        var vector = RandomUnit(rng, 16);
        using (var store = SqliteGalleryStore.Open(path, oldKey, Create))
        {
            store.Enroll("Rita", """{"x":1}""", TemplateKind.Face, [Sample(vector, image: [7, 7])], Entry());
            store.Enroll("Sam", null, TemplateKind.Face, [Sample(RandomUnit(rng, 16))], Entry());
            store.RotateKey(newKey, Entry("rotate-key"));
            Assert.NotNull(store.FindIdentity("rita"));
        }
        Assert.StartsWith("wrong gallery key", Assert.Throws<EdgeFaceException>(() => SqliteGalleryStore.Open(path, oldKey)).Message);
        using var reopened = SqliteGalleryStore.Open(path, newKey);
        var rita = reopened.FindIdentity("RITA")!;
        Assert.Equal("""{"x":1}""", rita.MetadataJson);
        var t = reopened.GetTemplates(rita.Id, TemplateKind.Face)[0];
        Assert.Equal(vector, t.Embedding);
        Assert.Equal(new byte[] { 7, 7 }, reopened.GetSampleImage(t.Id));
        var audit = reopened.VerifyAudit();
        Assert.True(audit.Ok, audit.Message);
        Assert.Equal("rotate-key", reopened.ReadAudit()[^1].Entry.Action);
    }

    [Fact]
    public void A_rotation_that_fails_midway_leaves_the_old_key_valid()
    {
        var path = _dir.File("g.db");
        using var oldKey = GalleryKey.Generate();
        using var newKey = GalleryKey.Generate();
        var rng = new Random(4);
        using (var store = SqliteGalleryStore.Open(path, oldKey, Create))
        {
            for (var i = 0; i < 5; i++) store.Enroll($"P{i}", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry());
            Assert.Throws<IOException>(() => store.RotateKey(newKey, Entry("rotate-key"), row => { if (row == 4) throw new IOException("simulated crash"); }));
            Assert.Equal(5, store.ListIdentities().Count);
        }
        Assert.StartsWith("wrong gallery key", Assert.Throws<EdgeFaceException>(() => SqliteGalleryStore.Open(path, newKey)).Message);
        using var reopened = SqliteGalleryStore.Open(path, oldKey);
        Assert.Equal(5, reopened.ListIdentities().Count);
        Assert.NotNull(reopened.FindIdentity("p3"));
        Assert.True(reopened.VerifyAudit().Ok);
    }

    [Fact]
    public void Key_files_are_private_and_never_overwritten()
    {
        var file = _dir.File("gallery.key");
        using var key = GalleryKey.Generate();
        key.SaveFile(file);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var loaded = GalleryKey.LoadFile(file);
        Assert.Equal(key.Bytes.ToArray(), loaded.Bytes.ToArray());
        Assert.Contains("already exists", Assert.Throws<EdgeFaceException>(() => key.SaveFile(file)).Message);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Contains("chmod 600", Assert.Throws<EdgeFaceException>(() => GalleryKey.LoadFile(file)).Message);
        }
        var bad = _dir.File("bad.key");
        File.WriteAllText(bad, "not base64!");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(bad, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Contains("not valid base64", Assert.Throws<EdgeFaceException>(() => GalleryKey.LoadFile(bad)).Message);
        Assert.Contains("key file not found", Assert.Throws<EdgeFaceException>(() => GalleryKey.LoadFile(_dir.File("none.key"))).Message);
    }
}
