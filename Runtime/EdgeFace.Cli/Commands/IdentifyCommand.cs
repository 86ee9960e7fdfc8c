using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Policy;
using EdgeFace.Enrollment.Search;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class IdentifyCommand : CliCommand
{
    public override string Path => "identify";
    public override string Summary => "Who is this? 1:N search of the gallery; below the open-set threshold the answer is 'unknown'";
    public override string Usage => $"IMAGE [--top K] [--threshold X] [--quantized int8] [--json] {GalleryOptions.Usage} [--models DIR] [--device D] [--embedder ID]";
    public override IReadOnlyCollection<string> Flags => ["json", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var image = args.Positional(0, "IMAGE");
        var top = args.GetInt("top", 1);
        if (top is < 1 or > 1000) throw new EdgeFaceException($"--top must be between 1 and 1000, got {top}");
        var threshold = args.GetDouble("threshold");
        var quantization = args.Get("quantized") switch
        {
            null => Quantization.None,
            "int8" => Quantization.Int8,
            var other => throw new EdgeFaceException($"--quantized must be int8, got '{other}'"),
        };
        var json = args.Flag("json");
        var gallery = GalleryOptions.Read(args);
        var face = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);

        using var store = gallery.Open();
        using var pipeline = face.CreatePipeline(context);
        var manifest = pipeline.Embedder.Manifest;
        var cosine = FaceSamples.CosineThreshold(manifest, threshold);
        var probe = FaceSamples.Probe(pipeline, image);
        using var index = GalleryIndex.Load(store, probe.Model, probe.Embedding.Length, out var otherModel, new IndexOptions { Quantization = quantization });
        if (index.Count == 0 && otherModel > 0)
        {
            var stale = store.Summarise().First(s => s.Kind == Enrollment.Model.TemplateKind.Face && !s.Model.SameModel(probe.Model));
            throw new EdgeFaceException($"every face in {store.Location} was enrolled with model {stale.Model}, the probe comes from model {probe.Model}; re-enrol them (see 'edgeface gallery status')");
        }
        if (otherModel > 0) context.Error.WriteLine($"warning: {otherModel} identities were enrolled with another model and are not searched (see 'edgeface gallery status')");
        var result = new GalleryMatcher(store, gallery.Actor).Identify(index, probe.Embedding, probe.Model, top, cosine, FaceSamples.QualityJson(probe.Quality));
        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["identity"] = result.Match is { } m ? result.Candidates[0].DisplayName : null,
                ["decision"] = result.Match is null ? "unknown" : "identified",
                ["threshold"] = cosine,
                ["model"] = manifest.Id,
                ["candidates"] = new JsonArray(result.Candidates.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Hit.IdentityId, ["name"] = c.DisplayName, ["score"] = Math.Round(c.Hit.Score, 6),
                }).ToArray()),
                ["quality"] = JsonNode.Parse(FaceSamples.QualityJson(probe.Quality)),
            }.ToJsonString(FaceJson.Options));
            return 0;
        }
        context.Out.WriteLine(result.Match is null
            ? string.Create(CultureInfo.InvariantCulture, $"unknown person (best score {(result.Candidates.Count > 0 ? result.Candidates[0].Hit.Score : double.NaN):0.0000} < threshold {cosine:0.0000})")
            : string.Create(CultureInfo.InvariantCulture, $"{result.Candidates[0].DisplayName}  score {result.Candidates[0].Hit.Score:0.0000}, threshold {cosine:0.0000}, model {manifest.Id}"));
        if (top > 1)
            foreach (var (c, i) in result.Candidates.Select((c, i) => (c, i)))
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}. {c.DisplayName}  {c.Hit.Score:0.0000}"));
        return 0;
    }
}
