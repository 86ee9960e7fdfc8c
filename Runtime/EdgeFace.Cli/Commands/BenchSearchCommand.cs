using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Search;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// 1:N search benchmark on synthetic data, shaped like <c>anchors/faiss_search_bench.py</c> so the two can run
/// side by side: N random L2-normalised vectors, queries are noisy copies of gallery vectors (cosine ~0.9) so
/// top-1 correctness checks the answers. Per thread count: single-query latency (median, p95) and batch
/// throughput, exact float32 and (with --quantized int8) int8 + exact re-ranking, with recall@1 against exact.
/// </summary>
public sealed class BenchSearchCommand : CliCommand
{
    public override string Path => "bench search";
    public override string Summary => "Benchmark exact and int8 1:N search on random templates (compare with faiss_search_bench.py)";
    public override string Usage => "[--count N] [--dim D] [--threads 1,2] [--quantized int8] [--queries 200] [--batch 100] [--reps 3] [--seed S] [--json]";
    public override IReadOnlyCollection<string> Flags => ["json"];

    private static readonly ModelBinding Model = new("bench-random", new string('0', 64));

    public override int Run(CliArgs args, CliContext context)
    {
        var n = args.GetInt("count", 1_000_000);
        var d = args.GetInt("dim", 128);
        var threadList = (args.Get("threads") ?? "1,2").Split(',').Select(t =>
            int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 256 ? v
                : throw new EdgeFaceException($"--threads must be a comma-separated list of thread counts, got '{t}'")).ToList();
        var quantized = args.Get("quantized") switch
        {
            null => false,
            "int8" => true,
            var other => throw new EdgeFaceException($"--quantized must be int8, got '{other}'"),
        };
        var queries = args.GetInt("queries", 200);
        var batch = args.GetInt("batch", 100);
        var reps = args.GetInt("reps", 3);
        var seed = args.GetInt("seed", 0);
        var json = args.Flag("json");
        args.EnsureAllUsed(maxPositionals: 0);
        if (n < 1 || d < 1 || d > 8192 || queries < 1 || batch < 1 || reps < 1) throw new EdgeFaceException("--count, --dim, --queries, --batch and --reps must be positive (dim at most 8192)");
        if ((long)n * d > 1L << 31) throw new EdgeFaceException($"gallery of {n} x {d} is too large for this benchmark (at most 2^31 values)");

        var watch = Stopwatch.StartNew();
        var gallery = RandomUnitRows(n, d, seed);
        var nq = Math.Max(queries, batch);
        var (probes, truth) = NoisyCopies(gallery, n, d, nq, seed + 1);
        var genSeconds = watch.Elapsed.TotalSeconds;
        context.Progress(string.Create(CultureInfo.InvariantCulture, $"generated {n} x {d} gallery and {nq} queries in {genSeconds:0.00} s; kernels {GalleryIndex.KernelPath}"));

        var results = new JsonObject();
        double? buildSeconds = null;
        foreach (var threads in threadList)
        {
            var row = new JsonObject();
            int[] exactTop;
            using (var exact = Build(gallery, n, d, threads, Quantization.None, out var seconds))
            {
                buildSeconds ??= seconds;
                exactTop = Measure(exact, probes, truth, d, queries, batch, reps, "exact", row);
            }
            if (quantized)
            {
                using var int8 = Build(gallery, n, d, threads, Quantization.Int8, out _);
                var top = Measure(int8, probes, truth, d, queries, batch, reps, "int8", row);
                row["int8_recall_at_1"] = Math.Round(top.Zip(exactTop).Count(p => p.First == p.Second) / (double)queries, 4);
            }
            results[threads.ToString(CultureInfo.InvariantCulture)] = row;
            context.Progress($"threads={threads}: {row.ToJsonString()}");
        }
        var first = results[threadList[0].ToString(CultureInfo.InvariantCulture)]!;
        var report = new JsonObject
        {
            ["bench"] = "edgeface_search",
            ["n"] = n,
            ["d"] = d,
            ["kernels"] = GalleryIndex.KernelPath,
            ["cpus"] = Environment.ProcessorCount,
            ["gen_s"] = Math.Round(genSeconds, 3),
            ["build_s"] = Math.Round(buildSeconds ?? 0, 3),
            ["exact_single_query_ms"] = first["exact_single_query_ms"]!.DeepClone(),
            ["threads"] = results,
        };
        if (json) context.Out.WriteLine(report.ToJsonString(FaceJson.Options));
        else
            foreach (var (threads, row) in results)
                context.Out.WriteLine($"{n} x {d}, {threads} thread(s): {row!.ToJsonString()}");
        return 0;
    }

