using EdgeFace.TestSupport;
using EdgeFace.Trainer.Checkpoints;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Tests.Training;

/// <summary>A run stopped and resumed ends bit-identical to the same run done in one go.</summary>
public class ResumeTests
{
    [Fact]
    public void Resumed_run_matches_the_uninterrupted_run()
    {
        using var dir = new TempDir();
        var whole = RunConfigs.Write(dir, "whole.json", RunConfigs.TinyTriplet(4, "whole"));
        var r1 = CliProcess.Run("edgeface-train", ["train", "--config", whole]);
        Assert.True(r1.ExitCode == 0, r1.ToString());

        // Same run, stopped after 2 steps, then told to go on to 4 and resumed.
        var half = RunConfigs.Write(dir, "half.json", RunConfigs.TinyTriplet(2, "half"));
        var r2 = CliProcess.Run("edgeface-train", ["train", "--config", half]);
        Assert.True(r2.ExitCode == 0, r2.ToString());
        var runConfig = Path.Combine(dir.Path, "half", "config.json");
        File.WriteAllText(runConfig, File.ReadAllText(runConfig).Replace("\"steps\": 2", "\"steps\": 4"));
        var r3 = CliProcess.Run("edgeface-train", ["resume", "--run", Path.Combine(dir.Path, "half")]);
        Assert.True(r3.ExitCode == 0, r3.ToString());
        Assert.Contains("resuming", r3.Stderr);

        var a = CheckpointFile.Load(new RunFolder(Path.Combine(dir.Path, "whole")).Checkpoint);
        var b = CheckpointFile.Load(new RunFolder(Path.Combine(dir.Path, "half")).Checkpoint);
        Assert.Equal(4, a.Step);
        Assert.Equal(4, b.Step);
        Assert.True(a.Parameters.Span.SequenceEqual(b.Parameters.Span), "parameters differ after resume");
        Assert.Equal(a.Blobs["model.buffers"], b.Blobs["model.buffers"]);
        foreach (var (name, state) in a.OptimizerState) Assert.True(state.Span.SequenceEqual(b.OptimizerState[name].Span), name);
    }

    [Fact]
    public void A_finished_run_folder_is_not_overwritten()
    {
        using var dir = new TempDir();
        var config = RunConfigs.Write(dir, "c.json", RunConfigs.TinyTriplet(1, "run"));
        Assert.Equal(0, CliProcess.Run("edgeface-train", ["train", "--config", config]).ExitCode);
        var before = File.ReadAllBytes(Path.Combine(dir.Path, "run", "checkpoint.efck"));
        var again = CliProcess.Run("edgeface-train", ["train", "--config", config]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds a run", again.Stderr);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir.Path, "run", "checkpoint.efck")));
    }
}
