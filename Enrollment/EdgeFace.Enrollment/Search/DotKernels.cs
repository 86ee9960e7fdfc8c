using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeFace.Enrollment.Search;

/// <summary>
/// Exact float32 scan: the dot product of a query with every row of a contiguous matrix, feeding a top-k.
/// Rows are padded with zeros to a multiple of 16 floats, so every vector width divides the stride and no
/// tail loop is needed. The widest accelerated vector width is chosen at run time (AVX-512, AVX2/NEON-128,
/// scalar), so DOTNET_EnableAVX512=0 or DOTNET_EnableAVX2=0 select the narrower paths. Four rows share each
/// query load; a 1M x 128 scan is bound by memory bandwidth, not arithmetic.
/// </summary>
internal static unsafe class DotKernels
{
    public const int StrideMultiple = 16;

    public static string Path =>
        Vector512.IsHardwareAccelerated ? "avx512" : Vector256.IsHardwareAccelerated ? "vector256" : Vector128.IsHardwareAccelerated ? "vector128" : "scalar";

    /// <summary>Offers rows [first, end) to <paramref name="top"/> with their dot product against <paramref name="query"/> (row numbers as given).</summary>
    public static void Scan(float* rows, int first, int end, int stride, float* query, TopK top)
    {
        if (Vector512.IsHardwareAccelerated) Scan512(rows, first, end, stride, query, top);
        else if (Vector256.IsHardwareAccelerated) Scan256(rows, first, end, stride, query, top);
        else if (Vector128.IsHardwareAccelerated) Scan128(rows, first, end, stride, query, top);
        else ScanScalar(rows, first, end, stride, query, top);
    }

    /// <summary>One dot product (re-ranking a short list): the Runtime's shared similarity kernel.</summary>
    public static float Dot(float* a, float* b, int length) =>
        EdgeFace.Runtime.Matching.Similarity.Dot(new ReadOnlySpan<float>(a, length), new ReadOnlySpan<float>(b, length));

