using System.Diagnostics;
using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Losses;
using EdgeFace.Trainer.Optimization;

namespace EdgeFace.Trainer.Training;

/// <summary>Settings of a training-throughput measurement, defaults as the PyTorch anchor's.</summary>
public sealed record BenchmarkOptions(string Architecture, int Batch = 32, int Threads = 1, int Classes = 1000,
    int Warmup = 3, int Iterations = 3, double MinSeconds = 3.0, int Repeats = 5, int ProfileSteps = 0);

/// <summary>Images per second of each timed window, with the median and best.</summary>
public sealed record BenchmarkResult(BenchmarkOptions Options, int BackboneParameters, int HeadParameters, double[] Windows, long ArenaBytes,
    StepProfile? Profile)
{
    public double Median => Windows.Order().ElementAt(Windows.Length / 2);
    public double Best => Windows.Max();
}

/// <summary>
/// Training throughput on synthetic data, like for like with /work/shared/anchors/torch_train_bench.py:
/// same network, same head and loss (ArcFace s=64 m=0.5 over 1000 classes, or batch-hard triplet with
/// batch/4 identities × 4 for signet-lite), SGD momentum 0.9 with weight decay 5e-4, train mode;
/// warm-up steps, then windows of at least N steps and S seconds.
/// </summary>
public static class ThroughputBenchmark
{
    public static BenchmarkResult Run(BenchmarkOptions o, Action<string>? progress = null, CancellationToken cancel = default)
    {
        Parallelism.Threads = o.Threads;
        var rng = new Rng(0);
        var embedding = ArchitectureFactory.DefaultEmbeddingSize(o.Architecture);
        var network = ArchitectureFactory.Create(o.Architecture, embedding, rng);
        int[] labels;
        EmbeddingLoss loss;
        if (o.Architecture == "signet-lite")
        {
            loss = new TripletLoss(0.2f, TripletMining.BatchHard);
            labels = Enumerable.Range(0, o.Batch).Select(i => i / 4).ToArray();
        }
        else
        {
            loss = new MarginSoftmaxLoss(network.Parameters, rng, embedding, o.Classes, MarginKind.ArcFace);
            labels = Enumerable.Range(0, o.Batch).Select(_ => rng.Next(o.Classes)).ToArray();
        }
        network.Parameters.Seal();
        var optimizer = new SgdOptimizer(network.Parameters.Count, momentum: 0.9f, nesterov: false, weightDecay: 5e-4f);
        var step = new TrainingStep(network, loss, optimizer, new Rng(1));
        var images = new float[o.Batch * network.InputLength];
        for (var i = 0; i < images.Length; i++) images[i] = rng.Normal();

        for (var i = 0; i < o.Warmup; i++) { cancel.ThrowIfCancellationRequested(); step.Run(images, labels, 0.01f); }
        var windows = new double[o.Repeats];
        for (var r = 0; r < o.Repeats; r++)
        {
            var n = 0;
            var clock = Stopwatch.StartNew();
            while (n < o.Iterations || clock.Elapsed.TotalSeconds < o.MinSeconds)
            {
                cancel.ThrowIfCancellationRequested();
                step.Run(images, labels, 0.01f);
                n++;
            }
            windows[r] = n * o.Batch / clock.Elapsed.TotalSeconds;
            progress?.Invoke($"{o.Architecture} threads={o.Threads} window {r + 1}/{o.Repeats}: {windows[r]:F2} images/s");
        }
        StepProfile? profile = null;
        if (o.ProfileSteps > 0)
        {
            // After the timed windows, so the profiler's bookkeeping never touches the figures above.
            step.Profile = profile = new StepProfile();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < o.ProfileSteps; i++) { cancel.ThrowIfCancellationRequested(); step.Run(images, labels, 0.01f); }
            profile.TotalMs = clock.Elapsed.TotalMilliseconds;
            step.Profile = null;
        }
        return new BenchmarkResult(o, network.BackboneParameterCount, network.HeadParameterCount, windows, step.ArenaFloats * 4, profile);
    }
}
