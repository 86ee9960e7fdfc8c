using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Layers;

namespace EdgeFace.Trainer.Losses;

/// <summary>Mean softmax cross-entropy of logits [N, K] against class labels, with its gradient.</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>Returns the mean loss; when <paramref name="gradLogits"/> is not empty, adds ∂loss/∂logits to it.</summary>
    public static float Compute(ReadOnlySpan<float> logits, int n, int k, ReadOnlySpan<int> labels, Span<float> gradLogits, float gradScale = 1f)
    {
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            var row = logits.Slice(i * k, k);
            var label = labels[i];
            if ((uint)label >= (uint)k) throw new ArgumentException($"label {label} outside 0..{k - 1}");
            var max = float.NegativeInfinity;
            foreach (var v in row) max = MathF.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            var logSum = Math.Log(sum) + max;
            total += logSum - row[label];
            if (gradLogits.IsEmpty) continue;
            var grad = gradLogits.Slice(i * k, k);
            for (var j = 0; j < k; j++)
            {
                var p = Math.Exp(row[j] - logSum);
                grad[j] += (float)((p - (j == label ? 1 : 0)) / n) * gradScale;
            }
        }
        return (float)(total / n);
    }
}

/// <summary>Plain softmax classifier: a linear layer to K classes, then cross-entropy.</summary>
public sealed class SoftmaxLoss(ParameterStore store, Rng rng, int embeddingSize, int classes) : EmbeddingLoss
{
    private readonly Linear _head = new(store, rng, "head", embeddingSize, classes);

    public override string Name => "softmax";

    public override float Forward(Graph g, Tensor embedding, ReadOnlySpan<int> labels)
    {
        var logits = _head.Forward(g, embedding);
        return SoftmaxCrossEntropy.Compute(logits.Data, logits.N, logits.C, labels, g.NeedsGrad ? logits.Grad : default);
    }
}
