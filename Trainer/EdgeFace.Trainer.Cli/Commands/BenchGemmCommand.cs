using System.Globalization;
using System.Text.Json;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Cli.Bench;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary>GFLOP/s of our GEMM on every supported SIMD path against ONNX Runtime's MatMul on the same shapes and threads.</summary>
public sealed class BenchGemmCommand : CliCommand
{
    private static readonly (int M, int N, int K)[] DefaultShapes = [(512, 512, 512), (1024, 1024, 1024), (64, 12544, 576)];

    public override string Path => "bench gemm";
    public override string Summary => "Benchmark the training GEMM (each SIMD path) against ONNX Runtime MatMul";
    public override string Usage => "[--m M --n N --k K] [--threads N] [--seconds S] [--json]";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var threads = BenchOptions.Threads(args);
        var seconds = BenchOptions.Seconds(args);
        var json = args.Flag("json");
        var shapes = DefaultShapes;
        if (args.Get("m") is not null || args.Get("n") is not null || args.Get("k") is not null)
            shapes = [(BenchOptions.Size(args, "m", 512), BenchOptions.Size(args, "n", 512), BenchOptions.Size(args, "k", 512))];
        args.EnsureAllUsed(maxPositionals: 0);
        foreach (var (m, n, k) in shapes)
            if ((long)m * k + (long)k * n + (long)m * n > 256L << 20)
                throw new EdgeFaceException($"shape {m}x{n}x{k} needs more than 1 GiB of matrices; choose smaller --m/--n/--k");

        var paths = KernelPaths.Supported.Where(p => p != KernelPath.Scalar).Reverse().ToArray();
        var saved = KernelThreads.Count;
        KernelThreads.Count = threads;
        try
        {
            var results = new List<Dictionary<string, object>>();
            if (!json) context.Out.WriteLine($"threads {threads}; {KernelPaths.Describe()}");
            foreach (var (m, n, k) in shapes)
            {
                var result = Measure(m, n, k, paths, threads, seconds, context);
                results.Add(result);
                if (!json) context.Out.WriteLine(Describe(result));
            }
            if (json)
                context.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["threads"] = threads,
                    ["cpu"] = KernelPaths.Describe(),
                    ["selected"] = Gemm.Selected.ToString(),
                    ["shapes"] = results,
                }));
            return 0;
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    private static Dictionary<string, object> Measure(int m, int n, int k, KernelPath[] paths, int threads, double seconds, CliContext context)
    {
        var rng = new Random(1);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var c = new float[m * n];
        var flops = 2.0 * m * n * k;
        var gflops = new Dictionary<string, double>();
        var cpuGflops = new Dictionary<string, double>();
        foreach (var path in paths)
        {
            context.Progress($"gemm {m}x{n}x{k} {path}...");
            var t = BenchTimer.Measure(() => Gemm.Multiply(path, false, false, m, n, k, a, k, b, n, c, n), seconds, context.Cancellation);
            gflops[path.ToString()] = Math.Round(flops / t.WallSeconds / 1e9, 2);
            cpuGflops[path.ToString()] = Math.Round(flops / t.CpuSeconds / 1e9, 2);
        }
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n);

        context.Progress($"gemm {m}x{n}x{k} onnxruntime...");
        var ortC = new float[m * n];
        BenchTime ortTime;
        using (var session = new OnnxBenchSession(OnnxGraphModel.MatMul(m, n, k), threads,
                   [("A", a, [m, k]), ("B", b, [k, n])], ("C", ortC, [m, n])))
            ortTime = BenchTimer.Measure(session.Run, seconds, context.Cancellation);
        var ort = flops / ortTime.WallSeconds / 1e9;
        var ortCpu = flops / ortTime.CpuSeconds / 1e9;
        var best = gflops.Count == 0 ? 0 : gflops.Values.Max();
        var bestCpu = cpuGflops.Count == 0 ? 0 : cpuGflops.Values.Max();
        return new Dictionary<string, object>
        {
            ["m"] = m, ["n"] = n, ["k"] = k,
            ["gflops"] = gflops,
            ["onnxruntimeGflops"] = Math.Round(ort, 2),
            ["ratioToOnnxRuntime"] = Math.Round(best / ort, 3),
            ["gflopsPerCpuSecond"] = cpuGflops,
            ["onnxruntimeGflopsPerCpuSecond"] = Math.Round(ortCpu, 2),
            ["cpuRatioToOnnxRuntime"] = Math.Round(bestCpu / ortCpu, 3),
            ["maxDifferenceToOnnxRuntime"] = MaxRelativeDifference(c, ortC),
        };
    }

    private static double MaxRelativeDifference(float[] x, float[] y)
    {
        double scale = 1e-6, worst = 0;
        for (var i = 0; i < x.Length; i++) scale = Math.Max(scale, Math.Abs(y[i]));
        for (var i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(x[i] - y[i]));
        return worst / scale;
    }

    private static string Describe(Dictionary<string, object> r)
    {
        static string List(object d) => string.Join("  ", ((Dictionary<string, double>)d).Select(p => $"{p.Key} {p.Value.ToString("F1", CultureInfo.InvariantCulture)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{r["m"]}x{r["n"]}x{r["k"]}: GFLOP/s {List(r["gflops"])}  onnxruntime {r["onnxruntimeGflops"]}  ratio {r["ratioToOnnxRuntime"]}\n" +
            $"    per CPU-second: {List(r["gflopsPerCpuSecond"])}  onnxruntime {r["onnxruntimeGflopsPerCpuSecond"]}  ratio {r["cpuRatioToOnnxRuntime"]}  (max diff {(double)r["maxDifferenceToOnnxRuntime"]:E1})");
    }
}
