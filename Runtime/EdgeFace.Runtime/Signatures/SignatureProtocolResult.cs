using System.Globalization;
using System.Text;
using EdgeFace.Runtime.Evaluation;
using EdgeFace.Runtime.Reporting;

namespace EdgeFace.Runtime.Signatures;

/// <summary>What a query is, relative to the writer it is checked against.</summary>
public enum QueryKind
{
    /// <summary>A genuine signature of the writer that is not one of the references.</summary>
    Genuine,
    /// <summary>A skilled forgery of the writer.</summary>
    Skilled,
    /// <summary>A genuine signature of another writer of the evaluated set.</summary>
    Random,
}

/// <summary>One query scored against one writer's references.</summary>
/// <param name="Score">Aggregated cosine over the references.</param>
/// <param name="AdaptedScore">Score minus the writer's threshold shift; compare with the base threshold.</param>
public sealed record SignatureQueryScore(int Writer, QueryKind Kind, string Path, double Score, double AdaptedScore);

/// <summary>A writer's enrolment in the protocol.</summary>
/// <param name="Spread">Mean pairwise cosine among the references (NaN with one reference).</param>
/// <param name="ThresholdShift">α·(Spread − μ), added to the base threshold for this writer.</param>
public sealed record SignatureEnrolment(int Writer, IReadOnlyList<string> References, double Spread, double ThresholdShift);

/// <summary>Discrimination of genuine signatures from one kind of forgery, on adapted scores.</summary>
public sealed record ForgeryMetrics(double Eer, double Auc, double EerThreshold, int GenuineCount, int ForgeryCount)
{
    internal static ForgeryMetrics From(RocCurve roc) => new(roc.Eer, roc.Auc, roc.EerThreshold, roc.GenuineCount, roc.ImpostorCount);
}

/// <summary>
/// The outcome of <see cref="SignatureProtocol.Run"/>: every query score, EER and AUC for skilled and random forgeries
/// (with and without the adaptive threshold), and the error rates at the base threshold.
/// </summary>
public sealed record SignatureProtocolResult(
    string EmbedderId,
    SignatureProtocolOptions Options,
    IReadOnlyList<SignatureEnrolment> Enrolments,
    IReadOnlyList<SignatureQueryScore> Scores,
    double PopulationSimilarity,
    ForgeryMetrics Skilled,
    ForgeryMetrics Random,
    ForgeryMetrics SkilledUnadapted,
    ForgeryMetrics RandomUnadapted,
    double Threshold,
    double Frr,
    double FarSkilled,
    double FarRandom)
{
    /// <summary>The ROC of genuine against <paramref name="kind"/> queries, on adapted (or raw) scores.</summary>
    public RocCurve Roc(QueryKind kind, bool adapted = true) => RocCurve.From(
        Scores.Where(s => s.Kind == QueryKind.Genuine).Select(s => adapted ? s.AdaptedScore : s.Score),
        Scores.Where(s => s.Kind == kind).Select(s => adapted ? s.AdaptedScore : s.Score));

    /// <summary>Writes a DET plot (false-reject against false-accept rate, log axes) for both forgery kinds.</summary>
    public void SaveDetPlot(string path)
    {
        var plot = new LinePlot($"Signature DET, {EmbedderId}, R={Options.References}", "false accept rate", "false reject rate")
        {
            LogX = true, LogY = true, XRange = (1e-3, 1), YRange = (1e-3, 1),
        };
        foreach (var (kind, name) in new[] { (QueryKind.Skilled, "skilled"), (QueryKind.Random, "random") })
        {
            var points = Roc(kind).Points();
            var eer = (kind == QueryKind.Skilled ? Skilled : Random).Eer * 100;
            plot.AddSeries(string.Create(CultureInfo.InvariantCulture, $"{name} EER {eer:0.0}%"),
                points.Select(p => p.Far).ToList(), points.Select(p => 1 - p.Tar).ToList());
        }
        plot.AddMarker($"threshold {Threshold:0.###}", FarSkilled, Frr);
        plot.SavePng(path);
    }

    /// <summary>A human-readable summary, one figure per line.</summary>
    public string Summary()
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.AppendLine(c, $"embedder {EmbedderId}, {Enrolments.Count} writers, R={Options.References}, seed {Options.Seed}, {Options.Aggregation.ToString().ToLowerInvariant()} over references, α={Options.Adaptation} (μ={PopulationSimilarity:0.####})");
        b.AppendLine(c, $"skilled forgeries: EER {Skilled.Eer * 100:0.00}%  AUC {Skilled.Auc:0.0000}  ({Skilled.GenuineCount} genuine, {Skilled.ForgeryCount} forgeries; without adaptation EER {SkilledUnadapted.Eer * 100:0.00}% AUC {SkilledUnadapted.Auc:0.0000})");
        b.AppendLine(c, $"random forgeries:  EER {Random.Eer * 100:0.00}%  AUC {Random.Auc:0.0000}  ({Random.GenuineCount} genuine, {Random.ForgeryCount} forgeries; without adaptation EER {RandomUnadapted.Eer * 100:0.00}% AUC {RandomUnadapted.Auc:0.0000})");
        b.AppendLine(c, $"at threshold {Threshold:0.####}{(Options.Threshold is null ? " (skilled EER point)" : "")}: FRR {Frr * 100:0.00}%  FAR skilled {FarSkilled * 100:0.00}%  FAR random {FarRandom * 100:0.00}%");
        return b.ToString();
    }
}
