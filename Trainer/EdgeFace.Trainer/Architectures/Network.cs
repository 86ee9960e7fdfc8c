using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Layers;

namespace EdgeFace.Trainer.Architectures;

/// <summary>
/// An embedding network: its layers, the flat <see cref="ParameterStore"/> they (and a loss head, if any) share,
/// and its input geometry. Owns only managed memory.
/// </summary>
public sealed class Network
{
    public required string Architecture { get; init; }
    public required Layer Body { get; init; }
    public required ParameterStore Parameters { get; init; }
    public required int InputChannels { get; init; }
    public required int InputHeight { get; init; }
    public required int InputWidth { get; init; }
    public required int EmbeddingSize { get; init; }

    public int InputLength => InputChannels * InputHeight * InputWidth;

    /// <summary>Backbone parameters (everything not registered by a loss head).</summary>
    public int BackboneParameterCount => Parameters.Count - HeadParameterCount;
    public int HeadParameterCount => Parameters.CountWithPrefix("head.");

    /// <summary>Embeds a batch [N, C, H, W] -> [N, EmbeddingSize] in the graph's mode.</summary>
    public Tensor Embed(Graph g, Tensor input)
    {
        if (input.C != InputChannels || input.H != InputHeight || input.W != InputWidth)
            throw new ArgumentException($"{Architecture} expects input [N,{InputChannels},{InputHeight},{InputWidth}], got {input.Shape}");
        var y = Body.Forward(g, input);
        return y.Reshape(y.N, y.SampleLength);
    }
}
