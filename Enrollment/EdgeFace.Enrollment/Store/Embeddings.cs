using System.Runtime.InteropServices;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Store;

/// <summary>Embedding helpers shared by the stores: byte encoding, normalisation, aggregates.</summary>
public static class Embeddings
{
    /// <summary>Little-endian float32 bytes (the on-disk form, before encryption).</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> v)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        return MemoryMarshal.AsBytes(v).ToArray();
    }

    public static float[] FromBytes(ReadOnlySpan<byte> bytes, string origin)
    {
        if (bytes.Length % 4 != 0) throw new EdgeFaceException($"{origin}: embedding has {bytes.Length} bytes, not a multiple of 4");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>Scales <paramref name="v"/> to unit L2 norm in place (a zero vector stays zero).</summary>
    public static void Normalise(Span<float> v)
    {
        var sum = 0.0;
        foreach (var x in v) sum += x * (double)x;
        if (sum == 0) return;
        var scale = (float)(1 / Math.Sqrt(sum));
        for (var i = 0; i < v.Length; i++) v[i] *= scale;
    }

    /// <summary>The aggregate template: mean of the L2-normalised samples, normalised again.</summary>
    public static float[] NormalisedMean(IEnumerable<float[]> samples)
    {
        float[]? sum = null;
        var scratch = Array.Empty<float>();
        foreach (var s in samples)
        {
            if (sum is null) { sum = new float[s.Length]; scratch = new float[s.Length]; }
            if (s.Length != sum.Length) throw new EdgeFaceException($"embeddings differ in length ({s.Length} vs {sum.Length})");
            s.CopyTo(scratch, 0);
            Normalise(scratch);
            for (var i = 0; i < sum.Length; i++) sum[i] += scratch[i];
        }
        if (sum is null) throw new ArgumentException("no samples", nameof(samples));
        Normalise(sum);
        return sum;
    }

    /// <summary>Cosine similarity of two embeddings of any norm.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new EdgeFaceException($"embeddings differ in length ({a.Length} vs {b.Length})");
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += a[i] * (double)b[i]; na += a[i] * (double)a[i]; nb += b[i] * (double)b[i]; }
        return na == 0 || nb == 0 ? 0f : (float)(dot / Math.Sqrt(na * nb));
    }
}
