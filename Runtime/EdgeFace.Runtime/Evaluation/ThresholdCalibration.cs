namespace EdgeFace.Runtime.Evaluation;

/// <summary>A threshold for a target false-accept rate, with bootstrap confidence intervals.</summary>
public sealed record CalibrationResult(
    double TargetFar,
    double Threshold,
    double AchievedFar,
    double Frr,
    (double Low, double High) ThresholdInterval,
    (double Low, double High) FrrInterval,
    int GenuineCount,
    int ImpostorCount,
    int BootstrapRounds)
{
    /// <summary>True when there are too few impostor pairs for the target FAR to be measurable (fewer than 1/FAR).</summary>
    public bool Underpowered => ImpostorCount * TargetFar < 1;
}

/// <summary>
/// Picks the decision threshold that gives a target FAR on the user's own data, and how sure we are of it.
/// The bootstrap resamples genuine and impostor scores independently (Poisson weights, so a round is
/// one pass over the scores rather than a sort), recomputing the threshold and the FRR each round.
/// </summary>
public static class ThresholdCalibration
{
    public static CalibrationResult AtFar(RocCurve roc, double far, int bootstrapRounds = 1000, int seed = 12345, double confidence = 0.95)
    {
        var threshold = roc.ThresholdAtFar(far);
        var impostors = roc.ImpostorScores.ToArray();
        var genuine = roc.GenuineScores.ToArray();
        // Only the impostor tail decides the threshold; keep a generous slice of it for resampling.
        var tailLength = Math.Min(impostors.Length, (int)Math.Ceiling(far * impostors.Length) * 20 + 200);
        var tail = impostors.AsSpan(impostors.Length - tailLength).ToArray();

        var rng = new Random(seed);
        var thresholds = new double[bootstrapRounds];
        var frrs = new double[bootstrapRounds];
        var tailWeights = new int[tail.Length];
        for (var b = 0; b < bootstrapRounds; b++)
        {
            for (var i = 0; i < tail.Length; i++) tailWeights[i] = Poisson1(rng);
            thresholds[b] = WeightedThresholdAtFar(tail, tailWeights, impostors.Length, far);
            double below = 0, total = 0;
            foreach (var g in genuine)
            {
                var w = Poisson1(rng);
                total += w;
                if (g < thresholds[b]) below += w;
            }
            frrs[b] = total == 0 ? 0 : below / total;
        }
        var alpha = (1 - confidence) / 2;
        return new CalibrationResult(far, threshold, roc.Far(threshold), roc.Frr(threshold),
            (Quantile(thresholds, alpha), Quantile(thresholds, 1 - alpha)),
            (Quantile(frrs, alpha), Quantile(frrs, 1 - alpha)),
            genuine.Length, impostors.Length, bootstrapRounds);
    }

    /// <summary>Threshold at FAR over the ascending tail where each score counts <c>weights[i]</c> times out of about <paramref name="population"/>.</summary>
    private static double WeightedThresholdAtFar(double[] ascendingTail, int[] weights, int population, double far)
    {
        var allowed = Math.Floor(far * population + 1e-9);
        double accepted = 0;
        for (var i = ascendingTail.Length - 1; i >= 0; i--)
        {
            if (weights[i] == 0) continue;
            if (accepted + weights[i] > allowed) return Math.BitIncrement(ascendingTail[i]);
            accepted += weights[i];
        }
        return ascendingTail.Length > 0 ? ascendingTail[0] : double.NegativeInfinity;
    }

    /// <summary>A Poisson(1) draw: the multiplicity of one item in a bootstrap resample.</summary>
    private static int Poisson1(Random rng)
    {
        // Knuth's method; for mean 1 it takes about two uniforms.
        const double limit = 0.36787944117144233; // e^-1
        var k = 0;
        var p = rng.NextDouble();
        while (p > limit) { k++; p *= rng.NextDouble(); }
        return k;
    }

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
