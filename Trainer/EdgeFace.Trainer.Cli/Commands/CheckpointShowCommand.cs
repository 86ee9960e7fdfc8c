using System.Globalization;
using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Checkpoints;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary>Verifies a checkpoint file (magic, version, checksum) and prints what it holds.</summary>
public sealed class CheckpointShowCommand : CliCommand
{
    public override string Path => "checkpoint show";
    public override string Summary => "Verify a training checkpoint and print its step, epoch, buffers and run config";
    public override string Usage => "FILE";

    public override int Run(CliArgs args, CliContext context)
    {
        var path = args.Positional(0, "checkpoint file");
        args.EnsureAllUsed(maxPositionals: 1);
        var c = CheckpointFile.Load(path);
        var o = context.Out;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"checkpoint {System.IO.Path.GetFullPath(path)} (format {CheckpointFile.FormatVersion}, checksum ok)");
        o.WriteLine(string.Create(inv, $"step       {c.Step}"));
        o.WriteLine(string.Create(inv, $"epoch      {c.Epoch}"));
        o.WriteLine(string.Create(inv, $"parameters {c.Parameters.Length}"));
        foreach (var (name, data) in c.OptimizerState.OrderBy(p => p.Key, StringComparer.Ordinal))
            o.WriteLine(string.Create(inv, $"optimizer  {name}: {data.Length} floats"));
        foreach (var (name, data) in c.Blobs.OrderBy(p => p.Key, StringComparer.Ordinal))
            o.WriteLine(string.Create(inv, $"state      {name}: {data.Length} bytes"));
        o.WriteLine($"config     {c.ConfigJson}");
        return 0;
    }
}
