using EdgeFace.TestSupport;
using EdgeFace.Trainer.Checkpoints;

namespace EdgeFace.Trainer.Tests.Checkpoints;

/// <summary><c>edgeface-train checkpoint show</c> through the real process.</summary>
public sealed class CheckpointCliTests
{
    [Fact]
    public void Show_prints_a_verified_summary()
    {
        using var dir = new TempDir();
        var path = dir.File("epoch3.ckpt");
        CheckpointFile.Save(path, new Checkpoint
        {
            ConfigJson = """{"arch":"tiny"}""",
            Step = 1500,
            Epoch = 3,
            Parameters = new float[1234],
            OptimizerState = new Dictionary<string, ReadOnlyMemory<float>> { ["sgd.momentum"] = new float[1234] },
            Blobs = new Dictionary<string, byte[]> { ["sampler"] = new byte[32] },
        });
        var r = CliProcess.Run("edgeface-train", ["checkpoint", "show", path]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("checksum ok", r.Stdout);
        Assert.Contains("step       1500", r.Stdout);
        Assert.Contains("epoch      3", r.Stdout);
        Assert.Contains("parameters 1234", r.Stdout);
        Assert.Contains("optimizer  sgd.momentum: 1234 floats", r.Stdout);
        Assert.Contains("state      sampler: 32 bytes", r.Stdout);
        Assert.Contains("""config     {"arch":"tiny"}""", r.Stdout);
    }

    [Fact]
    public void Corrupt_truncated_and_missing_files_are_one_line_errors()
    {
        using var dir = new TempDir();
        var path = dir.File("run.ckpt");
        CheckpointFile.Save(path, new Checkpoint { ConfigJson = "{}", Parameters = new float[5000] });
        var good = File.ReadAllBytes(path);

        var flipped = (byte[])good.Clone();
        flipped[4000] ^= 1;
        File.WriteAllBytes(path, flipped);
        Expect(path, $"{path} is corrupt (SHA-256 checksum mismatch)");

        File.WriteAllBytes(path, good[..^10]);
        Expect(path, $"{path} is truncated");

        Expect(dir.File("missing.ckpt"), $"checkpoint not found: {dir.File("missing.ckpt")}");
    }

    private static void Expect(string path, string message)
    {
        var r = CliProcess.Run("edgeface-train", ["checkpoint", "show", path]);
        Assert.True(r.ExitCode == 2, r.ToString());
        var line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith($"edgeface-train checkpoint show: {message}", line);
    }
}
