using System.Globalization;
using System.Text.Json;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Cli.Bench;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary><c>edgeface-train bench</c>: training images/s on synthetic data, comparable with the PyTorch anchor.</summary>
public sealed class BenchCommand : CliCommand
{
    public override string Path => "bench";
    public override string Summary => "measure training throughput (forward+backward+SGD step, images/s) on synthetic data";
    public override string Usage => "--arch mobilefacenet|resnet18-face|signet-lite [--batch 32] [--threads N] [--classes 1000] " +
                                    "[--warmup 3] [--iters 3] [--min-seconds 3] [--repeats 5] [--profile STEPS] [--json]";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var arch = args.Require("arch");
        if (!ArchitectureFactory.Names.Contains(arch))
            throw new EdgeFaceException($"--arch '{arch}' is not one of {string.Join(", ", ArchitectureFactory.Names)}");
        var o = new BenchmarkOptions(arch,
            Positive(args, "batch", 32), Positive(args, "threads", Environment.ProcessorCount), Positive(args, "classes", 1000),
            NonNegative(args, "warmup", 3), Positive(args, "iters", 3), args.GetDouble("min-seconds", 3.0), Positive(args, "repeats", 5),
            NonNegative(args, "profile", 0));
        var json = args.Flag("json");
        args.EnsureAllUsed(0);
        if (arch == "signet-lite" && o.Batch % 4 != 0)
            throw new EdgeFaceException($"--batch {o.Batch}: signet-lite's triplet batch needs a multiple of 4 (identities x 4)");
        var r = ThroughputBenchmark.Run(o, context.Progress, context.Cancellation);
        if (json)
        {
            var figures = new Dictionary<string, object>
            {
                ["bench"] = "edgeface_train", ["arch"] = arch, ["batch"] = o.Batch, ["threads"] = o.Threads,
                ["params_backbone"] = r.BackboneParameters, ["params_head"] = r.HeadParameters,
                ["train_images_per_second"] = Math.Round(r.Median, 2), ["best_images_per_second"] = Math.Round(r.Best, 2),
                ["windows"] = r.Windows.Select(w => Math.Round(w, 2)).ToArray(),
                ["arena_bytes"] = r.ArenaBytes, ["simd"] = Kernels.KernelPaths.Describe(),
            };
            if (r.Profile is not null) figures["profile"] = ProfileTable.ToJson(r.Profile);
            context.Out.WriteLine(JsonSerializer.Serialize(figures));
        }
        else
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{arch} batch {o.Batch} threads {o.Threads}: {r.Median:F2} images/s median, {r.Best:F2} best " +
                $"({r.BackboneParameters:N0} + {r.HeadParameters:N0} parameters, arena {r.ArenaBytes / 1048576.0:F0} MiB)"));
            if (r.Profile is not null) ProfileTable.Write(r.Profile, context.Out);
        }
        return 0;
    }

    private static int Positive(CliArgs a, string name, int fallback)
    {
        var v = a.GetInt(name, fallback);
        return v > 0 ? v : throw new EdgeFaceException($"--{name} must be at least 1, got {v}");
    }

    private static int NonNegative(CliArgs a, string name, int fallback)
    {
        var v = a.GetInt(name, fallback);
        return v >= 0 ? v : throw new EdgeFaceException($"--{name} must not be negative, got {v}");
    }
}
