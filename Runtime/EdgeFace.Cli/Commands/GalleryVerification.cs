using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Policy;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

/// <summary><c>edgeface verify --id NAME IMAGE</c>: 1:1 against an enrolled identity's aggregate template, audited.</summary>
internal static class GalleryVerification
{
    public const string Usage = "--id NAME IMAGE [--threshold X] [--json] [--gallery DB] [--key-file F] [--actor NAME]";

    public static int Run(string name, CliArgs args, CliContext context)
    {
        var image = args.Positional(0, "IMAGE");
        var json = args.Flag("json");
        var threshold = args.GetDouble("threshold");
        var gallery = GalleryOptions.Read(args);
        var face = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);

        using var store = gallery.Open();
        GalleryOptions.Require(store, name);
        using var pipeline = face.CreatePipeline(context);
        var manifest = pipeline.Embedder.Manifest;
        var cosine = FaceSamples.CosineThreshold(manifest, threshold);
        var probe = FaceSamples.Probe(pipeline, image);
        var result = new GalleryMatcher(store, gallery.Actor).Verify(name, probe.Embedding, probe.Model, cosine, FaceSamples.QualityJson(probe.Quality));
        var verdict = result.Accepted ? "accepted" : "rejected";
        if (json)
            context.Out.WriteLine(new JsonObject
            {
                ["identity"] = result.Identity.DisplayName, ["decision"] = verdict, ["score"] = Math.Round(result.Score, 6),
                ["threshold"] = cosine, ["model"] = manifest.Id, ["quality"] = JsonNode.Parse(FaceSamples.QualityJson(probe.Quality)),
            }.ToJsonString(FaceJson.Options));
        else
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{verdict}: {(result.Accepted ? "is" : "is not")} {result.Identity.DisplayName}  score {result.Score:0.0000} (cosine), threshold {cosine:0.0000}, model {manifest.Id}"));
        return 0;
    }
}
