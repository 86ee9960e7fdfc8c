using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Runtime.Tests.Signatures;

/// <summary>Multi-draw calibration on SigComp2011 writers 041-048 with the baseline embedder (embedded once by the fixture).</summary>
public sealed class SignatureCalibrationTests(ValidationEmbeddings data) : IClassFixture<ValidationEmbeddings>
{
    [Fact]
    public void One_draw_agrees_with_the_protocol_run_it_is_made_of()
    {
        var c = SignatureCalibration.Run(data.Writers, data.Embeddings, references: 5, seed: 3, draws: 1, alphas: [0, 1]);
        var mu = SignatureProtocol.Run(data.Writers, data.Embeddings, new SignatureProtocolOptions { References = 5, Seed = 3 }).PopulationSimilarity;
        Assert.Equal(mu, c.Mu, 12);
        foreach (var candidate in c.Candidates)
        {
            var run = SignatureProtocol.Run(data.Writers, data.Embeddings,
                new SignatureProtocolOptions { References = 5, Seed = 3, Adaptation = candidate.Alpha, PopulationSimilarity = mu });
            Assert.Equal(run.Skilled.Eer, candidate.MeanSkilledEer, 12);
            Assert.Equal(run.Random.Eer, candidate.MeanRandomEer, 12);
            if (candidate.Alpha == c.Alpha)
            {
                Assert.Equal(run.Threshold, c.Threshold, 12);
                Assert.Equal(run.Frr, c.Frr, 12);
                Assert.Equal(run.FarSkilled, c.FarSkilled, 12);
            }
        }
        Assert.Equal(c.Candidates.Min(x => x.MeanSkilledEer), c.Chosen.MeanSkilledEer);
        Assert.Equal((56, 92), (c.GenuineQueries, c.SkilledQueries));
    }

    [Fact]
    public void Several_draws_average_the_eer_of_each_draw_and_pool_the_threshold()
    {
        var c = SignatureCalibration.Run(data.Writers, data.Embeddings, references: 3, seed: 1, draws: 3, alphas: [0.5]);
        var runs = Enumerable.Range(1, 3).Select(s => SignatureProtocol.Run(data.Writers, data.Embeddings,
            new SignatureProtocolOptions { References = 3, Seed = s, Adaptation = 0.5, PopulationSimilarity = c.Mu })).ToList();
        Assert.Equal(runs.Average(r => r.Skilled.Eer), c.Chosen.MeanSkilledEer, 12);
        var ownMu = Enumerable.Range(1, 3).Average(s => SignatureProtocol.Run(data.Writers, data.Embeddings,
            new SignatureProtocolOptions { References = 3, Seed = s }).PopulationSimilarity);
        Assert.Equal(ownMu, c.Mu, 12);
        // At the pooled equal-error point the false-reject and skilled false-accept rates meet.
        Assert.InRange(Math.Abs(c.Frr - c.FarSkilled), 0, 0.03);
        Assert.InRange(c.FarRandom, 0, c.FarSkilled);
    }

    [Fact]
    public void Impossible_settings_are_refused_before_any_work()
    {
        Assert.Contains("reference draws must be between 1 and 100, got 0",
            Assert.Throws<EdgeFaceException>(() => SignatureCalibration.Validate(data.Writers, 5, 1, 0, [0.5])).Message);
        Assert.Contains("at least one α candidate",
            Assert.Throws<EdgeFaceException>(() => SignatureCalibration.Validate(data.Writers, 5, 1, 5, [])).Message);
    }
}
