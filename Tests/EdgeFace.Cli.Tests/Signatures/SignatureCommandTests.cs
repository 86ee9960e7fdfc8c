using EdgeFace.TestSupport;
using OpenCvSharp;

namespace EdgeFace.Cli.Tests.Signatures;

public sealed class SignatureCommandTests
{
    private static string Nisdcc(string file) => Shared.RequireFile(Shared.Data(["signatures", "nisdcc", .. file.Split('/')]));
    private static string SigComp(string file) => Shared.RequireFile(Shared.Data(["signatures", "sigcomp2011", .. file.Split('/')]));

    private static void AssertOneLineError(CliResult r, string expected)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Equal(expected, r.Stderr.Trim());
    }

    [Fact]
    public void Clean_writes_the_canvas_and_every_stage()
    {
        using var dir = new TempDir();
        var image = Nisdcc("003/genuine/003003_001.png");
        var r = CliProcess.Run("edgeface", ["signature", "clean", image, "--out", dir.File("clean.png"), "--debug-out", dir.File("stages")]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"{image}: ink ", r.Stdout);
        using var canvas = Cv2.ImRead(dir.File("clean.png"), ImreadModes.Unchanged);
        Assert.Equal(new Size(220, 150), canvas.Size());
        Assert.Equal(1, canvas.Channels());
        Assert.Equal(5, Directory.GetFiles(dir.File("stages"), "003003_001.*.png").Length);
    }

    [Fact]
    public void Clean_rejects_a_blank_page_with_one_line_and_still_shows_the_stages()
    {
        using var dir = new TempDir();
        var blank = dir.File("blank.png");
        using (var page = new Mat(200, 400, MatType.CV_8UC1, Scalar.All(245))) Cv2.ImWrite(blank, page);
        var r = CliProcess.Run("edgeface", ["signature", "clean", blank, "--debug-out", dir.File("stages")]);
        AssertOneLineError(r, $"edgeface signature clean: no ink found in {blank}");
        Assert.NotEmpty(Directory.GetFiles(dir.File("stages")));
    }

    [Fact]
    public void Clean_rejects_a_face_photo()
    {
        var face = Shared.Face("lfw", "images", "Aaron_Peirsol", "Aaron_Peirsol_0001.jpg");
        var r = CliProcess.Run("edgeface", ["signature", "clean", face]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"edgeface signature clean: {face} does not look like a signature (", r.Stderr.Trim());
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Clean_names_an_unreadable_file()
    {
        using var dir = new TempDir();
        var bogus = dir.File("scan.png");
        File.WriteAllText(bogus, "this is not a PNG");
        AssertOneLineError(CliProcess.Run("edgeface", ["signature", "clean", bogus]),
            $"edgeface signature clean: cannot read image {bogus}: not a supported image file or corrupt");
        AssertOneLineError(CliProcess.Run("edgeface", ["signature", "clean", dir.File("missing.png")]),
            $"edgeface signature clean: image not found: {dir.File("missing.png")}");
    }

    [Fact]
    public void Check_references_flags_another_writers_signature()
    {
        string[] images = [.. Enumerable.Range(1, 4).Select(i => SigComp($"041/genuine/{i:00}_041.png")), SigComp("045/genuine/01_045.png")];
        var r = CliProcess.Run("edgeface", ["signature", "check-references", "--baseline", .. images]);
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains("reference 5 (01_045.png) looks unlike the other 4", r.Stdout);
        var ok = CliProcess.Run("edgeface", ["signature", "check-references", "--baseline", .. images[..4]]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("the 4 references are consistent", ok.Stdout);
    }

    [Fact]
    public void Check_references_needs_four()
    {
        string[] images = [.. Enumerable.Range(1, 3).Select(i => SigComp($"041/genuine/{i:00}_041.png"))];
        AssertOneLineError(CliProcess.Run("edgeface", ["signature", "check-references", .. images]),
            "edgeface signature check-references: the reference consistency check needs at least 4 references, got 3");
    }

    [Fact]
    public void Evaluate_reports_skilled_and_random_rates_and_plots()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run("edgeface", ["signature", "evaluate", "--writers", "041-044", "--references", "3", "--plot", dir.File("det.png")]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("skilled forgeries: EER ", r.Stdout);
        Assert.Contains("random forgeries:  EER ", r.Stdout);
        Assert.True(File.Exists(dir.File("det.png")));
    }

    [Theory]
    [InlineData(new[] { "--writers", "1,3,5" }, "writer 005 is not in sigcomp2011")]
    [InlineData(new[] { "--references", "12" }, "writer 041 has 12 genuine signatures; 12 references leave no genuine query")]
    [InlineData(new[] { "--aggregation", "median" }, "--aggregation must be mean or max, got 'median'")]
    [InlineData(new[] { "--alpha", "-1" }, "adaptation α must be between 0 and 10, got -1")]
    [InlineData(new[] { "--data", "/nonexistent/sigcomp" }, "signature dataset folder not found: /nonexistent/sigcomp")]
    public void Evaluate_bad_input_is_one_line(string[] options, string message) =>
        AssertOneLineError(CliProcess.Run("edgeface", ["signature", "evaluate", .. options]), $"edgeface signature evaluate: {message}");

    [Fact]
    public void Bench_reports_clean_and_embed_times()
    {
        var r = CliProcess.Run("edgeface", ["signature", "bench", "--images", "4", "--rounds", "1", "--baseline"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("decode PNG (reference): ", r.Stdout);
        Assert.Contains("x decode, ", r.Stdout);
        Assert.Contains("embed (baseline-hog-v1): ", r.Stdout);
        AssertOneLineError(CliProcess.Run("edgeface", ["signature", "bench", "--images", "0"]), "edgeface signature bench: --images must be at least 1, got 0");
    }
}
