using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.TestSupport;

namespace EdgeFace.Cli.Tests;

/// <summary>SIGKILL during enrolment: everything committed before the kill is intact, nothing is half-written.</summary>
public sealed class GalleryCrashTests : IDisposable
{
    private readonly GalleryCliSupport _g = new();

    public void Dispose() => _g.Dispose();

    [Fact]
    public void Killing_the_process_mid_enrolment_loses_no_committed_identity_and_leaves_no_half_record()
    {
        for (var round = 0; round < 2; round++)
        {
            using var process = CliProcess.Start("edgeface",
                ["bench", "enroll", "--count", "1000000", "--samples", "4", "--dim", "128", "--seed", (round + 1).ToString(), "--gallery", _g.Gallery, "--key-file", _g.KeyFile]);
            var committed = new List<string>();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (committed.Count < 40 + round * 40 && DateTime.UtcNow < deadline)
            {
                var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("enrolment stopped early: " + process.StandardError.ReadToEnd());
                if (line.StartsWith("committed ", StringComparison.Ordinal)) committed.Add(line["committed ".Length..]);
            }
            process.Kill(); // SIGKILL on Linux: no cleanup, no rollback handlers
            process.WaitForExit();
            Assert.True(committed.Count >= 40, "not enough commits before the deadline");

            using var key = GalleryKey.LoadFile(_g.KeyFile);
            using var store = SqliteGalleryStore.Open(_g.Gallery, key);
            Assert.Equal(["ok"], store.IntegrityCheck());
            var identities = store.ListIdentities();
            foreach (var name in committed) Assert.NotNull(store.FindIdentity(name));
            foreach (var identity in identities)
            {
                var templates = store.GetTemplates(identity.Id, TemplateKind.Face);
                Assert.Equal(4, templates.Count(t => !t.IsAggregate));
                Assert.Single(templates, t => t.IsAggregate);
            }
            var audit = store.VerifyAudit();
            Assert.True(audit.Ok, audit.Message);
            Assert.Equal(identities.Count, audit.Count);
        }
    }
}
