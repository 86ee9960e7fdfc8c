using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Layers;

namespace EdgeFace.Trainer.Losses;

/// <summary>
/// Siamese contrastive loss over every pair (i &lt; j) of the batch's L2-normalised embeddings (one shared
/// network embedded them all): same identity d², different identity max(0, margin − d)², averaged over pairs.
/// </summary>
public sealed class ContrastiveLoss(float margin = 1f) : EmbeddingLoss
{
    public float Margin { get; } = margin;
    public override string Name => "contrastive";

    public override float Forward(Graph g, Tensor embedding, ReadOnlySpan<int> labels)
    {
        var e = L2Normalize.Instance.Forward(g, embedding);
        int n = e.N, d = e.SampleLength;
        var dist = g.Scratch(n * n).Data;
        PairwiseDistances.Compute(e.Data, n, d, dist);
        var pairs = n * (n - 1) / 2;
        double total = 0;
        var grad = g.NeedsGrad ? e.Grad : default;
        for (var i = 0; i < n; i++)
        for (var j = i + 1; j < n; j++)
        {
            var dij = dist[i * n + j];
            if (labels[i] == labels[j])
            {
                total += dij * dij;
                if (!grad.IsEmpty) PairwiseDistances.AccumulateGrad(e.Data, d, i, j, dij, 2 * dij / pairs, grad);
            }
            else if (dij < Margin)
            {
                var gap = Margin - dij;
                total += gap * gap;
                if (!grad.IsEmpty) PairwiseDistances.AccumulateGrad(e.Data, d, i, j, dij, -2 * gap / pairs, grad);
            }
        }
        return (float)(total / pairs);
    }
}
