using System.Runtime.Intrinsics;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Runtime.Matching;

/// <summary>The outcome of comparing two embeddings against a threshold. A decision, not an error, either way.</summary>
public readonly record struct VerificationDecision(double Score, double Threshold, Metric Metric, bool Accepted);

/// <summary>
/// Embedding comparison kernels. Each picks the widest SIMD width the CPU accelerates at run time
/// (Vector512, Vector256, Vector128) and finishes with a scalar tail, so AVX-512, AVX2-only, ARM and
/// DOTNET_EnableAVX512=0 / DOTNET_EnableAVX2=0 machines all give the same results.
/// </summary>
public static class Similarity
{
    /// <summary>Cosine similarity in [-1, 1]; 0 when either vector is zero.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var (dot, na, nb) = DotAndNorms(a, b);
        return na > 0f && nb > 0f ? dot / MathF.Sqrt(na * nb) : 0f;
    }

    /// <summary>Dot product: the cosine of two L2-normalised embeddings.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => DotAndNorms(a, b).Dot;

    public static float Euclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckLengths(a, b);
        var i = 0;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && a.Length >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= a.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var d = Vector512.Create(a[i..]) - Vector512.Create(b[i..]);
                acc += d * d;
            }
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var d = Vector256.Create(a[i..]) - Vector256.Create(b[i..]);
                acc += d * d;
            }
            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && a.Length >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= a.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var d = Vector128.Create(a[i..]) - Vector128.Create(b[i..]);
                acc += d * d;
            }
            sum = Vector128.Sum(acc);
        }
        for (; i < a.Length; i++) { var d = a[i] - b[i]; sum += d * d; }
        return MathF.Sqrt(sum);
    }

    public static float Manhattan(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckLengths(a, b);
        var i = 0;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && a.Length >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= a.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                acc += Vector512.Abs(Vector512.Create(a[i..]) - Vector512.Create(b[i..]));
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                acc += Vector256.Abs(Vector256.Create(a[i..]) - Vector256.Create(b[i..]));
            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && a.Length >= Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= a.Length - Vector128<float>.Count; i += Vector128<float>.Count)
                acc += Vector128.Abs(Vector128.Create(a[i..]) - Vector128.Create(b[i..]));
            sum = Vector128.Sum(acc);
        }
        for (; i < a.Length; i++) sum += MathF.Abs(a[i] - b[i]);
        return sum;
    }

    /// <summary>The manifest metric's score: cosine similarity, or Euclidean / Manhattan distance.</summary>
    public static float Score(Metric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => metric switch
    {
        Metric.Cosine => Cosine(a, b),
        Metric.Euclidean => Euclidean(a, b),
        _ => Manhattan(a, b),
    };

    /// <summary>Scales <paramref name="v"/> to unit L2 norm in place (left as is when it is all zeros).</summary>
    public static void Normalize(Span<float> v)
    {
        var (_, n, _) = DotAndNorms(v, v);
        if (n <= 0f) return;
        var inv = 1f / MathF.Sqrt(n);
        for (var i = 0; i < v.Length; i++) v[i] *= inv;
    }

    /// <summary>Accepts or rejects <paramref name="score"/> against <paramref name="threshold"/> on <paramref name="metric"/> (cosine: ≥, distances: ≤).</summary>
    public static VerificationDecision Decide(double score, double threshold, Metric metric) =>
        new(score, threshold, metric, metric == Metric.Cosine ? score >= threshold : score <= threshold);

    /// <summary>Decides with <paramref name="threshold"/> if given, else the manifest's calibrated "default" threshold.</summary>
    public static VerificationDecision Decide(double score, ModelManifest manifest, double? threshold = null) =>
        Decide(score, threshold ?? manifest.DefaultThreshold.Value, manifest.Metric);

    private static (float Dot, float NormA, float NormB) DotAndNorms(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckLengths(a, b);
        var i = 0;
        float dot = 0f, na = 0f, nb = 0f;
        if (Vector512.IsHardwareAccelerated && a.Length >= Vector512<float>.Count)
        {
            Vector512<float> d = default, x = default, y = default;
            for (; i <= a.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var va = Vector512.Create(a[i..]); var vb = Vector512.Create(b[i..]);
                d += va * vb; x += va * va; y += vb * vb;
            }
            (dot, na, nb) = (Vector512.Sum(d), Vector512.Sum(x), Vector512.Sum(y));
        }
        else if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count)
        {
            Vector256<float> d = default, x = default, y = default;
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var va = Vector256.Create(a[i..]); var vb = Vector256.Create(b[i..]);
                d += va * vb; x += va * va; y += vb * vb;
            }
            (dot, na, nb) = (Vector256.Sum(d), Vector256.Sum(x), Vector256.Sum(y));
        }
        else if (Vector128.IsHardwareAccelerated && a.Length >= Vector128<float>.Count)
        {
            Vector128<float> d = default, x = default, y = default;
            for (; i <= a.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var va = Vector128.Create(a[i..]); var vb = Vector128.Create(b[i..]);
                d += va * vb; x += va * va; y += vb * vb;
            }
            (dot, na, nb) = (Vector128.Sum(d), Vector128.Sum(x), Vector128.Sum(y));
        }
        for (; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return (dot, na, nb);
    }

    private static void CheckLengths(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"embedding lengths differ: {a.Length} vs {b.Length}");
    }
}
