using EdgeFace.Runtime.Models;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Tests.Signatures;

/// <summary>
/// The shipped signature model (models/signature-signet-v2), loaded the way the CLI loads it: through the runtime's
/// model search path (here the copy beside the executable), on the validation writers 041-048 it was calibrated on.
/// </summary>
public sealed class ShippedSignatureModelTests
{
    [Fact]
    public void Is_found_on_the_search_path_with_its_calibration_and_provenance()
    {
        var entry = ModelCatalog.Scan().Resolve(ModelTask.SignatureEmbedder);
        var m = entry.RequireManifest();
        Assert.Equal("signature-signet-v2", m.Id);
        Assert.Equal(FileHash.Sha256(entry.Path), m.Sha256, ignoreCase: true);
        Assert.Equal((1, 150, 220), (m.Input.Channels, m.Input.Height, m.Input.Width));
        Assert.Equal(1f, m.Input.Scale);
        Assert.Equal(Metric.Cosine, m.Metric);
        var t = m.Thresholds["default"];
        Assert.Contains("writers 041-048", t.Data);
        Assert.Contains("R=5", t.Data);
        Assert.NotNull(t.Far);
        Assert.NotNull(t.Frr);
        Assert.True(m.Parameters.ContainsKey(SignatureModel.AlphaParameter) && m.Parameters.ContainsKey(SignatureModel.MuParameter));
        // Three 445 k-parameter networks in one graph (a seed ensemble), so 3 × 128 outputs.
        Assert.Equal(384, m.Output?.Size);
        Assert.True(new FileInfo(entry.Path).Length < 8 << 20, "the shipped model must stay small");
    }

    [Fact]
    public void Genuine_pairs_outscore_skilled_forgeries_on_average()
    {
        using var model = SignatureModel.Open(null);
        Assert.Equal("signature-signet-v2", model.Id);
        var writers = SigComp2011Dataset.Open().Select(WriterSelection.Parse("041-048"));
        using var cleaner = new SignatureCleaner();
        var canvas = new float[SignatureCleaner.PixelCount];
        var better = 0;
        double genuineSum = 0, forgedSum = 0;
        foreach (var w in writers)
        {
            var genuine = w.Genuine.Select(s => model.EmbedFile(cleaner, s.Path, canvas)).ToList();
            var forged = w.Forgeries.Select(s => model.EmbedFile(cleaner, s.Path, canvas)).ToList();
            var g = Pairs(genuine, genuine, same: true).Average();
            var f = Pairs(genuine, forged, same: false).Average();
            genuineSum += g;
            forgedSum += f;
            if (g > f) better++;
        }
        Assert.True(genuineSum > forgedSum, $"mean genuine-pair cosine {genuineSum / writers.Count} vs genuine-forgery {forgedSum / writers.Count}");
        Assert.True(better >= writers.Count - 1, $"genuine pairs beat forgeries for only {better} of {writers.Count} writers");
    }

    private static IEnumerable<double> Pairs(List<float[]> a, List<float[]> b, bool same)
    {
        for (var i = 0; i < a.Count; i++)
            for (var j = same ? i + 1 : 0; j < b.Count; j++) yield return SignatureModel.Score(a[i], [b[j]]);
    }
}
