using EdgeFace.Runtime.Evaluation;

namespace EdgeFace.Runtime.Tests.Evaluation;

public class RocCurveTests
{
    [Fact]
    public void Perfect_separation_has_auc_one_and_zero_eer()
    {
        var roc = RocCurve.From([0.9, 0.8, 0.7], [0.1, 0.2, 0.3]);
        Assert.Equal(1.0, roc.Auc, 12);
        Assert.Equal(0.0, roc.Eer, 12);
        Assert.Equal(1.0, roc.TarAtFar(0));
    }

    [Fact]
    public void Auc_matches_brute_force_with_ties()
    {
        var rng = new Random(1);
        var genuine = Enumerable.Range(0, 300).Select(_ => Math.Round(rng.NextDouble() * 0.6 + 0.3, 2)).ToArray();
        var impostor = Enumerable.Range(0, 400).Select(_ => Math.Round(rng.NextDouble() * 0.6, 2)).ToArray();
        double wins = 0;
        foreach (var g in genuine)
        foreach (var i in impostor)
            wins += g > i ? 1 : g == i ? 0.5 : 0;
        var roc = RocCurve.From(genuine, impostor);
        Assert.Equal(wins / (genuine.Length * impostor.Length), roc.Auc, 12);
    }

    [Fact]
    public void Threshold_at_far_accepts_at_most_the_allowed_impostors()
    {
        var impostor = Enumerable.Range(0, 1000).Select(i => i / 1000.0).ToArray();
        var roc = RocCurve.From([0.5, 0.9965, 0.9995], impostor);
        var t = roc.ThresholdAtFar(0.003);
        Assert.Equal(0.003, roc.Far(t), 12);            // exactly 3 of 1000 pass
        Assert.True(roc.Far(0.996) > 0.003);                // one step lower lets a fourth through
        Assert.Equal(2.0 / 3, roc.Tar(t), 12);          // 0.9965 and 0.9995 pass, 0.5 does not
    }

    [Fact]
    public void Eer_sits_where_far_equals_frr()
    {
        // Genuine uniform on [0.2,1.2], impostor uniform on [0,1]: the rates cross at 0.6 with EER 0.4.
        var genuine = Enumerable.Range(0, 10001).Select(i => 0.2 + i / 10000.0);
        var impostor = Enumerable.Range(0, 10001).Select(i => i / 10000.0);
        var roc = RocCurve.From(genuine, impostor);
        Assert.Equal(0.4, roc.Eer, 3);
        Assert.Equal(0.6, roc.EerThreshold, 2);
    }

    [Fact]
    public void Empty_side_is_a_clear_error()
    {
        var e = Assert.Throws<EdgeFaceException>(() => RocCurve.From([0.5], []));
        Assert.Contains("impostor", e.Message);
    }
}
