using EdgeFace.Runtime.Matching;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Runtime.Faces;

/// <summary>Scores for evaluation on the "higher = more alike" scale: cosine as is, distances negated.</summary>
public static class PairScores
{
    public static double Score(Metric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        metric == Metric.Cosine ? Similarity.Cosine(a, b) : -Similarity.Score(metric, a, b);

    /// <summary>Converts a threshold on the evaluation scale back to the metric's own scale.</summary>
    public static double ToMetricThreshold(Metric metric, double evaluationThreshold) =>
        metric == Metric.Cosine ? evaluationThreshold : -evaluationThreshold;

    /// <summary>Every within-group pair (genuine) and every cross-group pair (impostor) of embeddings grouped by identity.</summary>
    public static (double[] Genuine, double[] Impostor) AllPairs(IReadOnlyList<float[][]> groups, Metric metric)
    {
        long total = groups.Sum(g => (long)g.Length);
        long genuineCount = groups.Sum(g => (long)g.Length * (g.Length - 1) / 2);
        var impostorCount = total * (total - 1) / 2 - genuineCount;
        if (impostorCount > 200_000_000) throw new EdgeFaceException($"{impostorCount:N0} impostor pairs is too many; use fewer images per identity");
        var genuine = new double[genuineCount];
        var impostor = new double[impostorCount];
        long gi = 0, ii = 0;
        for (var g = 0; g < groups.Count; g++)
            for (var i = 0; i < groups[g].Length; i++)
            {
                var a = groups[g][i];
                for (var j = i + 1; j < groups[g].Length; j++) genuine[gi++] = Score(metric, a, groups[g][j]);
                for (var h = g + 1; h < groups.Count; h++)
                    foreach (var b in groups[h]) impostor[ii++] = Score(metric, a, b);
            }
        return (genuine, impostor);
    }
}