    private static GalleryIndex Build(float[] gallery, int n, int d, int threads, Quantization quantization, out double seconds)
    {
        var watch = Stopwatch.StartNew();
        var index = new GalleryIndex(Model, d, new IndexOptions { Threads = threads, Quantization = quantization });
        index.Reserve(n);
        for (var i = 0; i < n; i++) index.Add(i, gallery.AsSpan(i * d, d));
        seconds = watch.Elapsed.TotalSeconds;
        return index;
    }

    /// <summary>Times single queries and batches; writes {label}_* fields; returns the single-query top-1 rows.</summary>
    private static int[] Measure(GalleryIndex index, float[] probes, int[] truth, int d, int queries, int batch, int reps, string label, JsonObject row)
    {
        var hit = new SearchHit[1];
        for (var q = 0; q < Math.Min(10, queries); q++) index.Search(probes.AsSpan(q * d, d), Model, hit);
        var ms = new double[queries];
        var top = new int[queries];
        for (var q = 0; q < queries; q++)
        {
            var t0 = Stopwatch.GetTimestamp();
            index.Search(probes.AsSpan(q * d, d), Model, hit);
            ms[q] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            top[q] = (int)hit[0].IdentityId;
        }
        var correct = top.Select((t, q) => t == truth[q]).Count(c => c);
        var batchHits = new SearchHit[batch];
        var batchProbes = probes.AsSpan(0, batch * d);
        index.SearchBatch(batchProbes, Model, 1, batchHits);
        var times = new double[reps];
        for (var r = 0; r < reps; r++)
        {
            var t0 = Stopwatch.GetTimestamp();
            index.SearchBatch(batchProbes, Model, 1, batchHits);
            times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        var batchCorrect = batchHits.Select((h, q) => h.IdentityId == truth[q]).Count(c => c);
        Array.Sort(ms);
        Array.Sort(times);
        row[$"{label}_single_query_ms"] = Math.Round(ms[ms.Length / 2], 3);
        row[$"{label}_single_p95_ms"] = Math.Round(ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(ms.Length * 0.95) - 1)], 3);
        row[$"{label}_batch_qps"] = Math.Round(batch / times[times.Length / 2], 1);
        row[$"{label}_top1_correct"] = Math.Round((correct + batchCorrect) / (double)(queries + batch), 4);
        return top;
    }

    /// <summary>Isotropic random unit vectors (Box-Muller normals, normalised), generated in parallel chunks with fixed seeds.</summary>
    private static float[] RandomUnitRows(int n, int d, int seed)
    {
        var data = new float[(long)n * d];
        const int chunk = 16_384;
        Parallel.For(0, (n + chunk - 1) / chunk, c =>
        {
            var rng = new Random(HashCode.Combine(seed, c));
            var end = Math.Min(n, (c + 1) * chunk);
            for (var i = c * chunk; i < end; i++) FillUnit(rng, data.AsSpan(i * d, d));
        });
        return data;
    }

    private static void FillUnit(Random rng, Span<float> v)
    {
        double sum = 0;
        for (var j = 0; j < v.Length; j++)
        {
            var g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            v[j] = (float)g;
            sum += g * g;
        }
        var inv = (float)(1 / Math.Sqrt(sum));
        for (var j = 0; j < v.Length; j++) v[j] *= inv;
    }

    /// <summary>Queries: gallery rows plus Gaussian noise of norm ~0.5, normalised (cosine ~0.9 to their source), as the faiss anchor does.</summary>
    private static (float[] Probes, int[] Truth) NoisyCopies(float[] gallery, int n, int d, int count, int seed)
    {
        var rng = new Random(seed);
        var probes = new float[count * d];
        var truth = Enumerable.Range(0, count).Select(_ => rng.Next(n)).ToArray();
        var noise = new float[d];
        var sigma = 0.5 / Math.Sqrt(d);
        for (var q = 0; q < count; q++)
        {
            for (var j = 0; j < d; j++) noise[j] = (float)(sigma * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            var p = probes.AsSpan(q * d, d);
            for (var j = 0; j < d; j++) p[j] = gallery[(long)truth[q] * d + j] + noise[j];
            Enrollment.Store.Embeddings.Normalise(p);
        }
        return (probes, truth);
    }
}
