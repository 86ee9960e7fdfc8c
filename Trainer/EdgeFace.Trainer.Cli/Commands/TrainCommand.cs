using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary><c>edgeface-train train</c>: starts a run from a JSON config.</summary>
public sealed class TrainCommand : CliCommand
{
    public override string Path => "train";
    public override string Summary => "train an embedding network from a JSON config (checkpoints, curves and history go to its output folder; --seed/--output override the config's)";
    public override string Usage => "--config FILE [--seed N] [--output DIR]";

    public override int Run(CliArgs args, CliContext context)
    {
        var config = TrainConfig.Load(args.Require("config"));
        // Overrides train the same recipe under another seed into another folder: the members of a seed ensemble.
        if (args.Get("seed") is { } seed)
            config = config with { Seed = ulong.TryParse(seed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : throw new Runtime.EdgeFaceException($"--seed must be a non-negative integer, got '{seed}'") };
        if (args.Get("output") is { } output) config = config with { Output = System.IO.Path.GetFullPath(output) };
        args.EnsureAllUsed(0);
        using var run = TrainingRun.Start(config);
        run.Train(context.Progress, context.Cancellation);
        ResumeCommand.Summarize(run, context);
        return 0;
    }
}
