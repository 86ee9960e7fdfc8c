using System.Diagnostics;
using System.Globalization;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;
using OpenCvSharp;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// Times the signature pipeline on real scans: PNG decoding (the machine's reference), cleaning and embedding, and
/// the bytes the cleaner allocates per call. Reports the cleaner as a multiple of decoding, a ratio that carries
/// across machines better than milliseconds do.
/// </summary>
public sealed class SignatureBenchCommand : CliCommand
{
    public override string Path => "signature bench";
    public override string Summary => "Benchmark signature clean-up and embedding on SigComp2011 scans";
    public override string Usage => "[--images 100] [--rounds 3] [--data DIR] " + SignatureModelOptions.Usage;
    public override IReadOnlyCollection<string> Flags => [SignatureModelOptions.BaselineFlag];

    public override int Run(CliArgs args, CliContext context)
    {
        var count = args.GetInt("images", 100);
        var rounds = args.GetInt("rounds", 3);
        var modelOptions = SignatureModelOptions.Read(args);
        var data = args.Get("data");
        args.EnsureAllUsed(maxPositionals: 0);
        if (count < 1) throw new EdgeFaceException($"--images must be at least 1, got {count}");
        if (rounds < 1) throw new EdgeFaceException($"--rounds must be at least 1, got {rounds}");

        var paths = SigComp2011Dataset.Open(data).Writers.SelectMany(w => w.Genuine.Concat(w.Forgeries)).Select(s => s.Path)
            .Where((_, i) => i % 3 == 0).Take(count).ToList();
        var images = new List<Mat>();
        using var model = modelOptions.Open();
        var embedder = model.Embedder;
        try
        {
            var decode = Time(rounds, paths.Count, i => { using var m = SignatureCleaner.ReadImage(paths[i]); });
            images.AddRange(paths.Select(SignatureCleaner.ReadImage));
            using var cleaner = new SignatureCleaner();
            var canvas = new float[SignatureCleaner.PixelCount];
            var embedding = new float[embedder.Dimension];
            cleaner.Clean(images[0], canvas, paths[0]);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clean = Time(rounds, images.Count, i => cleaner.Clean(images[i], canvas, paths[i]));
            var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / ((double)rounds * images.Count);
            var embed = Time(rounds, 1, _ => { for (var k = 0; k < 20; k++) embedder.Embed(canvas, embedding); }) / 20;
            var c = CultureInfo.InvariantCulture;
            context.Out.WriteLine(string.Create(c, $"{images.Count} SigComp2011 scans, best of {rounds} rounds, {Environment.ProcessorCount} logical CPUs"));
            context.Out.WriteLine(string.Create(c, $"decode PNG (reference): {decode:0.000} ms/image"));
            context.Out.WriteLine(string.Create(c, $"clean:                  {clean:0.000} ms/image  ({clean / decode:0.0}x decode, {allocated / 1024:0.0} KiB managed allocation per call)"));
            context.Out.WriteLine(string.Create(c, $"embed ({embedder.Id}): {embed:0.000} ms/signature"));
            return 0;
        }
        finally
        {
            foreach (var m in images) m.Dispose();
        }
    }

    /// <summary>Best-of-rounds milliseconds per item.</summary>
    private static double Time(int rounds, int items, Action<int> work)
    {
        var best = double.MaxValue;
        for (var r = 0; r < rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < items; i++) work(i);
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / items);
        }
        return best;
    }
}
