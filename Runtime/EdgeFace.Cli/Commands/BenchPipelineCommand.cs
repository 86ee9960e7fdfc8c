using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Imaging;
using EdgeFace.Runtime.Inference;
using OpenCvSharp;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// Times decode/detect/align/embed per image and, in the same loop, ONNX Runtime's bare Run of the same two models on
/// the very tensors the pipeline just prepared, so the ratio shows what EdgeFace adds around the models.
/// </summary>
public sealed class BenchPipelineCommand : CliCommand
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp"];

    public override string Path => "bench pipeline";
    public override string Summary => "Benchmark the face pipeline per stage against bare ONNX Runtime runs";
    public override string Usage => "--images DIR [--limit 500] [--warmup 10] [--threads N] [--json] [--models DIR] [--device D] [--detector ID] [--embedder ID]";
    public override IReadOnlyCollection<string> Flags => ["json", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var folder = args.Require("images");
        var limit = args.GetInt("limit", 500);
        var warmup = args.GetInt("warmup", 10);
        var json = args.Flag("json");
        var options = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        if (!Directory.Exists(folder)) throw new EdgeFaceException($"images folder not found: {folder}");
        if (limit < 1 || warmup < 0) throw new EdgeFaceException("--limit must be at least 1 and --warmup at least 0");
        if (options.Flip) throw new EdgeFaceException("bench pipeline measures single embeddings; --flip is not supported here");

        // Same selection as the OpenCV anchor: recursive, sorted by path, first --limit files.
        var paths = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => Extensions.Contains(System.IO.Path.GetExtension(p).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).Take(limit).ToList();
        if (paths.Count == 0) throw new EdgeFaceException($"{folder}: no images (.jpg, .png, .bmp)");
        if (options.Threads > 0) Cv2.SetNumThreads(options.Threads);

        var images = new List<Mat>(paths.Count);
        var decode = new List<double>(paths.Count);
        try
        {
            foreach (var p in paths)
            {
                var t = Stopwatch.GetTimestamp();
                images.Add(ImageLoader.Load(p));
                decode.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            using var pipeline = options.CreatePipeline(context);
            var detectorBare = pipeline.Detector as IBareRun ?? throw new EdgeFaceException("this detector cannot be benchmarked bare");
            var embedderBare = pipeline.Embedder as IBareRun ?? throw new EdgeFaceException("this embedder cannot be benchmarked bare");
            var faces = new List<FaceDetection>(16);
            using var aligned = new Mat();
            var vector = new float[pipeline.Embedder.Dimension];
            var n = images.Count;
            double[] detect = new double[n], align = new double[n], embed = new double[n], bareDetect = new double[n], bareEmbed = new double[n];
            var noFace = 0;
            context.Progress($"bench pipeline: {n} images, {warmup} warm-up, threads {(options.Threads == 0 ? "auto" : options.Threads)}, {pipeline.Detector.Manifest.Id} + {pipeline.Embedder.Manifest.Id}");
            for (var i = -Math.Min(warmup, n); i < n; i++)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                var image = images[i < 0 ? i + Math.Min(warmup, n) : i];
                var t0 = Stopwatch.GetTimestamp();
                pipeline.Detector.Detect(image, faces);
                var t1 = Stopwatch.GetTimestamp();
                var transform = faces.Count > 0
                    ? FaceAligner.Estimate(FacePipeline.PickPrimary(faces, image.Cols, image.Rows).Landmarks)
                    : FaceAligner.CentreCrop(image.Cols, image.Rows);
                pipeline.Aligner.Warp(image, transform, aligned);
                var t2 = Stopwatch.GetTimestamp();
                pipeline.Embedder.Embed(aligned, vector);
                var t3 = Stopwatch.GetTimestamp();
                detectorBare.RunBare();
                var t4 = Stopwatch.GetTimestamp();
                embedderBare.RunBare();
                var t5 = Stopwatch.GetTimestamp();
                if (i < 0) continue;
                if (faces.Count == 0) noFace++;
                (detect[i], align[i], embed[i]) = (Ms(t0, t1), Ms(t1, t2), Ms(t2, t3));
                (bareDetect[i], bareEmbed[i]) = (Ms(t3, t4), Ms(t4, t5));
            }
            var total = Enumerable.Range(0, n).Select(i => detect[i] + align[i] + embed[i]).ToArray();
            var bare = Enumerable.Range(0, n).Select(i => bareDetect[i] + bareEmbed[i]).ToArray();
            var ratio = total.Sum() / bare.Sum();
            JsonObject Stats(IReadOnlyList<double> ms) => new()
            {
                ["median_ms"] = Math.Round(EvalLfwCommand.Percentile(ms, 0.5), 3),
                ["p95_ms"] = Math.Round(EvalLfwCommand.Percentile(ms, 0.95), 3),
            };
            var result = new JsonObject
            {
                ["bench"] = "edgeface_pipeline",
                ["images"] = n,
                ["threads"] = options.Threads,
                ["device"] = options.Device.ToString(),
                ["detector"] = pipeline.Detector.Manifest.Id,
                ["embedder"] = pipeline.Embedder.Manifest.Id,
                ["decode"] = Stats(decode),
                ["detect"] = Stats(detect),
                ["align"] = Stats(align),
                ["embed"] = Stats(embed),
                ["total"] = Stats(total),
                ["images_per_s"] = Math.Round(n / (total.Sum() / 1000), 2),
                ["bare_detect"] = Stats(bareDetect),
                ["bare_embed"] = Stats(bareEmbed),
                ["bare_total"] = Stats(bare),
                ["ratio_to_bare_onnxruntime"] = Math.Round(ratio, 4),
                ["no_face"] = noFace,
            };
            if (json) context.Out.WriteLine(result.ToJsonString(FaceJson.Options));
            else
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{n} images: median ms detect {EvalLfwCommand.Percentile(detect, .5):F2} align {EvalLfwCommand.Percentile(align, .5):F3} embed {EvalLfwCommand.Percentile(embed, .5):F2} total {EvalLfwCommand.Percentile(total, .5):F2} (p95 {EvalLfwCommand.Percentile(total, .95):F2}); bare onnxruntime {EvalLfwCommand.Percentile(bare, .5):F2}; ratio {ratio:F3}; {n / (total.Sum() / 1000):F1} images/s; {noFace} without a face"));
            return 0;
        }
        finally
        {
            foreach (var m in images) m.Dispose();
        }
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
