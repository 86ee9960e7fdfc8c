using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeFace.Camera.Faces;

/// <summary>
/// Embedding arithmetic. <see cref="Vector{T}"/> picks the widest SIMD width the CPU offers at run time
/// (AVX-512, AVX2, NEON, or none when disabled via DOTNET_EnableAVX*), with a scalar tail.
/// </summary>
public static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vector lengths differ: {a.Length} vs {b.Length}");
        var sum = 0f;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (var k = 0; k < va.Length; k++) acc += va[k] * vb[k];
            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Scales <paramref name="v"/> to unit length in place (leaves a zero vector alone).</summary>
    public static void Normalize(Span<float> v)
    {
        var norm = MathF.Sqrt(Dot(v, v));
        if (norm < 1e-12f) return;
        var inv = 1f / norm;
        for (var i = 0; i < v.Length; i++) v[i] *= inv;
    }
}
