using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// The one implementation behind <c>signature evaluate</c> and <c>eval signatures</c>: the writer-independent protocol
/// (<see cref="SignatureProtocol"/>) for each requested reference count R, with the model's own decision settings
/// (base threshold, α, μ from its manifest) unless overridden. Images are embedded once and reused for every R.
/// </summary>
internal static class SignatureEvaluation
{
    public const string Usage =
        "[--writers 041-048] [--refs 1,3,5] [--seed 1] [--aggregation mean|max] [--alpha A] [--mu M] [--threshold T] " +
        "[--root DIR] [--plot PNG] [--json] " + SignatureModelOptions.Usage;

    public static IReadOnlyCollection<string> Flags => ["json", SignatureModelOptions.BaselineFlag];

    public static int Run(CliArgs args, CliContext context, string defaultRefs)
    {
        var selection = WriterSelection.Parse(args.Get("writers") ?? "041-048");
        var refs = ParseRefs(args.Get("refs") ?? args.Get("references") ?? defaultRefs);
        var aggregation = (args.Get("aggregation") ?? "mean") switch
        {
            "mean" => ReferenceAggregation.Mean,
            "max" => ReferenceAggregation.Max,
            var other => throw new EdgeFaceException($"--aggregation must be mean or max, got '{other}'"),
        };
        var seed = args.GetInt("seed", 1);
        var alpha = args.GetDouble("alpha");
        var mu = args.GetDouble("mu");
        var threshold = args.GetDouble("threshold");
        var root = args.Get("root") ?? args.Get("data");
        var plot = args.Get("plot");
        var json = args.Flag("json");
        var modelOptions = SignatureModelOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);

        var writers = SigComp2011Dataset.Open(root).Select(selection);
        foreach (var r in refs) SignatureProtocol.Validate(writers, Options(r));
        using var model = modelOptions.Open();
        var options = refs.Select(r => Options(r) with
        {
            Adaptation = alpha ?? model.Alpha,
            PopulationSimilarity = mu ?? model.Mu,
            Threshold = threshold ?? model.Threshold,
        }).ToList();
        foreach (var o in options) o.Validate();
        using var cleaner = new SignatureCleaner();
        var embeddings = SignatureEmbeddings.Compute(writers, cleaner, model.Embedder, context.Progress, context.Cancellation);
        var results = options.Select(o => SignatureProtocol.Run(writers, embeddings, o)).ToList();
        if (plot is not null)
            foreach (var r in results) r.SaveDetPlot(results.Count == 1 ? plot : PlotPath(plot, r.Options.References));
        if (json) context.Out.WriteLine(Report(results, selection, model).ToJsonString());
        else
            foreach (var r in results) context.Out.Write(r.Summary());
        return 0;

        SignatureProtocolOptions Options(int r) => new() { References = r, Seed = seed, Aggregation = aggregation };
    }

    /// <summary>"1,3,5" → [1, 3, 5]; each a positive integer, no repeats.</summary>
    public static IReadOnlyList<int> ParseRefs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new List<int>();
        foreach (var p in parts)
        {
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var r) || r < 1)
                throw new EdgeFaceException($"--refs must be a comma-separated list of positive reference counts such as 1,3,5, got '{text}'");
            if (values.Contains(r)) throw new EdgeFaceException($"--refs lists {r} twice: '{text}'");
            values.Add(r);
        }
        return values;
    }

    /// <summary>det.png with R=3 → det-r3.png.</summary>
    public static string PlotPath(string plot, int references) =>
        Path.Combine(Path.GetDirectoryName(plot) ?? "", $"{Path.GetFileNameWithoutExtension(plot)}-r{references}{Path.GetExtension(plot)}");

    private static JsonObject Report(IReadOnlyList<SignatureProtocolResult> results, WriterSelection selection, SignatureModel model)
    {
        static double R(double v) => Math.Round(v, 6);
        var first = results[0];
        return new JsonObject
        {
            ["model"] = model.Id,
            ["writers"] = selection.Text,
            ["writer_count"] = first.Enrolments.Count,
            ["seed"] = first.Options.Seed,
            ["aggregation"] = first.Options.Aggregation.ToString().ToLowerInvariant(),
            ["alpha"] = first.Options.Adaptation,
            ["mu"] = R(first.PopulationSimilarity),
            ["threshold_source"] = first.Options.Threshold is null ? "skilled EER point of each run" : "model",
            ["results"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["references"] = r.Options.References,
                ["skilled_eer"] = R(r.Skilled.Eer),
                ["skilled_auc"] = R(r.Skilled.Auc),
                ["random_eer"] = R(r.Random.Eer),
                ["random_auc"] = R(r.Random.Auc),
                ["skilled_eer_unadapted"] = R(r.SkilledUnadapted.Eer),
                ["random_eer_unadapted"] = R(r.RandomUnadapted.Eer),
                ["threshold"] = R(r.Threshold),
                ["frr"] = R(r.Frr),
                ["far_skilled"] = R(r.FarSkilled),
                ["far_random"] = R(r.FarRandom),
                ["genuine_queries"] = r.Skilled.GenuineCount,
                ["skilled_queries"] = r.Skilled.ForgeryCount,
                ["random_queries"] = r.Random.ForgeryCount,
            }).ToArray()),
        };
    }
}
