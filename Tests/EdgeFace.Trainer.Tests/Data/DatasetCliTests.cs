using EdgeFace.TestSupport;

namespace EdgeFace.Trainer.Tests.Data;

/// <summary>The dataset commands through the real <c>edgeface-train</c> process.</summary>
public sealed class DatasetCliTests
{
    private static void AssertOneLineError(CliResult r, string expected)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        var line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Check_reports_orl_and_a_split()
    {
        var r = CliProcess.Run("edgeface-train", ["dataset", "check", DatasetTestData.Orl, "--identities", "s1-s30", "--k", "4", "--decode"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("identities 30 (s1 .. s30)", r.Stdout);
        Assert.Contains("images     300 training, per identity min 10 / median 10 / max 10", r.Stdout);
        Assert.Contains("K=4: every identity has enough images", r.Stdout);
        Assert.Contains("decoded    all 300 images", r.Stdout);
    }

    [Fact]
    public void Check_detects_signature_layout_and_counts_forgeries()
    {
        var r = CliProcess.Run("edgeface-train", ["dataset", "check", DatasetTestData.SigComp, "--split", "val"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("(signatures, split val", r.Stdout);
        Assert.Contains("identities 8 (041 .. 048)", r.Stdout);
        Assert.Contains("images     96 training", r.Stdout);
        Assert.Contains("forgeries  92 skilled forgeries", r.Stdout);
    }

    [Fact]
    public void Bad_inputs_are_one_line_errors()
    {
        using var dir = new TempDir();
        AssertOneLineError(CliProcess.Run("edgeface-train", ["dataset", "check", dir.File("nope")]), $"dataset folder not found: {dir.File("nope")}");
        AssertOneLineError(CliProcess.Run("edgeface-train", ["dataset", "check", dir.Path]), $"empty dataset: {dir.Path}");
        AssertOneLineError(CliProcess.Run("edgeface-train", ["dataset", "check", DatasetTestData.Orl, "--identities", "s1-s5,s77"]), "identity 's77' not found in");
        AssertOneLineError(CliProcess.Run("edgeface-train", ["dataset", "check", DatasetTestData.Orl, "--k", "11"]), "unbalanced: identity s1 has 10 images, K=11 needs 11");
        AssertOneLineError(CliProcess.Run("edgeface-train", ["dataset", "check", DatasetTestData.SigComp, "--split", "test"]), "no writer is in split 'test'");

        DatasetTestData.WritePng(Path.Combine(dir.Path, "alice", "1.png"));
        var broken = Path.Combine(dir.Path, "alice", "2.jpg");
        File.WriteAllText(broken, "saved as .jpg, but it is text");
        AssertOneLineError(CliProcess.Run("edgeface-train", ["dataset", "check", dir.Path, "--decode"]), $"cannot read image {broken}");
    }

    [Fact]
    public void Bench_reports_rates_and_ratios()
    {
        var r = CliProcess.Run("edgeface-train", ["dataset", "bench", DatasetTestData.Orl, "--limit", "40", "--passes", "2", "--channels", "1"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("cold (decode+fit+normalise)", r.Stdout);
        Assert.Matches(@"cached \+ augment +\d+ samples/s +\d+\.\d\dx", r.Stdout);
        Assert.Contains("cache: 40 samples", r.Stdout);
    }
}
