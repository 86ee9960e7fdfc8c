using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Evaluation;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Cli.Commands;

public sealed class CalibrateCommand : CliCommand
{
    public override string Path => "calibrate";
    public override string Summary => "Choose the face-embedder threshold for a target false-accept rate on your own data";
    public override string Usage => "(--pairs FILE --images DIR | --folder DIR [--per-identity N]) --far X [--write] [--json] [--flip] [--models DIR] [--device D] [--embedder ID]";
    public override IReadOnlyCollection<string> Flags => ["json", "write", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var pairsFile = args.Get("pairs");
        var images = args.Get("images");
        var folder = args.Get("folder");
        var far = args.GetDouble("far") ?? throw new EdgeFaceException("missing required option --far (e.g. --far 1e-3)");
        var perIdentity = args.GetInt("per-identity", int.MaxValue);
        var write = args.Flag("write");
        var json = args.Flag("json");
        var options = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        if (far is <= 0 or >= 1) throw new EdgeFaceException($"--far must be between 0 and 1 (exclusive), got {far}");
        if ((folder is null) == (pairsFile is null)) throw new EdgeFaceException("give either --folder DIR or --pairs FILE --images DIR");
        if (pairsFile is not null && images is null) throw new EdgeFaceException("--pairs needs --images DIR");
        if (perIdentity < 2) throw new EdgeFaceException($"--per-identity must be at least 2, got {perIdentity}");

        var catalog = options.Catalog();
        var entry = catalog.Resolve(ModelTask.FaceEmbedder, options.EmbedderId);
        using var pipeline = options.CreatePipeline(context, catalog);
        var metric = pipeline.Embedder.Manifest.Metric;
        double[] genuine, impostor;
        string data;
        int notDetected;
        if (folder is not null)
        {
            var identities = VerificationPairs.Identities(folder, perIdentity);
            var all = identities.SelectMany(i => i.Images).ToList();
            context.Progress($"calibrate: {identities.Count} identities, {all.Count} images in {folder}");
            var set = ImageSetEmbedder.Embed(pipeline, all, context.Progress, context.Cancellation);
            var groups = new List<float[][]>();
            var k = 0;
            foreach (var (_, files) in identities) { groups.Add(set.Vectors[k..(k + files.Length)]); k += files.Length; }
            (genuine, impostor) = PairScores.AllPairs(groups, metric);
            notDetected = set.NotDetected;
            data = $"{System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder)))}: {identities.Count} identities, {all.Count} images, all pairs";
        }
        else
        {
            var pairs = VerificationPairs.FromLfwPairFile(pairsFile!, images!);
            var files = pairs.SelectMany(p => new[] { p.A, p.B }).Distinct().Order(StringComparer.Ordinal).ToList();
            context.Progress($"calibrate: {pairs.Count} pairs, {files.Count} images");
            var set = ImageSetEmbedder.Embed(pipeline, files, context.Progress, context.Cancellation);
            var index = files.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
            genuine = pairs.Where(p => p.Genuine).Select(p => PairScores.Score(metric, set.Vectors[index[p.A]], set.Vectors[index[p.B]])).ToArray();
            impostor = pairs.Where(p => !p.Genuine).Select(p => PairScores.Score(metric, set.Vectors[index[p.A]], set.Vectors[index[p.B]])).ToArray();
            notDetected = set.NotDetected;
            data = $"{System.IO.Path.GetFileName(pairsFile)}: {pairs.Count} pairs";
        }
        data += pipeline.Embedder.FlipAugmentation ? ", flip" : ", no flip";
        var result = ThresholdCalibration.AtFar(RocCurve.From(genuine, impostor), far);
        var threshold = PairScores.ToMetricThreshold(metric, result.Threshold);
        var warning = result.Underpowered ? $"only {result.ImpostorCount} impostor pairs: too few to measure FAR {far:G3}" : null;
        if (warning is not null) context.Progress($"warning: {warning}");

        string? written = null;
        if (write)
        {
            var manifest = entry.RequireManifest();
            var thresholds = new Dictionary<string, CalibratedThreshold>(manifest.Thresholds)
            {
                ["default"] = new CalibratedThreshold
                {
                    Value = threshold, Far = far, Frr = result.Frr, Data = data, CalibratedAt = DateTimeOffset.UtcNow,
                    Note = $"edgeface calibrate; achieved FAR {result.AchievedFar:G3}; threshold 95% CI [{PairScores.ToMetricThreshold(metric, result.ThresholdInterval.Low):F4}, {PairScores.ToMetricThreshold(metric, result.ThresholdInterval.High):F4}]",
                },
            };
            written = entry.ManifestPath;
            (manifest with { Thresholds = thresholds, File = entry.FileName }).Save(written);
            context.Progress($"wrote threshold {threshold:F4} to {written}");
        }
        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["model"] = entry.RequireManifest().Id,
                ["metric"] = metric.ToString().ToLowerInvariant(),
                ["target_far"] = far,
                ["threshold"] = threshold,
                ["achieved_far"] = result.AchievedFar,
                ["frr"] = result.Frr,
                ["threshold_ci"] = new JsonArray(PairScores.ToMetricThreshold(metric, result.ThresholdInterval.Low), PairScores.ToMetricThreshold(metric, result.ThresholdInterval.High)),
                ["frr_ci"] = new JsonArray(result.FrrInterval.Low, result.FrrInterval.High),
                ["genuine_pairs"] = result.GenuineCount,
                ["impostor_pairs"] = result.ImpostorCount,
                ["not_detected"] = notDetected,
                ["data"] = data,
                ["warning"] = warning,
                ["written_to"] = written,
            }.ToJsonString(FaceJson.Options));
        }
        else
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threshold {threshold:F4} ({metric.ToString().ToLowerInvariant()}) for FAR {far:G3}: achieved FAR {result.AchievedFar:G3}, FRR {result.Frr:P2} (95% CI {result.FrrInterval.Low:P2}-{result.FrrInterval.High:P2}); {result.GenuineCount} genuine, {result.ImpostorCount} impostor pairs; {notDetected} image(s) without a detected face"));
        }
        return 0;
    }
}
