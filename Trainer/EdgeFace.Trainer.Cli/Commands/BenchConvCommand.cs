using System.Globalization;
using System.Text.Json;
using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Cli.Bench;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary>Forward and backward timings of the convolution kernels on MobileFaceNet-, ResNet- and SigNet-like layers,
/// with ONNX Runtime's Conv forward on the same shape for comparison.</summary>
public sealed class BenchConvCommand : CliCommand
{
    private static readonly (string Name, ConvShape Shape)[] Layers =
    [
        ("conv1 3x3 s2", new ConvShape(1, 3, 112, 112, 64, 3, 3, 2, 2, 1, 1)),
        ("dw 3x3 s1", new ConvShape(1, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, Groups: 64)),
        ("pw 64->128", new ConvShape(1, 64, 56, 56, 128, 1, 1)),
        ("dw 3x3 s2", new ConvShape(1, 128, 56, 56, 128, 3, 3, 2, 2, 1, 1, Groups: 128)),
        ("pw 128->64", new ConvShape(1, 128, 28, 28, 64, 1, 1)),
        ("conv 3x3 s1", new ConvShape(1, 64, 28, 28, 64, 3, 3, 1, 1, 1, 1)),
        ("pw 128->512", new ConvShape(1, 128, 7, 7, 512, 1, 1)),
        ("gdconv 7x7", new ConvShape(1, 512, 7, 7, 512, 7, 7, Groups: 512)),
        ("signet 11x11 s4", new ConvShape(1, 1, 150, 220, 96, 11, 11, 4, 4, 0, 0)),
        ("signet 5x5", new ConvShape(1, 96, 17, 26, 256, 5, 5, 1, 1, 2, 2)),
        ("resnet stem 7x7 s2", new ConvShape(1, 3, 112, 112, 64, 7, 7, 2, 2, 3, 3)),
        ("resnet 3x3 128", new ConvShape(1, 128, 14, 14, 128, 3, 3, 1, 1, 1, 1)),
        ("resnet 3x3 256", new ConvShape(1, 256, 7, 7, 256, 3, 3, 1, 1, 1, 1)),
        ("resnet 3x3 512", new ConvShape(1, 512, 4, 4, 512, 3, 3, 1, 1, 1, 1)),
    ];

