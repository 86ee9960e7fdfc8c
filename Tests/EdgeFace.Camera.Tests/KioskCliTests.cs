using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using EdgeFace.TestSupport;

namespace EdgeFace.Camera.Tests;

/// <summary>Bad input through the real CLI: one clear line, exit 2, and the gallery left as it was.</summary>
public sealed partial class KioskCliTests(KioskScenario scenario) : IClassFixture<KioskScenario>
{
    private CliResult Kiosk(params string[] args) => CliProcess.Run("edgeface", ["kiosk", .. args]);

    private static void AssertOneLineError(CliResult r, string expectedFragment)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgeface ", line);
        Assert.Contains(expectedFragment, line);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Bad_options_are_refused_with_one_line()
    {
        var s = scenario;
        var before = File.ReadAllBytes(s.Gallery);
        AssertOneLineError(Kiosk("--gallery", s.Gallery), "missing required option --source");
        AssertOneLineError(Kiosk("--source", s.Video, "--gallery", s.Gallery, "--mode", "watch"), "--mode must be one of verify|identify|enrol, got 'watch'");
        AssertOneLineError(Kiosk("--source", s.Video, "--gallery", s.Gallery, "--liveness", "sometimes"), "--liveness must be one of none|passive|active|both");
        AssertOneLineError(Kiosk("--source", s.Video, "--gallery", s.Gallery, "--headless"), "--headless needs --out DIR");
        AssertOneLineError(Kiosk("--source", s.Video, "--gallery", s.Gallery, "--fps", "0", "--headless", "--out", s.Dir.File("x")), "--fps must be above 0 and at most 1000, got 0");
        AssertOneLineError(Kiosk("--source", s.Dir.File("missing.avi"), "--gallery", s.Gallery), "source not found");
        AssertOneLineError(Kiosk("--source", s.Video, "--gallery", s.Dir.File("none.db"), "--key-file", s.KeyFile, "--models", FaceModels.ModelsFolder, "--threshold", "0.35"),
            "does not exist (check --gallery)");
        AssertOneLineError(Kiosk(["--source", s.Video, "--mode", "verify", "--claim", "Nobody", "--headless", "--out", s.Dir.File("y"), .. s.CommonArgs()]),
            "--claim 'Nobody' is not enrolled");
        AssertOneLineError(Kiosk(["--source", s.Video, "--threshold", "1.5", .. s.CommonArgs()[..4]]), "--threshold must be a cosine score");
        AssertOneLineError(CliProcess.Run("edgeface", ["bench", "kiosk", "--source", s.Dir.File("missing.avi")]), "video file not found");

        // A wrong key cannot open the gallery, and the gallery file is untouched.
        using var other = new TempDir();
        var wrongKey = KioskMedia.WriteKey(other);
        var wrong = Kiosk("--source", s.Video, "--gallery", s.Gallery, "--key-file", wrongKey, "--models", FaceModels.ModelsFolder, "--threshold", "0.35",
            "--headless", "--out", s.Dir.File("z"));
        Assert.Equal(2, wrong.ExitCode);
        Assert.Single(wrong.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(before, File.ReadAllBytes(s.Gallery));
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [Fact]
    public async Task Operator_enrols_a_person_through_the_admin_api()
    {
        using var dir = new TempDir();
        var gallery = dir.File("new-gallery.db");
        var key = KioskMedia.WriteKey(dir);
        const string apiKey = "operator-key-0123456789abcdef";
        using var kiosk = CliProcess.Start("edgeface",
            ["kiosk", "--source", scenario.Video, "--loop", "--mode", "enrol", "--gallery", gallery, "--key-file", key, "--models", FaceModels.ModelsFolder,
             "--threshold", "0.35", "--device", "cpu", "--urls", "http://127.0.0.1:0", "--enrol-frames", "4"],
            new Dictionary<string, string> { ["EDGEFACE_KIOSK_API_KEY"] = apiKey });
        try
        {
            string? url = null;
            while (url is null)
            {
                var line = await kiosk.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90))
                    ?? throw new InvalidOperationException("kiosk exited: " + await kiosk.StandardError.ReadToEndAsync());
                if (Listening().Match(line) is { Success: true } m) url = m.Groups[1].Value;
            }
            _ = kiosk.StandardError.ReadToEndAsync();
            var decisionLine = kiosk.StandardOutput.ReadLineAsync();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/admin/enrol") { Content = JsonContent.Create(new { name = "Visitor One" }) })
            {
                wrong.Headers.Add("X-Api-Key", "not-the-key-at-all-000");
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
            }
            using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/enrol") { Content = JsonContent.Create(new { name = "Visitor One" }) })
            {
                request.Headers.Add("X-Api-Key", apiKey);
                Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(request)).StatusCode);
            }
            var decision = await decisionLine.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("\"outcome\":\"enrolled\"", decision);
            Assert.Contains("\"identity\":\"Visitor One\"", decision);
            using var list = new HttpRequestMessage(HttpMethod.Get, "/api/admin/identities");
            list.Headers.Add("X-Api-Key", apiKey);
            Assert.Equal("[\"Visitor One\"]", await (await http.SendAsync(list)).Content.ReadAsStringAsync());
        }
        finally
        {
            kiosk.Kill(entireProcessTree: true);
            await kiosk.WaitForExitAsync();
        }
        Assert.True(new FileInfo(gallery).Length > 0); // stored durably in the encrypted gallery
    }
}
