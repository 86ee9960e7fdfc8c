using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Matching;

namespace EdgeFace.Cli.Commands;

public sealed class VerifyCommand : CliCommand
{
    public override string Path => "verify";
    public override string Summary => "Decide whether two face images show the same person (exit 0 either way)";
    public override string Usage => "IMAGE_A IMAGE_B [--threshold X] [--flip] [--json] [--models DIR] [--device D] [--detector ID] [--embedder ID]\n       or: verify " + GalleryVerification.Usage;
    public override IReadOnlyCollection<string> Flags => ["json", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        if (args.Get("id") is { } enrolled) return GalleryVerification.Run(enrolled, args, context);
        var a = args.Positional(0, "IMAGE_A");
        var b = args.Positional(1, "IMAGE_B");
        var json = args.Flag("json");
        var threshold = args.GetDouble("threshold");
        var options = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 2);

        using var pipeline = options.CreatePipeline(context);
        var manifest = pipeline.Embedder.Manifest;
        var thresholdNote = threshold is null ? manifest.DefaultThreshold.Data : "given on the command line";
        var (ea, fa) = FaceEmbedding.FromFile(pipeline, a);
        var (eb, fb) = FaceEmbedding.FromFile(pipeline, b);
        var decision = Similarity.Decide(Similarity.Score(manifest.Metric, ea, eb), manifest, threshold);
        var verdict = decision.Accepted ? "same" : "different";
        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["score"] = Math.Round(decision.Score, 6),
                ["threshold"] = decision.Threshold,
                ["metric"] = decision.Metric.ToString().ToLowerInvariant(),
                ["decision"] = verdict,
                ["model"] = manifest.Id,
                ["threshold_source"] = thresholdNote,
                ["flip"] = pipeline.Embedder.FlipAugmentation,
                ["faces"] = new JsonArray(FaceJson.Face(fa.Detection), FaceJson.Face(fb.Detection)),
            }.ToJsonString(FaceJson.Options));
        }
        else
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{verdict}  score {decision.Score:F4} ({decision.Metric.ToString().ToLowerInvariant()}), threshold {decision.Threshold:F4}, model {manifest.Id}"));
        }
        return 0;
    }
}
