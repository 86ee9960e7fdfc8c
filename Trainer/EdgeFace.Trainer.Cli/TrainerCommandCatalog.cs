using EdgeFace.Runtime.Cli;

namespace EdgeFace.Trainer.Cli;

/// <summary>Every command of the <c>edgeface-train</c> host. Commands live one per file under Commands/.</summary>
public static class TrainerCommandCatalog
{
    public static IEnumerable<CliCommand> All() =>
    [
        new Commands.TrainCommand(),
        new Commands.ResumeCommand(),
        new Commands.ExportCommand(),
        new Commands.EvalCommand(),
        new Commands.BenchCommand(),
        new Commands.DatasetCheckCommand(),
        new Commands.DatasetBenchCommand(),
        new Commands.CheckpointShowCommand(),
        new Commands.BenchGemmCommand(),
        new Commands.BenchConvCommand(),
    ];
}
