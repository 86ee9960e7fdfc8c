using System.Security.Cryptography;
using EdgeFace.TestSupport;
using Microsoft.Data.Sqlite;
using static EdgeFace.Cli.Tests.GalleryCliSupport;

namespace EdgeFace.Cli.Tests;

/// <summary>The face-independent gallery commands, through the real CLI.</summary>
public sealed class GalleryCliTests : IDisposable
{
    private readonly GalleryCliSupport _g = new();

    public void Dispose() => _g.Dispose();

    private void Populate(int count = 5) => _g.Ok("bench", "enroll", "--count", count.ToString(), "--samples", "3", "--dim", "16");

    [Fact]
    public void List_show_remove_and_audit_round_trip()
    {
        Populate(3);
        var list = _g.Ok("gallery", "list");
        Assert.Contains("bench-0000002", list.Stdout);
        Assert.Contains("3 identities", list.Stdout);
        var show = _g.Ok("gallery", "show", "BENCH-0000002", "--json");
        Assert.Contains("\"name\":\"bench-0000002\"", show.Stdout);
        Assert.Contains("\"aggregate\":true", show.Stdout);
        Assert.Contains("removed 'bench-0000002'", _g.Ok("gallery", "remove", "bench-0000002", "--vacuum", "--actor", "operator jo").Stdout);
        Assert.DoesNotContain("bench-0000002", _g.Ok("gallery", "list").Stdout);
        AssertOneLineError(_g.Run(["gallery", "show", "bench-0000002"]), "'bench-0000002' is not enrolled");
        Assert.Contains("audit log intact: 4 records", _g.Ok("audit", "verify").Stdout);
        Assert.Contains("operator jo remove removed subject #2", _g.Ok("audit", "list", "--last", "1").Stdout);
        var status = _g.Ok("gallery", "status", "--models", Shared.Root + "/models");
        Assert.Contains("integrity: ok", status.Stdout);
        Assert.Contains("needs re-enrolment: 'bench-0000001' has 3 face samples from model synthetic-bench", status.Stdout);
    }

    [Fact]
    public void Missing_gallery_missing_key_and_bad_options_are_one_line_errors()
    {
        AssertOneLineError(_g.Run(["gallery", "list"]), "does not exist");
        AssertOneLineError(CliProcess.Run("edgeface", ["gallery", "list", "--gallery", _g.Gallery], new Dictionary<string, string> { ["EDGEFACE_GALLERY_KEY"] = "" }), "no gallery key");
        AssertOneLineError(_g.Run(["gallery", "list", "--bogus", "1"]), "unknown option --bogus");
        AssertOneLineError(CliProcess.Run("edgeface", ["gallery", "new-key", _g.KeyFile]), "already exists");
        AssertOneLineError(_g.Run(["bench", "enroll", "--count", "x"]), "--count must be a whole number");
        Assert.False(File.Exists(_g.Gallery));
    }