    private static void Scan512(float* rows, int first, int end, int stride, float* query, TopK top)
    {
        var threshold = top.Threshold;
        var i = first;
        for (; i + 4 <= end; i += 4)
        {
            var r0 = rows + (long)i * stride;
            var r1 = r0 + stride;
            var r2 = r1 + stride;
            var r3 = r2 + stride;
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (var j = 0; j < stride; j += 16)
            {
                var q = Vector512.Load(query + j);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(r0 + j), q, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Load(r1 + j), q, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Load(r2 + j), q, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Load(r3 + j), q, a3);
            }
            if (Avx.IsSupported)
            {
                // One reduction for four rows, one compare: most rows are rejected without leaving registers.
                var sums = Reduce4(a0, a1, a2, a3);
                if (Vector128.GreaterThanAny(sums, Vector128.Create(threshold)))
                    Offer4(top, i, sums.GetElement(0), sums.GetElement(1), sums.GetElement(2), sums.GetElement(3), ref threshold);
            }
            else Offer4(top, i, Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3), ref threshold);
        }
        for (; i < end; i++)
        {
            var r = rows + (long)i * stride;
            Vector512<float> a = default;
            for (var j = 0; j < stride; j += 16) a = Vector512.FusedMultiplyAdd(Vector512.Load(r + j), Vector512.Load(query + j), a);
            Offer1(top, i, Vector512.Sum(a), ref threshold);
        }
    }

    private static void Scan256(float* rows, int first, int end, int stride, float* query, TopK top)
    {
        var threshold = top.Threshold;
        var fma = Fma.IsSupported;
        var i = first;
        for (; i + 4 <= end; i += 4)
        {
            var r0 = rows + (long)i * stride;
            var r1 = r0 + stride;
            var r2 = r1 + stride;
            var r3 = r2 + stride;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (var j = 0; j < stride; j += 8)
            {
                var q = Vector256.Load(query + j);
                if (fma)
                {
                    a0 = Fma.MultiplyAdd(Vector256.Load(r0 + j), q, a0);
                    a1 = Fma.MultiplyAdd(Vector256.Load(r1 + j), q, a1);
                    a2 = Fma.MultiplyAdd(Vector256.Load(r2 + j), q, a2);
                    a3 = Fma.MultiplyAdd(Vector256.Load(r3 + j), q, a3);
                }
                else
                {
                    a0 += Vector256.Load(r0 + j) * q;
                    a1 += Vector256.Load(r1 + j) * q;
                    a2 += Vector256.Load(r2 + j) * q;
                    a3 += Vector256.Load(r3 + j) * q;
                }
            }
            Offer4(top, i, Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3), ref threshold);
        }
        for (; i < end; i++)
        {
            var r = rows + (long)i * stride;
            Vector256<float> a = default;
            for (var j = 0; j < stride; j += 8) a += Vector256.Load(r + j) * Vector256.Load(query + j);
            Offer1(top, i, Vector256.Sum(a), ref threshold);
        }
    }

    private static void Scan128(float* rows, int first, int end, int stride, float* query, TopK top)
    {
        var threshold = top.Threshold;
        var neon = AdvSimd.IsSupported;
        var i = first;
        for (; i + 4 <= end; i += 4)
        {
            var r0 = rows + (long)i * stride;
            var r1 = r0 + stride;
            var r2 = r1 + stride;
            var r3 = r2 + stride;
            Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (var j = 0; j < stride; j += 4)
            {
                var q = Vector128.Load(query + j);
                if (neon)
                {
                    a0 = AdvSimd.FusedMultiplyAdd(a0, Vector128.Load(r0 + j), q);
                    a1 = AdvSimd.FusedMultiplyAdd(a1, Vector128.Load(r1 + j), q);
                    a2 = AdvSimd.FusedMultiplyAdd(a2, Vector128.Load(r2 + j), q);
                    a3 = AdvSimd.FusedMultiplyAdd(a3, Vector128.Load(r3 + j), q);
                }
                else
                {
                    a0 += Vector128.Load(r0 + j) * q;
                    a1 += Vector128.Load(r1 + j) * q;
                    a2 += Vector128.Load(r2 + j) * q;
                    a3 += Vector128.Load(r3 + j) * q;
                }
            }
            Offer4(top, i, Vector128.Sum(a0), Vector128.Sum(a1), Vector128.Sum(a2), Vector128.Sum(a3), ref threshold);
        }
        for (; i < end; i++)
        {
            var r = rows + (long)i * stride;
            Vector128<float> a = default;
            for (var j = 0; j < stride; j += 4) a += Vector128.Load(r + j) * Vector128.Load(query + j);
            Offer1(top, i, Vector128.Sum(a), ref threshold);
        }
    }

    internal static void ScanScalar(float* rows, int first, int end, int stride, float* query, TopK top)
    {
        var threshold = top.Threshold;
        for (var i = first; i < end; i++)
        {
            var r = rows + (long)i * stride;
            var s = 0f;
            for (var j = 0; j < stride; j++) s += r[j] * query[j];
            Offer1(top, i, s, ref threshold);
        }
    }

    /// <summary>The four horizontal sums [Σa0, Σa1, Σa2, Σa3] with three horizontal adds instead of four full reductions.</summary>
    internal static Vector128<float> Reduce4(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        var h01 = Avx.HorizontalAdd(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper());
        var h23 = Avx.HorizontalAdd(a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper());
        var h = Avx.HorizontalAdd(h01, h23);
        return h.GetLower() + h.GetUpper();
    }

    private static void Offer4(TopK top, int i, float s0, float s1, float s2, float s3, ref float threshold)
    {
        if (s0 > threshold) { top.Offer(i, s0); threshold = top.Threshold; }
        if (s1 > threshold) { top.Offer(i + 1, s1); threshold = top.Threshold; }
        if (s2 > threshold) { top.Offer(i + 2, s2); threshold = top.Threshold; }
        if (s3 > threshold) { top.Offer(i + 3, s3); threshold = top.Threshold; }
    }

    private static void Offer1(TopK top, int i, float s, ref float threshold)
    {
        if (s > threshold) { top.Offer(i, s); threshold = top.Threshold; }
    }
}
