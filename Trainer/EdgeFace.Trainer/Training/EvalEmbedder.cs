using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Training;

/// <summary>Embeds images with a network in eval mode (running statistics, no dropout, no gradients).</summary>
public sealed class EvalEmbedder(Network network, int batch = 32)
{
    private readonly Graph _graph = new(network.Parameters, training: false, needsGrad: false);

    public Network Network { get; } = network;

    /// <summary>images [count, C, H, W] -> embeddings [count, D].</summary>
    public float[] Embed(ReadOnlySpan<float> images, int count)
    {
        var d = Network.EmbeddingSize;
        var result = new float[count * d];
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            _graph.Reset();
            var x = _graph.Input(images.Slice(start * Network.InputLength, n * Network.InputLength), n,
                Network.InputChannels, Network.InputHeight, Network.InputWidth);
            Network.Embed(_graph, x).Data.CopyTo(result.AsSpan(start * d, n * d));
        }
        return result;
    }
}
