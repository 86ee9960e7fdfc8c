using System.Diagnostics;
using System.Globalization;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Models;
using EdgeFace.Trainer.Data;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary>
/// Measures the input pipeline on this machine: cold loads (decode + fit + normalise) against cached loads and
/// cached loads with augmentation, so the cache's benefit and the augmentation cost are reported as ratios.
/// </summary>
public sealed class DatasetBenchCommand : CliCommand
{
    public override string Path => "dataset bench";
    public override string Summary => "Benchmark image loading: cold decode vs cached vs cached+augmented (samples/s and ratios)";
    public override string Usage => "ROOT [--size 112] [--channels 1|3] [--limit 400] [--passes 5]";

    public override int Run(CliArgs args, CliContext context)
    {
        var root = args.Positional(0, "dataset folder (ROOT)");
        var size = args.GetInt("size", 112);
        var channels = args.GetInt("channels", 3);
        var limit = args.GetInt("limit", 400);
        var passes = args.GetInt("passes", 5);
        args.EnsureAllUsed(maxPositionals: 1);
        if (size is < 8 or > 1024) throw new EdgeFaceException($"--size {size} must be between 8 and 1024");
        if (limit < 1 || passes < 1) throw new EdgeFaceException("--limit and --passes must be at least 1");

        var data = FolderDataset.Open(root);
        var input = new ModelInput
        {
            Name = "bench", Channels = channels, Width = size, Height = size, ColorOrder = channels == 1 ? "GRAY" : "RGB",
            Scale = 1 / 255f, Mean = [0.5f, 0.5f, 0.5f], Std = [0.5f, 0.5f, 0.5f], Resize = ResizeMode.Stretch,
        };
        var count = Math.Min(limit, data.Samples.Count);
        var buffer = new float[channels * size * size];

        using var cold = new SampleLoader(input);
        var coldRate = Rate(count, () => { for (var i = 0; i < count; i++) cold.Load(data, i, buffer); });

        var cache = new SampleCache();
        using var cached = new SampleLoader(input, cache, AugmentOptions.Faces);
        for (var i = 0; i < count; i++) cached.Load(data, i, buffer); // fill the cache
        var cachedRate = Rate(count * passes, () => { for (var p = 0; p < passes; p++) for (var i = 0; i < count; i++) cached.Load(data, i, buffer); });
        var allocBefore = GC.GetAllocatedBytesForCurrentThread();
        var augRate = Rate(count * passes, () =>
        {
            for (var p = 0; p < passes; p++) for (var i = 0; i < count; i++) cached.Load(data, i, buffer, DeterministicRandom.Derive(1, p, i));
        });
        var allocPerLoad = (GC.GetAllocatedBytesForCurrentThread() - allocBefore) / (double)(count * passes);

        var o = context.Out;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"dataset {data.Root}: {count} images -> {channels}x{size}x{size} float, {passes} passes, {Environment.ProcessorCount} cores"));
        o.WriteLine(string.Create(inv, $"cold (decode+fit+normalise)   {coldRate,10:F0} samples/s   1.00x"));
        o.WriteLine(string.Create(inv, $"cached (copy+normalise)       {cachedRate,10:F0} samples/s   {cachedRate / coldRate:F2}x"));
        o.WriteLine(string.Create(inv, $"cached + augment              {augRate,10:F0} samples/s   {augRate / coldRate:F2}x  ({allocPerLoad:F0} B allocated per load)"));
        o.WriteLine(string.Create(inv, $"cache: {cache.Count} samples, {cache.UsedBytes / 1024.0 / 1024.0:F1} MiB"));
        return 0;
    }

    private static double Rate(int samples, Action work)
    {
        var watch = Stopwatch.StartNew();
        work();
        return samples / watch.Elapsed.TotalSeconds;
    }
}
