using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The register-blocked core of the packed GEMM: a <see cref="MR"/>×(2·width) tile of C held in 12 vector
/// registers while it streams a packed A micro-panel (kc×MR) and a packed B micro-panel (kc×2·width).
/// 12 accumulators hide the FMA latency on every path and still fit the 16 registers of AVX2/SSE.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    public const int MR = 6;

    /// <summary>C[0..mr, 0..nr] (+)= Apanel·Bpanel. Partial tiles go through <paramref name="edge"/> (MR·NR floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOps, TV>(int kc, float* a, float* b, float* c, int ldc, int mr, int nr, bool accumulate, float* edge)
        where TOps : struct, ISimdOps<TV> where TV : struct
    {
        var w = TOps.Width;
        TV c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TV c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        for (var p = 0; p < kc; p++)
        {
            var b0 = TOps.Load(b);
            var b1 = TOps.Load(b + w);
            var av = TOps.Splat(a[0]);
            c00 = TOps.MulAdd(av, b0, c00); c01 = TOps.MulAdd(av, b1, c01);
            av = TOps.Splat(a[1]);
            c10 = TOps.MulAdd(av, b0, c10); c11 = TOps.MulAdd(av, b1, c11);
            av = TOps.Splat(a[2]);
            c20 = TOps.MulAdd(av, b0, c20); c21 = TOps.MulAdd(av, b1, c21);
            av = TOps.Splat(a[3]);
            c30 = TOps.MulAdd(av, b0, c30); c31 = TOps.MulAdd(av, b1, c31);
            av = TOps.Splat(a[4]);
            c40 = TOps.MulAdd(av, b0, c40); c41 = TOps.MulAdd(av, b1, c41);
            av = TOps.Splat(a[5]);
            c50 = TOps.MulAdd(av, b0, c50); c51 = TOps.MulAdd(av, b1, c51);
            a += MR;
            b += 2 * w;
        }

        var full = mr == MR && nr == 2 * w;
        var dst = full ? c : edge;
        var ld = full ? ldc : 2 * w;
        var add = accumulate && full;
        StoreRow<TOps, TV>(dst, w, c00, c01, add);
        StoreRow<TOps, TV>(dst + ld, w, c10, c11, add);
        StoreRow<TOps, TV>(dst + 2 * ld, w, c20, c21, add);
        StoreRow<TOps, TV>(dst + 3 * ld, w, c30, c31, add);
        StoreRow<TOps, TV>(dst + 4 * ld, w, c40, c41, add);
        StoreRow<TOps, TV>(dst + 5 * ld, w, c50, c51, add);
        if (!full) CopyEdge(edge, ld, c, ldc, mr, nr, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TOps, TV>(float* row, int w, TV v0, TV v1, bool add)
        where TOps : struct, ISimdOps<TV> where TV : struct
    {
        if (add)
        {
            v0 = TOps.Add(v0, TOps.Load(row));
            v1 = TOps.Add(v1, TOps.Load(row + w));
        }
        TOps.Store(row, v0);
        TOps.Store(row + w, v1);
    }

    private static void CopyEdge(float* edge, int ldEdge, float* c, int ldc, int mr, int nr, bool accumulate)
    {
        for (var i = 0; i < mr; i++)
        {
            var src = edge + i * ldEdge;
            var dst = c + i * ldc;
            if (accumulate) for (var j = 0; j < nr; j++) dst[j] += src[j];
            else for (var j = 0; j < nr; j++) dst[j] = src[j];
        }
    }
}
