using System.Text.Json;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Commands;

public sealed class SignatureEvaluateCommand : CliCommand
{
    public override string Path => "signature evaluate";
    public override string Summary => "Writer-independent signature verification on SigComp2011: EER/AUC for skilled and random forgeries";
    public override string Usage =>
        "[--writers 041-048] [--references 5] [--seed 1] [--aggregation mean|max] [--alpha 1] [--mu M] [--threshold T] " +
        "[--model MANIFEST] [--data DIR] [--plot PNG] [--json]";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var selection = WriterSelection.Parse(args.Get("writers") ?? "041-048");
        var aggregation = (args.Get("aggregation") ?? "mean") switch
        {
            "mean" => ReferenceAggregation.Mean,
            "max" => ReferenceAggregation.Max,
            var other => throw new EdgeFaceException($"--aggregation must be mean or max, got '{other}'"),
        };
        var options = new SignatureProtocolOptions
        {
            References = args.GetInt("references", 5),
            Seed = args.GetInt("seed", 1),
            Aggregation = aggregation,
            Adaptation = args.GetDouble("alpha", new SignatureProtocolOptions().Adaptation),
            PopulationSimilarity = args.GetDouble("mu"),
            Threshold = args.GetDouble("threshold"),
        };
        var model = args.Get("model");
        var data = args.Get("data");
        var plot = args.Get("plot");
        var json = args.Flag("json");
        args.EnsureAllUsed(maxPositionals: 0);
        var writers = SigComp2011Dataset.Open(data).Select(selection);
        SignatureProtocol.Validate(writers, options);
        var embedder = SignatureEmbedders.Open(model);
        try
        {
            using var cleaner = new SignatureCleaner();
            var embeddings = SignatureEmbeddings.Compute(writers, cleaner, embedder, context.Progress, context.Cancellation);
            var result = SignatureProtocol.Run(writers, embeddings, options);
            if (plot is not null) result.SaveDetPlot(plot);
            if (json) context.Out.WriteLine(JsonSerializer.Serialize(Report(result, selection), ModelManifestJson));
            else context.Out.Write(result.Summary());
            return 0;
        }
        finally
        {
            (embedder as IDisposable)?.Dispose();
        }
    }

    private static readonly JsonSerializerOptions ModelManifestJson = new(EdgeFace.Runtime.Models.ModelManifest.JsonOptions);

    private static object Report(SignatureProtocolResult r, WriterSelection selection) => new
    {
        r.EmbedderId,
        Writers = selection.Text,
        WriterCount = r.Enrolments.Count,
        r.Options.References,
        r.Options.Seed,
        Aggregation = r.Options.Aggregation.ToString().ToLowerInvariant(),
        Alpha = r.Options.Adaptation,
        Mu = r.PopulationSimilarity,
        r.Skilled,
        r.Random,
        r.SkilledUnadapted,
        r.RandomUnadapted,
        r.Threshold,
        r.Frr,
        r.FarSkilled,
        r.FarRandom,
    };
}
