using EdgeFace.Runtime;
using EdgeFace.Runtime.Evaluation;

namespace EdgeFace.Trainer.Evaluation;

/// <summary>
/// How well embeddings separate identities: cosine similarity of every genuine pair (same identity) and every
/// impostor pair, their means, and the ROC (AUC, EER) over all pairs.
/// </summary>
public sealed record EmbeddingSeparation(int Images, int Identities, double GenuineMean, double ImpostorMean, double Auc, double Eer, double EerThreshold, RocCurve Roc)
{
    public double Gap => GenuineMean - ImpostorMean;

    /// <param name="embeddings">[count, d], row-major; need not be normalised.</param>
    public static EmbeddingSeparation Measure(ReadOnlySpan<float> embeddings, IReadOnlyList<int> labels, int d)
    {
        var n = labels.Count;
        if (n < 2) throw new EdgeFaceException($"evaluation needs at least two images, got {n}");
        var unit = new float[n * d];
        for (var i = 0; i < n; i++)
        {
            var row = embeddings.Slice(i * d, d);
            double sq = 0;
            foreach (var v in row) sq += (double)v * v;
            var inv = 1 / Math.Max(Math.Sqrt(sq), 1e-12);
            for (var j = 0; j < d; j++) unit[i * d + j] = (float)(row[j] * inv);
        }
        var genuine = new List<double>();
        var impostor = new List<double>();
        for (var i = 0; i < n; i++)
        for (var j = i + 1; j < n; j++)
        {
            double dot = 0;
            for (var t = 0; t < d; t++) dot += (double)unit[i * d + t] * unit[j * d + t];
            (labels[i] == labels[j] ? genuine : impostor).Add(dot);
        }
        if (genuine.Count == 0) throw new EdgeFaceException("evaluation needs at least two images of one identity (no genuine pairs)");
        if (impostor.Count == 0) throw new EdgeFaceException("evaluation needs at least two identities (no impostor pairs)");
        var roc = RocCurve.From(genuine, impostor);
        return new EmbeddingSeparation(n, labels.Distinct().Count(), genuine.Average(), impostor.Average(), roc.Auc, roc.Eer, roc.EerThreshold, roc);
    }

    public override string ToString() =>
        FormattableString.Invariant($"{Images} images of {Identities} identities: genuine cosine mean {GenuineMean:F4}, impostor {ImpostorMean:F4}, gap {Gap:F4}, AUC {Auc:F4}, EER {Eer:P2} at cosine {EerThreshold:F4}");
}