    [Fact]
    public void Wrong_key_and_world_readable_key_file_are_refused_and_nothing_changes()
    {
        Populate();
        var before = SHA256.HashData(File.ReadAllBytes(_g.Gallery));
        var other = _g.Dir.File("other.key");
        Assert.Equal(0, CliProcess.Run("edgeface", ["gallery", "new-key", other]).ExitCode);
        AssertOneLineError(_g.Run(["gallery", "list", "--key-file", other]), "wrong gallery key");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(other, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            AssertOneLineError(_g.Run(["gallery", "list", "--key-file", other]), "accessible by other users");
        }
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(_g.Gallery)));
        Assert.Contains("5 identities", _g.Ok("gallery", "list").Stdout);
    }

    [Fact]
    public void Export_then_import_into_another_gallery_with_a_passphrase()
    {
        Populate(4);
        var bundle = _g.Dir.File("people.efgb");
        var env = new Dictionary<string, string> { ["BUNDLE_PASS"] = "correct horse battery staple" };
        var export = _g.Run(["gallery", "export", bundle, "--passphrase-env", "BUNDLE_PASS"], env);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("exported 4 identities", export.Stdout);
        Assert.DoesNotContain("bench-", File.ReadAllText(bundle));

        var second = _g.Dir.File("second.db");
        var wrong = _g.Run(["gallery", "import", bundle, "--passphrase-env", "BUNDLE_PASS", "--gallery", second], new Dictionary<string, string> { ["BUNDLE_PASS"] = "not the passphrase" });
        AssertOneLineError(wrong, "wrong passphrase");
        var import = _g.Run(["gallery", "import", bundle, "--passphrase-env", "BUNDLE_PASS", "--gallery", second], env);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("imported 4 identities", import.Stdout);
        Assert.Contains("bench-0000003", _g.Ok("gallery", "list", "--gallery", second).Stdout);
        // Importing again clashes on every name: refused as a whole unless --replace.
        AssertOneLineError(_g.Run(["gallery", "import", bundle, "--passphrase-env", "BUNDLE_PASS", "--gallery", second], env), "already enrolled; nothing was imported");
        Assert.Equal(0, _g.Run(["gallery", "import", bundle, "--passphrase-env", "BUNDLE_PASS", "--gallery", second, "--replace"], env).ExitCode);
        Assert.Contains("4 identities", _g.Ok("gallery", "list", "--gallery", second).Stdout);
        AssertOneLineError(_g.Run(["gallery", "export", _g.Dir.File("x.efgb"), "--passphrase-env", "NOT_SET_ANYWHERE"]), "NOT_SET_ANYWHERE");
    }

    [Fact]
    public void Rotate_key_switches_the_gallery_to_the_new_key()
    {
        Populate(2);
        var newKey = _g.Dir.File("new.key");
        Assert.Equal(0, CliProcess.Run("edgeface", ["gallery", "new-key", newKey]).ExitCode);
        _g.Ok("gallery", "rotate-key", "--new-key-file", newKey);
        AssertOneLineError(_g.Run(["gallery", "list"]), "wrong gallery key");
        Assert.Contains("2 identities", _g.Ok("gallery", "list", "--key-file", newKey).Stdout);
        Assert.Contains("intact", _g.Ok("audit", "verify", "--key-file", newKey).Stdout);
    }

    [Fact]
    public void A_corrupt_copy_fails_clearly_and_the_original_still_works()
    {
        Populate(30);
        var copy = _g.Dir.File("copy.db");
        File.Copy(_g.Gallery, copy);
        var bytes = File.ReadAllBytes(copy);
        new Random(1).NextBytes(bytes.AsSpan(4096));
        File.WriteAllBytes(copy, bytes);
        var r = _g.Run(["gallery", "status", "--gallery", copy]);
        Assert.True(r.ExitCode is 2 or 3, r.ToString());
        Assert.Contains("corrupt", r.Stderr + r.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", r.Stderr);
        var truncated = _g.Dir.File("truncated.db");
        File.WriteAllBytes(truncated, File.ReadAllBytes(_g.Gallery).AsSpan(0, (int)new FileInfo(_g.Gallery).Length / 2).ToArray());
        AssertOneLineError(_g.Run(["gallery", "list", "--gallery", truncated]), "truncated");
        AssertOneLineError(_g.Run(["gallery", "list", "--gallery", _g.KeyFile]), "not an EdgeFace gallery");
        Assert.Contains("integrity: ok", _g.Ok("gallery", "status").Stdout);
    }

    [Fact]
    public void A_gallery_locked_by_another_process_is_reported()
    {
        Populate(2);
        using var other = new SqliteConnection($"Data Source={_g.Gallery};Pooling=False");
        other.Open();
        using var tx = other.BeginTransaction();
        using (var c = other.CreateCommand())
        {
            c.Transaction = tx;
            c.CommandText = "INSERT INTO gallery_meta (key, value) VALUES ('held-by-test', x'00')";
            c.ExecuteNonQuery();
        }
        AssertOneLineError(_g.Run(["gallery", "remove", "bench-0000001", "--busy-timeout", "0.5"]), "is locked by another process");
        tx.Rollback();
        _g.Ok("gallery", "remove", "bench-0000001");
    }

    [Fact]
    public void Audit_verify_names_the_first_tampered_record()
    {
        Populate(6);
        using (var raw = new SqliteConnection($"Data Source={_g.Gallery};Pooling=False"))
        {
            raw.Open();
            using var c = raw.CreateCommand();
            c.CommandText = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'nobody' WHERE seq = 4;";
            c.ExecuteNonQuery();
        }
        var r = _g.Run(["audit", "verify"]);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("TAMPERED: record 4 was edited", r.Stdout);
        Assert.Equal(3, _g.Run(["gallery", "status"]).ExitCode);
    }
}
