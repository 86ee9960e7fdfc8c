using System.Numerics.Tensors;

namespace EdgeFace.Runtime.Signatures;

/// <summary>Vector helpers shared by the signature embedders and scoring.</summary>
internal static class SignatureVectors
{
    /// <summary>Scales <paramref name="v"/> to unit length; an all-zero vector stays zero.</summary>
    public static void Normalize(Span<float> v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0) TensorPrimitives.Divide(v, norm, v);
    }

    /// <summary>Cosine similarity of two L2-normalised vectors.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);
}
