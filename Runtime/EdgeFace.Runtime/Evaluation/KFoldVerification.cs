namespace EdgeFace.Runtime.Evaluation;

/// <summary>Outcome of k-fold verification: per-fold accuracy at a threshold chosen on the other folds.</summary>
public sealed record KFoldResult(double[] FoldAccuracies, double[] FoldThresholds)
{
    public double MeanAccuracy => FoldAccuracies.Average();
    /// <summary>Population standard deviation over folds, as the LFW protocol reports it.</summary>
    public double StdAccuracy => Math.Sqrt(FoldAccuracies.Select(a => (a - MeanAccuracy) * (a - MeanAccuracy)).Average());
    public double MeanThreshold => FoldThresholds.Average();
}

/// <summary>
/// The LFW-style protocol: for each fold, the accuracy-maximising threshold is chosen on the other folds
/// and applied to the held-out fold. Nothing is tuned on the fold being measured.
/// </summary>
public static class KFoldVerification
{
    public static KFoldResult Evaluate(IReadOnlyList<ScoredPair> pairs, int folds = 10)
    {
        var present = pairs.Select(p => p.Fold).Distinct().Order().ToArray();
        if (present.Length != folds || present[0] != 0 || present[^1] != folds - 1)
            throw new EdgeFaceException($"expected pairs in folds 0..{folds - 1}, found folds {string.Join(',', present)}");
        var accuracies = new double[folds];
        var thresholds = new double[folds];
        for (var f = 0; f < folds; f++)
        {
            var fold = f;
            thresholds[f] = BestAccuracyThreshold(pairs.Where(p => p.Fold != fold).ToList());
            accuracies[f] = Accuracy(pairs.Where(p => p.Fold == fold), thresholds[f]);
        }
        return new KFoldResult(accuracies, thresholds);
    }

    public static double Accuracy(IEnumerable<ScoredPair> pairs, double threshold)
    {
        int correct = 0, total = 0;
        foreach (var p in pairs)
        {
            total++;
            if ((p.Score >= threshold) == p.Genuine) correct++;
        }
        return total == 0 ? 0 : (double)correct / total;
    }

    /// <summary>
    /// The threshold that maximises accuracy, placed midway between neighbouring scores so it does not
    /// sit on a training score. One sweep over the sorted scores.
    /// </summary>
    public static double BestAccuracyThreshold(IReadOnlyList<ScoredPair> pairs)
    {
        if (pairs.Count == 0) throw new EdgeFaceException("no pairs to choose a threshold on");
        var sorted = pairs.OrderBy(p => p.Score).ToArray();
        // Threshold below everything: all accepted, so correct = number of genuine pairs.
        var correct = sorted.Count(p => p.Genuine);
        var best = correct;
        var bestThreshold = sorted[0].Score - 1e-6;
        for (var i = 0; i < sorted.Length; i++)
        {
            // Moving the threshold above sorted[i] rejects it.
            correct += sorted[i].Genuine ? -1 : 1;
            if (i + 1 < sorted.Length && sorted[i + 1].Score == sorted[i].Score) continue;
            if (correct > best)
            {
                best = correct;
                bestThreshold = i + 1 < sorted.Length ? (sorted[i].Score + sorted[i + 1].Score) / 2 : sorted[i].Score + 1e-6;
            }
        }
        return bestThreshold;
    }
}
