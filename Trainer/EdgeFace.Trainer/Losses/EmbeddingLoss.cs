using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Losses;

/// <summary>
/// A training objective on a batch of embeddings [N, D] with identity labels. <see cref="Forward"/> returns the
/// mean loss and, when the graph keeps gradients, writes ∂loss/∂embedding into the embedding's gradient
/// (forward and backward fused; ops it puts on the tape, e.g. a classifier head, finish in Graph.Backward).
/// Heads with weights register them in the network's <see cref="ParameterStore"/> under "head.".
/// </summary>
public abstract class EmbeddingLoss
{
    public abstract string Name { get; }
    public abstract float Forward(Graph g, Tensor embedding, ReadOnlySpan<int> labels);

    /// <summary>The batch's pair structure check shared by the metric losses: every identity needs two samples.</summary>
    protected static void RequirePositives(ReadOnlySpan<int> labels, string loss)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0) continue; // negative-only samples need no positive
            var found = false;
            for (var j = 0; j < labels.Length && !found; j++) found = j != i && labels[j] == labels[i];
            if (!found) throw new ArgumentException($"{loss} needs at least two samples of every identity in a batch (label {labels[i]} has one)");
        }
    }
}
