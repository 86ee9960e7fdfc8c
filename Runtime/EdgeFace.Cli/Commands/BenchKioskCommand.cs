using System.Globalization;
using System.Text.Json;
using EdgeFace.Camera.Bench;
using EdgeFace.Camera.Faces;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class BenchKioskCommand : CliCommand
{
    public override string Path => "bench kiosk";
    public override string Summary => "Benchmark the kiosk loop on a video: sustained fps, per-stage ms, and loop overhead against the bare model calls";
    public override string Usage => "--source FILE [--frames N] [--gallery DB [--key-file FILE]] [--threshold X] [--json] [--models DIR] [--device D] [--detector ID] [--embedder ID] [--threads N]";
    public override IReadOnlyCollection<string> Flags => ["json", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var source = args.Require("source");
        var frames = args.GetInt("frames", 1000);
        if (frames < 10) throw new EdgeFaceException($"--frames must be at least 10, got {frames}");
        var gallery = args.Get("gallery");
        var keyFile = args.Get("key-file");
        var threshold = (float)args.GetDouble("threshold", 0.35);
        var json = args.Flag("json");
        var faces = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        if (!File.Exists(source)) throw new EdgeFaceException($"video file not found: {source}");

        using var analyzer = new PipelineFrameAnalyzer(faces.CreatePipeline(context));
        var manifest = analyzer.Pipeline.Embedder.Manifest;
        using IGalleryStore store = gallery is null ? new InMemoryGalleryStore() : OpenGallery(gallery, keyFile);
        using var matcher = new GalleryIdentityMatcher(store, new ModelBinding(manifest.Id, manifest.Sha256), analyzer.EmbeddingSize, threshold);
        var r = KioskBenchmark.Run(source, analyzer, matcher, frames, context.Progress);
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(r, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true }));
            return 0;
        }
        var o = context.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kiosk bench: {r.Frames} frames {r.Width}x{r.Height} from {r.Source} ({Environment.ProcessorCount} cores)"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  kiosk loop   {r.KioskFps,8:F1} fps  ({r.KioskSeconds:F2} s)"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  bare models  {r.BareFps,8:F1} fps  ({r.BareSeconds:F2} s, same detect/embed calls, no loop)"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loop overhead {r.LoopOverheadPercent:F2} %   model time {r.ModelMsPerFrame:F2} ms/frame   {r.Embeddings} embeddings, {r.Decisions} decisions"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  allocated    {r.AllocatedBytesPerFrame:F0} bytes/frame on the loop thread"));
        foreach (var (stage, ms) in r.StageMeanMs) o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  stage {stage,-9} {ms,8:F3} ms"));
        return 0;
    }

    private static SqliteGalleryStore OpenGallery(string path, string? keyFile)
    {
        using var key = GalleryKey.Resolve(keyFile);
        return SqliteGalleryStore.Open(path, key);
    }
}
