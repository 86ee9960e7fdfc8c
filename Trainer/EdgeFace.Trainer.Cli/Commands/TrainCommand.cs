using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary><c>edgeface-train train</c>: starts a run from a JSON config.</summary>
public sealed class TrainCommand : CliCommand
{
    public override string Path => "train";
    public override string Summary => "train an embedding network from a JSON config (checkpoints, curves and history go to its output folder)";
    public override string Usage => "--config FILE";

    public override int Run(CliArgs args, CliContext context)
    {
        var config = TrainConfig.Load(args.Require("config"));
        args.EnsureAllUsed(0);
        using var run = TrainingRun.Start(config);
        run.Train(context.Progress, context.Cancellation);
        ResumeCommand.Summarize(run, context);
        return 0;
    }
}
