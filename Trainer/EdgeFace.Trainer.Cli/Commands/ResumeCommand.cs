using System.Globalization;
using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary><c>edgeface-train resume</c>: continues a run from its last checkpoint, exactly where it stopped.</summary>
public sealed class ResumeCommand : CliCommand
{
    public override string Path => "resume";
    public override string Summary => "continue a run from its last checkpoint (same step, optimizer state, sampler and RNG state)";
    public override string Usage => "--run DIR";

    public override int Run(CliArgs args, CliContext context)
    {
        var folder = args.Require("run");
        args.EnsureAllUsed(0);
        using var run = TrainingRun.Resume(folder);
        context.Progress($"resuming {run.Folder.Path} at step {run.Step}/{run.TotalSteps}");
        run.Train(context.Progress, context.Cancellation);
        Summarize(run, context);
        return 0;
    }

    internal static void Summarize(TrainingRun run, CliContext context)
    {
        var (first, last) = run.History.LossEnds(10);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {run.Step} steps: loss {first:F4} -> {last:F4}; checkpoint {run.Folder.Checkpoint}, curves {run.Folder.Curves}"));
    }
}
