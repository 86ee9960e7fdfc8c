using EdgeFace.TestSupport;

namespace EdgeFace.Trainer.Tests.Training;

/// <summary>Bad input through the real <c>edgeface-train</c>: one line naming the problem, exit 2, no stack trace.</summary>
public class CliErrorTests
{
    private static void AssertOneLineError(CliResult r, string expected)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        // Progress lines may come first; the error is one line, the last.
        var lines = r.Stderr.Trim().Split('\n');
        Assert.Single(lines, l => l.StartsWith("edgeface-train ", StringComparison.Ordinal));
        Assert.StartsWith("edgeface-train ", lines[^1]);
        Assert.Contains(expected, lines[^1]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    private static CliResult Train(TempDir dir, string body) =>
        CliProcess.Run("edgeface-train", ["train", "--config", RunConfigs.Write(dir, "config.json", body)]);

    [Fact]
    public void Unknown_config_key_is_named()
    {
        using var dir = new TempDir();
        AssertOneLineError(Train(dir, RunConfigs.TinyTriplet(1, "run").Replace("\"mining\"", "\"minning\"")), "unknown key 'loss.minning'");
    }

    [Theory]
    [InlineData("\"mining\": \"semi-hard\", \"forgery_margin\": 0.3", "needs batch.forgeries > 0")]
    [InlineData("\"mining\": \"semi-hard\", \"forgery_margin\": -1", "'loss.forgery_margin' must not be negative")]
    public void Forgery_margin_without_forgeries_or_below_zero_is_refused(string mining, string expected)
    {
        using var dir = new TempDir();
        AssertOneLineError(Train(dir, RunConfigs.TinyTriplet(1, "run").Replace("\"mining\": \"semi-hard\"", mining)), expected);
    }

    [Fact]
    public void Bad_config_value_is_named()
    {
        using var dir = new TempDir();
        AssertOneLineError(Train(dir, RunConfigs.TinyTriplet(1, "run").Replace("\"adamw\"", "\"adam-ish\"")), "'optimizer.type' is 'adam-ish'");
    }

    [Fact]
    public void Wrong_value_type_is_named()
    {
        using var dir = new TempDir();
        AssertOneLineError(Train(dir, RunConfigs.TinyTriplet(1, "run").Replace("\"seed\": 3", "\"seed\": \"three\"")), "wrong type for key 'seed'");
    }

    [Fact]
    public void Missing_config_file()
    {
        using var dir = new TempDir();
        AssertOneLineError(CliProcess.Run("edgeface-train", ["train", "--config", dir.File("nope.json")]), "config file not found");
    }

    [Fact]
    public void Unbalanced_dataset_is_reported()
    {
        using var dir = new TempDir();
        // ORL has 10 images per subject; K = 11 cannot be met.
        AssertOneLineError(Train(dir, RunConfigs.TinyTriplet(1, "run").Replace("\"k\": 3", "\"k\": 11")), "unbalanced");
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void Empty_dataset_is_reported()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("empty"));
        AssertOneLineError(Train(dir, RunConfigs.TinyTriplet(1, "run").Replace(RunConfigs.Orl, dir.File("empty"))), "empty dataset");
    }

    [Fact]
    public void Unreadable_image_is_named()
    {
        using var dir = new TempDir();
        var root = dir.File("data");
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            Directory.CreateDirectory(Path.Combine(root, id));
            for (var i = 1; i <= 3; i++) File.Copy(Path.Combine(RunConfigs.Orl, "s1", $"{i}.pgm"), Path.Combine(root, id, $"{i}.pgm"));
        }
        File.WriteAllText(Path.Combine(root, "c", "2.pgm"), "not an image");
        var body = RunConfigs.TinyTriplet(3, "run").Replace(RunConfigs.Orl, root).Replace("\"s1-s8\"", "\"all\"");
        AssertOneLineError(Train(dir, body), "2.pgm");
    }

    [Fact]
    public void Resume_of_a_folder_without_a_run()
    {
        using var dir = new TempDir();
        AssertOneLineError(CliProcess.Run("edgeface-train", ["resume", "--run", dir.Path]), "not a training run");
    }

    [Fact]
    public void Bench_rejects_an_unknown_architecture()
    {
        AssertOneLineError(CliProcess.Run("edgeface-train", ["bench", "--arch", "vgg16"]), "--arch 'vgg16' is not one of");
    }
}
