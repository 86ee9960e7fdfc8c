using System.Globalization;
using System.Text.Json;
using EdgeFace.TestSupport;
using OpenCvSharp;

namespace EdgeFace.Cli.Tests.Signatures;

/// <summary>
/// Signature enrolment and verification through the real <c>edgeface</c> CLI with the shipped model (the default, found
/// on the model search path beside the executable), a real encrypted gallery and SigComp2011 validation writers.
/// </summary>
public sealed class SignatureEnrolmentCliTests
{
    private static string SigComp(string file) => Shared.RequireFile(Shared.Data(["signatures", "sigcomp2011", .. file.Split('/')]));
    private static string[] References041 => [.. Enumerable.Range(1, 5).Select(i => SigComp($"041/genuine/{i:00}_041.png"))];

    private static (string Decision, double Score, double Threshold) Verify(GalleryCliSupport g, string writer, string file)
    {
        var r = g.Run(["signature", "verify", "--writer", writer, file, "--json"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        var decision = root.GetProperty("decision").GetString()!;
        Assert.Equal("signature-signet-v2", root.GetProperty("model").GetString());
        return (decision, root.GetProperty("score").GetDouble(), root.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public void Enrol_then_verify_genuine_outscores_skilled_forgeries_and_is_audited()
    {
        using var g = new GalleryCliSupport();
        var enrol = g.Ok(["signature", "enroll", "--writer", "041", .. References041]);
        Assert.Contains("enrolled writer '041'", enrol.Stdout);
        Assert.Contains("with 5 reference signatures, model signature-signet-v2", enrol.Stdout);

        var genuine = Enumerable.Range(6, 4).Select(i => Verify(g, "041", SigComp($"041/genuine/{i:00}_041.png"))).ToList();
        var forged = new[] { "01_0105041", "02_0116041", "03_0117041", "04_0105041" }.Select(f => Verify(g, "041", SigComp($"041/forged/{f}.png"))).ToList();

        // One threshold for the writer, adapted from its references.
        Assert.Single(genuine.Concat(forged).Select(v => v.Threshold).Distinct());
        Assert.True(genuine.Average(v => v.Score) > forged.Average(v => v.Score),
            $"genuine {string.Join(", ", genuine.Select(v => v.Score))} vs forged {string.Join(", ", forged.Select(v => v.Score))}");
        Assert.True(genuine.Count(v => v.Decision == "genuine") >= 3, string.Join(", ", genuine));
        Assert.True(forged.Count(v => v.Decision == "forged") >= 3, string.Join(", ", forged));

        var audit = g.Ok(["audit", "list", "--json"]);
        Assert.Equal(8, audit.Stdout.Split("verify-signature").Length - 1);
    }

    [Fact]
    public void Plain_text_verdict_names_score_and_threshold()
    {
        using var g = new GalleryCliSupport();
        g.Ok(["signature", "enroll", "--writer", "041", .. References041]);
        var r = g.Run(["signature", "verify", "--writer", "041", SigComp("041/genuine/10_041.png")]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"^(genuine|forged): score -?\d\.\d{4} (>=|<) threshold -?\d\.\d{4} \(base ", r.Stdout);
    }

    [Fact]
    public void Enrol_warns_about_a_reference_from_another_writer_and_refuses_it_when_asked()
    {
        using var g = new GalleryCliSupport();
        string[] mixed = [.. References041[..4], SigComp("047/genuine/01_047.png")];
        var warn = g.Run(["signature", "enroll", "--writer", "041", .. mixed]);
        Assert.True(warn.ExitCode == 0, warn.ToString());
        Assert.Contains("reference 5 (01_047.png) looks unlike the other 4", warn.Stderr);

        using var g2 = new GalleryCliSupport();
        GalleryCliSupport.AssertOneLineError(g2.Run(["signature", "enroll", "--writer", "041", "--refuse-inconsistent", .. mixed]),
            "edgeface signature enroll: writer '041' not enrolled: reference 5 (01_047.png) looks unlike the other 4");
        Assert.False(File.Exists(g2.Gallery), "a refused enrolment writes nothing");
    }

    [Fact]
    public void Enrol_refuses_too_few_references_and_a_second_enrolment_without_replace()
    {
        using var g = new GalleryCliSupport();
        GalleryCliSupport.AssertOneLineError(g.Run(["signature", "enroll", "--writer", "041", .. References041[..2]]),
            "edgeface signature enroll: too few references for writer '041': 2 given, at least 3 are needed");
        g.Ok(["signature", "enroll", "--writer", "041", .. References041]);
        GalleryCliSupport.AssertOneLineError(g.Run(["signature", "enroll", "--writer", "041", .. References041]),
            "writer '041' already has 5 reference signatures in");
        g.Ok(["signature", "enroll", "--writer", "041", "--replace", .. References041[..3]]);
        Verify(g, "041", SigComp("041/genuine/12_041.png"));
    }

    [Fact]
    public void Bad_questioned_images_are_one_line_errors_and_nothing_stored_is_lost()
    {
        using var g = new GalleryCliSupport();
        g.Ok(["signature", "enroll", "--writer", "041", .. References041]);
        var blank = g.Dir.File("blank.png");
        using (var page = new Mat(200, 400, MatType.CV_8UC1, Scalar.All(245))) Cv2.ImWrite(blank, page);
        GalleryCliSupport.AssertOneLineError(g.Run(["signature", "verify", "--writer", "041", blank]), $"edgeface signature verify: no ink found in {blank}");
        var face = Shared.Face("lfw", "images", "Aaron_Peirsol", "Aaron_Peirsol_0001.jpg");
        GalleryCliSupport.AssertOneLineError(g.Run(["signature", "verify", "--writer", "041", face]), $"edgeface signature verify: {face} does not look like a signature");
        GalleryCliSupport.AssertOneLineError(g.Run(["signature", "enroll", "--writer", "042", blank, .. References041[..3]]), $"no ink found in {blank}");
        GalleryCliSupport.AssertOneLineError(g.Run(["signature", "verify", "--writer", "999", References041[0]]), "edgeface signature verify: '999' is not enrolled in");
        GalleryCliSupport.AssertOneLineError(g.Run(["signature", "verify", "--writer", "041"]), "edgeface signature verify: missing FILE");
        // The enrolment survived every refusal.
        Verify(g, "041", SigComp("041/genuine/11_041.png"));
    }

    [Fact]
    public void Verifying_with_another_model_than_the_enrolment_is_refused()
    {
        using var g = new GalleryCliSupport();
        g.Ok(["signature", "enroll", "--writer", "041", "--baseline", .. References041]);
        GalleryCliSupport.AssertOneLineError(g.Run(["signature", "verify", "--writer", "041", References041[0]]),
            "edgeface signature verify: writer '041' was enrolled with model baseline-hog-v1");
    }

    [Fact]
    public void Eval_signatures_prints_one_json_object_per_run_and_a_plot_per_R()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run("edgeface", ["eval", "signatures", "--root", Shared.Data("signatures", "sigcomp2011"), "--writers", "041-043",
            "--refs", "1,3", "--json", "--plot", dir.File("det.png")]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal("signature-signet-v2", root.GetProperty("model").GetString());
        Assert.Equal("model", root.GetProperty("threshold_source").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([1, 3], results.Select(x => x.GetProperty("references").GetInt32()));
        foreach (var x in results)
            foreach (var key in new[] { "skilled_eer", "random_eer", "skilled_auc", "random_auc", "frr", "far_skilled", "far_random" })
                Assert.InRange(x.GetProperty(key).GetDouble(), 0, 1);
        Assert.True(File.Exists(dir.File("det-r1.png")) && File.Exists(dir.File("det-r3.png")));
        GalleryCliSupport.AssertOneLineError(CliProcess.Run("edgeface", ["eval", "signatures", "--refs", "0,3"]),
            "edgeface eval signatures: --refs must be a comma-separated list of positive reference counts such as 1,3,5, got '0,3'");
    }

    [Fact]
    public void Shipped_model_is_the_default_from_any_working_directory()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run("edgeface", ["signature", "bench", "--images", "2", "--rounds", "1"], workingDirectory: dir.Path);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("embed (signature-signet-v2): ", r.Stdout);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"embed (baseline-hog-v1): "),
            CliProcess.Run("edgeface", ["signature", "bench", "--images", "2", "--rounds", "1", "--baseline"]).Stdout);
    }
}
