using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Layers;

/// <summary>
/// A building block of a network. <see cref="Forward"/> computes its output in the graph's arena and records
/// its backward on the graph's tape. Parameters live in the network's <see cref="ParameterStore"/>; a layer
/// holds only their views, so it owns nothing that needs disposing.
/// </summary>
public abstract class Layer
{
    public abstract Tensor Forward(Graph g, Tensor x);

    /// <summary>Direct sub-layers, in execution order (for export and inspection).</summary>
    public virtual IReadOnlyList<Layer> Children => [];

    /// <summary>This layer and every layer below it, depth first.</summary>
    public IEnumerable<Layer> Descendants()
    {
        yield return this;
        foreach (var c in Children)
        foreach (var d in c.Descendants())
            yield return d;
    }
}

/// <summary>Layers run one after another.</summary>
public sealed class Sequential(params Layer[] layers) : Layer
{
    public override IReadOnlyList<Layer> Children { get; } = layers;

    public override Tensor Forward(Graph g, Tensor x)
    {
        foreach (var layer in Children) x = layer.Forward(g, x);
        return x;
    }
}
