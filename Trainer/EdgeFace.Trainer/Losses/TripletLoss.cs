using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Layers;

namespace EdgeFace.Trainer.Losses;

/// <summary>How a <see cref="TripletLoss"/> picks negatives (and positives) inside a P×K batch.</summary>
public enum TripletMining
{
    /// <summary>Per anchor: the farthest positive and the nearest negative.</summary>
    BatchHard,
    /// <summary>Per anchor–positive pair: the nearest negative still farther than the positive (FaceNet);
    /// the nearest negative when none is.</summary>
    SemiHard,
}

/// <summary>
/// Triplet margin loss max(0, d(a,p) − d(a,n) + margin) on L2-normalised embeddings, with triplets mined from
/// the batch's own indices, so one shared-weight forward pass embeds every anchor, positive and negative.
/// A negative label marks a negative-only sample (a skilled forgery aimed at a batch identity): it is never an
/// anchor, and it is a negative for every anchor because no anchor shares its label.
/// With a <see cref="ForgeryMargin"/>, every mined triplet gets a twin whose negative is the nearest skilled
/// forgery of the anchor's own writer (label −1 − writer), the negative the verification task is about, which
/// general mining may pass over when other writers' signatures are nearer (on SigComp2011 it did not help: models/README.md).
/// </summary>
public sealed class TripletLoss(float margin = 0.2f, TripletMining mining = TripletMining.BatchHard, float? forgeryMargin = null) : EmbeddingLoss
{
    public float Margin { get; } = margin;
    public TripletMining Mining { get; } = mining;
    public float? ForgeryMargin { get; } = forgeryMargin;
    public override string Name => Mining == TripletMining.BatchHard ? "triplet-batch-hard" : "triplet-semi-hard";

    public override float Forward(Graph g, Tensor embedding, ReadOnlySpan<int> labels)
    {
        RequirePositives(labels, Name);
        var e = L2Normalize.Instance.Forward(g, embedding);
        int n = e.N, d = e.SampleLength;
        var dist = g.Scratch(n * n).Data;
        PairwiseDistances.Compute(e.Data, n, d, dist);
        var grad = g.NeedsGrad ? e.Grad : default;
        double total = 0;
        var count = 0;
        // Loss terms are collected first so each gradient can be divided by the final count.
        var terms = g.Scratch(3 * n * n * (ForgeryMargin is null ? 1 : 2)).Data;
        var termCount = 0;
        for (var a = 0; a < n; a++)
        {
            if (labels[a] < 0) continue; // negative-only sample (e.g. a skilled forgery): never an anchor
            if (Mining == TripletMining.BatchHard)
            {
                int p = -1, neg = -1;
                for (var j = 0; j < n; j++)
                {
                    if (j == a) continue;
                    if (labels[j] == labels[a]) { if (p < 0 || dist[a * n + j] > dist[a * n + p]) p = j; }
                    else if (neg < 0 || dist[a * n + j] < dist[a * n + neg]) neg = j;
                }
                if (neg < 0) continue;
                count++;
                AddTerm(dist, n, terms, ref termCount, ref total, Margin, a, p, neg);
                AddOwnForgeryTerm(labels, dist, n, terms, ref termCount, ref total, ref count, a, p);
            }
            else
            {
                for (var p = 0; p < n; p++)
                {
                    if (p == a || labels[p] != labels[a]) continue;
                    var dap = dist[a * n + p];
                    int semi = -1, hardest = -1;
                    for (var j = 0; j < n; j++)
                    {
                        if (labels[j] == labels[a]) continue;
                        var daj = dist[a * n + j];
                        if (hardest < 0 || daj < dist[a * n + hardest]) hardest = j;
                        if (daj > dap && (semi < 0 || daj < dist[a * n + semi])) semi = j;
                    }
                    if (hardest < 0) continue;
                    count++;
                    AddTerm(dist, n, terms, ref termCount, ref total, Margin, a, p, semi >= 0 ? semi : hardest);
                    AddOwnForgeryTerm(labels, dist, n, terms, ref termCount, ref total, ref count, a, p);
                }
            }
        }
        if (count == 0) return 0f;
        if (!grad.IsEmpty)
            for (var t = 0; t < termCount; t++)
            {
                int a = (int)terms[3 * t], p = (int)terms[3 * t + 1], neg = (int)terms[3 * t + 2];
                PairwiseDistances.AccumulateGrad(e.Data, d, a, p, dist[a * n + p], 1f / count, grad);
                PairwiseDistances.AccumulateGrad(e.Data, d, a, neg, dist[a * n + neg], -1f / count, grad);
            }
        return (float)(total / count);
    }

    private void AddOwnForgeryTerm(ReadOnlySpan<int> labels, ReadOnlySpan<float> dist, int n, Span<float> terms,
        ref int termCount, ref double total, ref int count, int a, int p)
    {
        if (ForgeryMargin is not { } margin) return;
        var forgeryLabel = -1 - labels[a];
        var nearest = -1;
        for (var j = 0; j < n; j++)
            if (labels[j] == forgeryLabel && (nearest < 0 || dist[a * n + j] < dist[a * n + nearest])) nearest = j;
        if (nearest < 0) return;
        count++;
        AddTerm(dist, n, terms, ref termCount, ref total, margin, a, p, nearest);
    }

    private static void AddTerm(ReadOnlySpan<float> dist, int n, Span<float> terms, ref int termCount, ref double total,
        float margin, int a, int p, int neg)
    {
        var value = dist[a * n + p] - dist[a * n + neg] + margin;
        if (value <= 0) return;
        total += value;
        terms[3 * termCount] = a; terms[3 * termCount + 1] = p; terms[3 * termCount + 2] = neg;
        termCount++;
    }
}