    public override string Path => "bench conv";
    public override string Summary => "Benchmark convolution forward/backward on MobileFaceNet-, ResNet- and SigNet-like layers";
    public override string Usage => "[--batch N] [--threads N] [--seconds S] [--layer TEXT] [--json]";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var threads = BenchOptions.Threads(args);
        var seconds = BenchOptions.Seconds(args);
        var batch = BenchOptions.Size(args, "batch", 8);
        if (batch > 256) throw new Runtime.EdgeFaceException($"--batch must be at most 256, got {batch}");
        var json = args.Flag("json");
        var only = args.Get("layer");
        var layers = Layers.Where(l => only == null || l.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (layers.Length == 0)
            throw new Runtime.EdgeFaceException($"--layer '{only}' matches no layer; layers: {string.Join(", ", Layers.Select(l => l.Name))}");
        args.EnsureAllUsed(maxPositionals: 0);

        var saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try
        {
            if (!json) context.Out.WriteLine($"batch {batch}, threads {threads}, path {KernelPaths.Best}");
            var results = new List<Dictionary<string, object>>();
            double total = 0;
            foreach (var (name, shape) in layers)
            {
                var r = Measure(name, shape with { Batch = batch }, threads, seconds, context);
                total += (double)r["stepMs"];
                results.Add(r);
                if (!json) context.Out.WriteLine(Describe(r));
            }
            if (json)
                context.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["batch"] = batch, ["threads"] = threads, ["path"] = KernelPaths.Best.ToString(),
                    ["layers"] = results, ["totalStepMs"] = Math.Round(total, 3),
                }));
            else
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total forward+backward {total:F2} ms"));
            return 0;
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    private static Dictionary<string, object> Measure(string name, ConvShape s, int threads, double seconds, CliContext context)
    {
        context.Progress($"conv {name} batch {s.Batch}...");
        var rng = new Random(1);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var (x, w, b, go) = (Random(s.InputLength), Random(s.WeightLength), Random(s.OutChannels), Random(s.OutputLength));
        var (y, gi, gw, gb) = (new float[s.OutputLength], new float[s.InputLength], new float[s.WeightLength], new float[s.OutChannels]);
        var third = seconds / 3;
        var forward = BenchTimer.Measure(() => Conv2dKernels.Forward(s, x, w, b, y), third, context.Cancellation);
        var backwardInput = BenchTimer.Measure(() => Conv2dKernels.BackwardInput(s, go, w, gi), third, context.Cancellation);
        var backwardWeight = BenchTimer.Measure(() => Conv2dKernels.BackwardWeight(s, x, go, gw, gb), third, context.Cancellation);

        // Steady-state allocation of a forward+backward step, all threads: the least over a few steps, so a
        // pool worker growing its scratch the first time it happens to get a bigger task does not count.
        var allocated = long.MaxValue;
        for (var repeat = 0; repeat < 3; repeat++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            Conv2dKernels.Forward(s, x, w, b, y);
            Conv2dKernels.BackwardInput(s, go, w, gi);
            Conv2dKernels.BackwardWeight(s, x, go, gw, gb);
            allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        var ortOut = new float[s.OutputLength];
        BenchTime ort;
        using (var session = new OnnxBenchSession(
                   OnnxGraphModel.Conv(s.Batch, s.InChannels, s.InH, s.InW, s.OutChannels, s.KernelH, s.KernelW, s.StrideH, s.PadH, s.Groups, s.OutH, s.OutW),
                   threads, [("X", x, [s.Batch, s.InChannels, s.InH, s.InW]), ("W", w, [s.OutChannels, s.InPerGroup, s.KernelH, s.KernelW])],
                   ("Y", ortOut, [s.Batch, s.OutChannels, s.OutH, s.OutW])))
            ort = BenchTimer.Measure(session.Run, third, context.Cancellation);

        var flops = 2.0 * s.OutputLength * s.InPerGroup * s.KernelH * s.KernelW;
        static double Ms(double seconds) => Math.Round(seconds * 1e3, 3);
        var step = forward.WallSeconds + backwardInput.WallSeconds + backwardWeight.WallSeconds;
        return new Dictionary<string, object>
        {
            ["layer"] = name,
            ["shape"] = $"{s.Batch}x{s.InChannels}x{s.InH}x{s.InW} -> {s.OutChannels}x{s.OutH}x{s.OutW} k{s.KernelH} s{s.StrideH} p{s.PadH} g{s.Groups}",
            ["forwardMs"] = Ms(forward.WallSeconds),
            ["backwardInputMs"] = Ms(backwardInput.WallSeconds),
            ["backwardWeightMs"] = Ms(backwardWeight.WallSeconds),
            ["stepMs"] = Ms(step),
            ["stepGflops"] = Math.Round(3 * flops / step / 1e9, 2),
            ["onnxruntimeForwardMs"] = Ms(ort.WallSeconds),
            ["forwardRatioToOnnxRuntime"] = Math.Round(ort.WallSeconds / forward.WallSeconds, 3),
            ["forwardCpuRatioToOnnxRuntime"] = Math.Round(ort.CpuSeconds / forward.CpuSeconds, 3),
            ["bytesAllocatedPerStep"] = allocated,
        };
    }

    private static string Describe(Dictionary<string, object> r) => string.Create(CultureInfo.InvariantCulture,
        $"{r["layer"],-16} {r["shape"],-44} fwd {r["forwardMs"],8} ms  bwd-in {r["backwardInputMs"],8} ms  bwd-w {r["backwardWeightMs"],8} ms  " +
        $"({r["stepGflops"]} GFLOP/s)  ort fwd {r["onnxruntimeForwardMs"]} ms, speed ratio {r["forwardRatioToOnnxRuntime"]} (cpu {r["forwardCpuRatioToOnnxRuntime"]})  alloc {r["bytesAllocatedPerStep"]} B");
}
