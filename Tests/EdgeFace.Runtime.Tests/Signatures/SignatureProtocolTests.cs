using EdgeFace.Runtime.Signatures;
using EdgeFace.TestSupport;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeFace.Runtime.Tests.Signatures;

/// <summary>Cleans and embeds SigComp2011 writers 041-048 once, with the baseline embedder, for all protocol tests.</summary>
public sealed class ValidationEmbeddings : IDisposable
{
    public ValidationEmbeddings()
    {
        Writers = SigComp2011Dataset.Open().Select(WriterSelection.Parse("041-048"));
        Embeddings = SignatureEmbeddings.Compute(Writers, Cleaner, Embedder);
    }

    public SignatureCleaner Cleaner { get; } = new();
    public GradientHistogramSignatureEmbedder Embedder { get; } = new();
    public IReadOnlyList<SignatureWriter> Writers { get; }
    public SignatureEmbeddings Embeddings { get; }

    public void Dispose() => Cleaner.Dispose();
}

public sealed class SignatureProtocolTests(ValidationEmbeddings data, ITestOutputHelper output) : IClassFixture<ValidationEmbeddings>
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Baseline_separates_genuine_from_forgeries(int references)
    {
        var result = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { References = references });
        output.WriteLine(result.Summary());
        Assert.Equal(96 - 8 * references, result.Scores.Count(s => s.Kind == QueryKind.Genuine));
        Assert.Equal(92, result.Scores.Count(s => s.Kind == QueryKind.Skilled));
        Assert.Equal(8 * 84, result.Scores.Count(s => s.Kind == QueryKind.Random));
        foreach (var m in new[] { result.Skilled, result.Random, result.SkilledUnadapted, result.RandomUnadapted })
        {
            Assert.InRange(m.Eer, 0, 0.5);
            Assert.InRange(m.Auc, 0.5, 1);
        }
        double Mean(QueryKind k) => result.Scores.Where(s => s.Kind == k).Average(s => s.Score);
        Assert.True(Mean(QueryKind.Genuine) > Mean(QueryKind.Skilled), "genuine scores should beat skilled forgeries on average");
        Assert.True(Mean(QueryKind.Skilled) > Mean(QueryKind.Random), "skilled forgeries imitate the writer, so they score above random ones");
        Assert.True(result.Random.Eer < result.Skilled.Eer);
        // At the skilled EER threshold the false-reject and skilled false-accept rates meet.
        Assert.InRange(Math.Abs(result.Frr - result.FarSkilled), 0, 0.06);
        if (references == 1) Assert.All(result.Enrolments, e => Assert.Equal(0, e.ThresholdShift));
    }

    [Fact]
    public void Same_seed_same_result_other_seed_other_references()
    {
        var options = new SignatureProtocolOptions { References = 3, Seed = 7 };
        var a = SignatureProtocol.Run(data.Writers, data.Embeddings, options);
        var b = SignatureProtocol.Run(data.Writers, data.Embeddings, options);
        Assert.Equal(a.Scores, b.Scores);
        Assert.Equal(a.Skilled, b.Skilled);
        Assert.Equal(a.Enrolments.SelectMany(e => e.References), b.Enrolments.SelectMany(e => e.References));
        var c = SignatureProtocol.Run(data.Writers, data.Embeddings, options with { Seed = 8 });
        Assert.NotEqual(a.Enrolments.SelectMany(e => e.References), c.Enrolments.SelectMany(e => e.References));
        // A writer's draw does not depend on which other writers are evaluated.
        var subset = SignatureProtocol.Run(data.Writers.Take(3).ToList(), data.Embeddings, options);
        Assert.Equal(a.Enrolments[0].References, subset.Enrolments[0].References);
    }

    [Fact]
    public void Adaptation_shifts_thresholds_by_reference_spread()
    {
        var plain = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { Adaptation = 0 });
        Assert.Equal(plain.Skilled, plain.SkilledUnadapted);
        Assert.All(plain.Scores, s => Assert.Equal(s.Score, s.AdaptedScore));
        var adapted = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { Adaptation = 1 });
        Assert.Equal(plain.SkilledUnadapted, adapted.SkilledUnadapted);
        Assert.Equal(adapted.PopulationSimilarity, adapted.Enrolments.Average(e => e.Spread), 9);
        Assert.Equal(0, adapted.Enrolments.Sum(e => e.ThresholdShift), 9);
        foreach (var e in adapted.Enrolments) Assert.Equal(e.Spread - adapted.PopulationSimilarity, e.ThresholdShift, 9);
        var fixedMu = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { Adaptation = 1, PopulationSimilarity = 0.5 });
        Assert.Equal(0.5, fixedMu.PopulationSimilarity);
        output.WriteLine($"α=0: {plain.Skilled.Eer:P2} skilled, {plain.Random.Eer:P2} random; α=1: {adapted.Skilled.Eer:P2}, {adapted.Random.Eer:P2}");
    }

    [Fact]
    public void Max_aggregation_scores_at_least_the_mean()
    {
        var mean = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { Adaptation = 0 });
        var max = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { Adaptation = 0, Aggregation = ReferenceAggregation.Max });
        Assert.All(mean.Scores.Zip(max.Scores), p => Assert.True(p.Second.Score >= p.First.Score - 1e-12));
        Assert.Contains(mean.Scores.Zip(max.Scores), p => p.Second.Score > p.First.Score);
    }

    [Fact]
    public void Given_threshold_gives_its_error_rates()
    {
        var result = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { Threshold = 0.9 });
        var genuine = result.Scores.Where(s => s.Kind == QueryKind.Genuine).ToList();
        Assert.Equal(genuine.Count(s => s.AdaptedScore < 0.9) / (double)genuine.Count, result.Frr, 12);
        var random = result.Scores.Where(s => s.Kind == QueryKind.Random).ToList();
        Assert.Equal(random.Count(s => s.AdaptedScore >= 0.9) / (double)random.Count, result.FarRandom, 12);
    }

    [Fact]
    public void Det_plot_is_written()
    {
        using var dir = new TempDir();
        var result = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions());
        var path = dir.File("det.png");
        result.SaveDetPlot(path);
        using var image = Cv2.ImRead(path);
        Assert.Equal(new Size(800, 600), image.Size());
    }

    [Fact]
    public void Too_many_references_is_an_error()
    {
        var e = Assert.Throws<EdgeFaceException>(() => SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { References = 12 }));
        Assert.Equal("writer 041 has 12 genuine signatures; 12 references leave no genuine query", e.Message);
        e = Assert.Throws<EdgeFaceException>(() => SignatureProtocol.Run(data.Writers.Take(1).ToList(), data.Embeddings, new SignatureProtocolOptions()));
        Assert.StartsWith("the protocol needs at least 2 writers", e.Message);
    }

    [Fact]
    public void Baseline_embedder_is_unit_length_deterministic_and_allocation_free()
    {
        var canvas = new float[SignatureCleaner.PixelCount];
        data.Cleaner.CleanFile(data.Writers[0].Genuine[0].Path, canvas);
        var a = new float[data.Embedder.Dimension];
        var b = new float[data.Embedder.Dimension];
        data.Embedder.Embed(canvas, a);
        var before = GC.GetAllocatedBytesForCurrentThread();
        data.Embedder.Embed(canvas, b);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(a, b);
        Assert.Equal(1, Math.Sqrt(a.Sum(v => (double)v * v)), 5);
    }

    [Fact]
    public void Odd_reference_is_flagged()
    {
        var writer = data.Writers[0];
        var names = writer.Genuine.Take(4).Select(g => g.Path).Append(data.Writers[4].Genuine[0].Path).ToList();
        var report = ReferenceConsistency.Check(names.Select(n => data.Embeddings[n]).ToList(), names.Select(Path.GetFileName).ToList()!);
        foreach (var r in report.References) output.WriteLine($"{r.Name}: {r.MeanSimilarity:0.0000} z {r.RobustZ:0.00}");
        Assert.False(report.Consistent);
        var outlier = Assert.Single(report.References, r => r.Outlier);
        Assert.Equal(4, outlier.Index);
        Assert.StartsWith($"reference 5 ({Path.GetFileName(names[4])}) looks unlike the other 4 (mean similarity ", Assert.Single(report.Messages));
    }

    [Fact]
    public void Consistent_references_pass()
    {
        var flagged = 0;
        foreach (var writer in data.Writers)
        {
            var names = writer.Genuine.Take(5).Select(g => g.Path).ToList();
            var report = ReferenceConsistency.Check(names.Select(n => data.Embeddings[n]).ToList(), names);
            if (!report.Consistent) flagged++;
        }
        output.WriteLine($"{flagged} of {data.Writers.Count} genuine-only enrolments flagged");
        Assert.True(flagged <= 1, $"{flagged} of {data.Writers.Count} enrolments of genuine signatures were flagged");
    }

    [Fact]
    public void Consistency_check_needs_four_references()
    {
        var names = data.Writers[0].Genuine.Take(3).Select(g => g.Path).ToList();
        var e = Assert.Throws<EdgeFaceException>(() => ReferenceConsistency.Check(names.Select(n => data.Embeddings[n]).ToList(), names));
        Assert.Equal("the reference consistency check needs at least 4 references, got 3", e.Message);
    }
}
