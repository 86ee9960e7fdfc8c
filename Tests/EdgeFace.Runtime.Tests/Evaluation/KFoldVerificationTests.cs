using EdgeFace.Runtime.Evaluation;

namespace EdgeFace.Runtime.Tests.Evaluation;

public class KFoldVerificationTests
{
    [Fact]
    public void Best_threshold_maximises_training_accuracy()
    {
        var rng = new Random(7);
        var pairs = Enumerable.Range(0, 500).Select(i => new ScoredPair(
            i % 2 == 0 ? rng.NextDouble() * 0.7 + 0.3 : rng.NextDouble() * 0.6, i % 2 == 0)).ToList();
        var t = KFoldVerification.BestAccuracyThreshold(pairs);
        var best = pairs.Select(p => p.Score).Distinct().Max(c => KFoldVerification.Accuracy(pairs, c));
        Assert.Equal(best, KFoldVerification.Accuracy(pairs, t), 12);
    }

    [Fact]
    public void Threshold_is_chosen_without_the_held_out_fold()
    {
        // Fold 0 is all impostors scoring high; if it leaked into its own threshold, its accuracy would rise.
        var pairs = new List<ScoredPair>();
        for (var f = 1; f < 10; f++)
            for (var i = 0; i < 20; i++)
                pairs.Add(new ScoredPair(i < 10 ? 0.9 : 0.1, i < 10, f));
        for (var i = 0; i < 20; i++) pairs.Add(new ScoredPair(0.8, false, 0));
        var result = KFoldVerification.Evaluate(pairs);
        Assert.Equal(0.0, result.FoldAccuracies[0]);
        Assert.All(result.FoldAccuracies.Skip(1), a => Assert.Equal(1.0, a));
        Assert.InRange(result.FoldThresholds[0], 0.1, 0.9);
    }

    [Fact]
    public void Missing_folds_are_reported()
    {
        var e = Assert.Throws<EdgeFaceException>(() => KFoldVerification.Evaluate([new ScoredPair(1, true, 0)], 10));
        Assert.Contains("folds", e.Message);
    }
}
