using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeFace.Enrollment.Search;

/// <summary>
/// Int8 scan: rows are symmetric int8 codes (code = round(x / scale), scale = max|x| / 127 per row), padded
/// with zeros to a multiple of 64 bytes; the query is the same kind of code widened to int16. The approximate
/// score is (codes · query codes) x row scale; integer dot products never overflow (127² x 2 per pair).
/// AVX-512BW and AVX2 use sign-extend + multiply-add-adjacent (vpmovsxbw + vpmaddwd); other hardware a
/// portable Vector128 widening path; a scalar twin backs them all. Reads 4x fewer bytes than float32.
/// </summary>
internal static unsafe class Int8Kernels
{
    public const int StrideMultiple = 64;

    public static string Path =>
        Vector512.IsHardwareAccelerated && Avx512BW.IsSupported ? "avx512bw" : Avx2.IsSupported ? "avx2" : Vector128.IsHardwareAccelerated ? "vector128" : "scalar";

    /// <summary>Quantises <paramref name="v"/> into <paramref name="codes"/> (length ≥ v.Length, the rest zeroed) and returns the scale.</summary>
    public static float Quantise(ReadOnlySpan<float> v, Span<sbyte> codes)
    {
        var max = 0f;
        foreach (var x in v) max = MathF.Max(max, MathF.Abs(x));
        codes.Clear();
        if (max == 0) return 0;
        var scale = max / 127f;
        var inv = 1f / scale;
        for (var i = 0; i < v.Length; i++) codes[i] = (sbyte)Math.Clamp(MathF.Round(v[i] * inv), -127, 127);
        return scale;
    }

    public static void Scan(sbyte* codes, float* scales, int first, int end, int stride, short* query, TopK top)
    {
        if (Vector512.IsHardwareAccelerated && Avx512BW.IsSupported) Scan512(codes, scales, first, end, stride, query, top);
        else if (Avx2.IsSupported) Scan256(codes, scales, first, end, stride, query, top);
        else if (Vector128.IsHardwareAccelerated) Scan128(codes, scales, first, end, stride, query, top);
        else ScanScalar(codes, scales, first, end, stride, query, top);
    }

    private static void Scan512(sbyte* codes, float* scales, int first, int end, int stride, short* query, TopK top)
    {
        var threshold = top.Threshold;
        var i = first;
        for (; i + 4 <= end; i += 4)
        {
            var r0 = codes + (long)i * stride;
            var r1 = r0 + stride;
            var r2 = r1 + stride;
            var r3 = r2 + stride;
            Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
            for (var j = 0; j < stride; j += 32)
            {
                var q = Vector512.Load(query + j);
                a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Load(r0 + j)), q);
                a1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Load(r1 + j)), q);
                a2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Load(r2 + j)), q);
                a3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.Load(r3 + j)), q);
            }
            Offer(top, i, Vector512.Sum(a0) * scales[i], ref threshold);
            Offer(top, i + 1, Vector512.Sum(a1) * scales[i + 1], ref threshold);
            Offer(top, i + 2, Vector512.Sum(a2) * scales[i + 2], ref threshold);
            Offer(top, i + 3, Vector512.Sum(a3) * scales[i + 3], ref threshold);
        }
        ScanScalar(codes, scales, i, end, stride, query, top);
    }

    private static void Scan256(sbyte* codes, float* scales, int first, int end, int stride, short* query, TopK top)
    {
        var threshold = top.Threshold;
        var i = first;
        for (; i + 2 <= end; i += 2)
        {
            var r0 = codes + (long)i * stride;
            var r1 = r0 + stride;
            Vector256<int> a0 = default, a1 = default;
            for (var j = 0; j < stride; j += 16)
            {
                var q = Vector256.Load(query + j);
                a0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(r0 + j)), q);
                a1 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(r1 + j)), q);
            }
            Offer(top, i, Vector256.Sum(a0) * scales[i], ref threshold);
            Offer(top, i + 1, Vector256.Sum(a1) * scales[i + 1], ref threshold);
        }
        ScanScalar(codes, scales, i, end, stride, query, top);
    }

    private static void Scan128(sbyte* codes, float* scales, int first, int end, int stride, short* query, TopK top)
    {
        var threshold = top.Threshold;
        for (var i = first; i < end; i++)
        {
            var r = codes + (long)i * stride;
            Vector128<int> a = default;
            for (var j = 0; j < stride; j += 16)
            {
                var c = Vector128.Load(r + j);
                // |code x code| <= 16129 fits int16; widen the products to int32 before adding pairs.
                var lo = Vector128.WidenLower(c) * Vector128.Load(query + j);
                var hi = Vector128.WidenUpper(c) * Vector128.Load(query + j + 8);
                a += Vector128.WidenLower(lo) + Vector128.WidenUpper(lo) + Vector128.WidenLower(hi) + Vector128.WidenUpper(hi);
            }
            Offer(top, i, Vector128.Sum(a) * scales[i], ref threshold);
        }
    }

    internal static void ScanScalar(sbyte* codes, float* scales, int first, int end, int stride, short* query, TopK top)
    {
        var threshold = top.Threshold;
        for (var i = first; i < end; i++)
        {
            var r = codes + (long)i * stride;
            var s = 0;
            for (var j = 0; j < stride; j++) s += r[j] * query[j];
            Offer(top, i, s * scales[i], ref threshold);
        }
    }

    private static void Offer(TopK top, int i, float s, ref float threshold)
    {
        if (s > threshold) { top.Offer(i, s); threshold = top.Threshold; }
    }
}
