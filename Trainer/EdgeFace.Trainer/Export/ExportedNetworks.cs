using EdgeFace.Runtime;
using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Layers;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Export;

/// <summary>
/// The networks one export writes into a single model: one network, or a deep ensemble of networks trained with
/// the same recipe and different seeds. An ensemble's embedding concatenates its members' L2-normalised embeddings,
/// so the cosine of two ensemble embeddings is the mean of the members' cosines. On small training sets (35
/// signature writers) the spread between training seeds is larger than the differences between recipes, and
/// averaging members removes much of it. A single network's embedding is its raw output, as before.
/// Holds managed memory only.
/// </summary>
public sealed class ExportedNetworks
{
    public ExportedNetworks(IReadOnlyList<Network> members)
    {
        if (members.Count == 0) throw new ArgumentException("an export needs at least one network", nameof(members));
        var first = members[0];
        foreach (var m in members.Skip(1))
        {
            if (m.Architecture != first.Architecture || m.EmbeddingSize != first.EmbeddingSize || m.InputChannels != first.InputChannels
                || m.InputHeight != first.InputHeight || m.InputWidth != first.InputWidth)
                throw new EdgeFaceException($"ensemble members must share architecture, input and embedding size: {first.Architecture} {Describe(first)} vs {m.Architecture} {Describe(m)}");
        }
        Members = members;
    }

    public IReadOnlyList<Network> Members { get; }
    public Network First => Members[0];
    public bool IsEnsemble => Members.Count > 1;
    public int InputLength => First.InputLength;
    public int EmbeddingSize => First.EmbeddingSize * Members.Count;

    /// <summary>images [count, C, H, W] -> embeddings [count, EmbeddingSize], in eval mode.</summary>
    public float[] Embed(ReadOnlySpan<float> images, int count)
    {
        if (!IsEnsemble) return new EvalEmbedder(First).Embed(images, count);
        var d = First.EmbeddingSize;
        var result = new float[count * EmbeddingSize];
        for (var m = 0; m < Members.Count; m++)
        {
            var member = new EvalEmbedder(Members[m]).Embed(images, count);
            for (var n = 0; n < count; n++)
            {
                var src = member.AsSpan(n * d, d);
                // The same guard as the engine's L2Normalize layer, which the exported graph mirrors.
                var norm = MathF.Max(MathF.Sqrt(L2Normalize.Dot(src, src)), L2Normalize.Epsilon);
                var dst = result.AsSpan(n * EmbeddingSize + m * d, d);
                for (var i = 0; i < d; i++) dst[i] = src[i] / norm;
            }
        }
        return result;
    }

    private static string Describe(Network n) => $"{n.InputChannels}x{n.InputHeight}x{n.InputWidth} -> {n.EmbeddingSize}";
}
