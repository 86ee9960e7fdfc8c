using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The register-blocked core of the packed GEMM: an <see cref="Rows{TOps, TV}"/>×(2·width) tile of C held in vector
/// registers while it streams a packed A micro-panel (kc×rows) and a packed B micro-panel (kc×2·width).
/// 6 rows (12 accumulators) hide the FMA latency and still fit the 16 registers of AVX2/SSE; AVX-512's 32 registers
/// take 8 rows (16 accumulators), which loads B less often per multiply-add and tiles the power-of-two channel
/// counts of convolutions (64 rows were 10⅔ six-row panels) without a partial panel. Every C element still sums
/// its k terms in the same order, so the result does not depend on the tile height.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of A per micro-panel on the path of <typeparamref name="TOps"/>; divides <see cref="GemmDriver.MC"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rows<TOps, TV>() where TOps : struct, ISimdOps<TV> where TV : struct => TOps.Width == 16 ? 8 : 6;

    /// <summary>C[0..mr, 0..nr] (+)= Apanel·Bpanel. Partial tiles go through <paramref name="edge"/> (rows·NR floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TOps, TV>(int kc, float* a, float* b, float* c, int ldc, int mr, int nr, bool accumulate, float* edge)
        where TOps : struct, ISimdOps<TV> where TV : struct
    {
        if (TOps.Width == 16) RunEight<TOps, TV>(kc, a, b, c, ldc, mr, nr, accumulate, edge);
        else RunSix<TOps, TV>(kc, a, b, c, ldc, mr, nr, accumulate, edge);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunEight<TOps, TV>(int kc, float* a, float* b, float* c, int ldc, int mr, int nr, bool accumulate, float* edge)
        where TOps : struct, ISimdOps<TV> where TV : struct
    {
        const int rows = 8;
        var w = TOps.Width;
        TV c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TV c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        TV c60 = TOps.Zero, c61 = TOps.Zero, c70 = TOps.Zero, c71 = TOps.Zero;
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
            av = TOps.Splat(a[6]);
            c60 = TOps.MulAdd(av, b0, c60); c61 = TOps.MulAdd(av, b1, c61);
            av = TOps.Splat(a[7]);
            c70 = TOps.MulAdd(av, b0, c70); c71 = TOps.MulAdd(av, b1, c71);
            a += rows;
            b += 2 * w;
        }

        var full = mr == rows && nr == 2 * w;
        var dst = full ? c : edge;
        var ld = full ? ldc : 2 * w;
        var add = accumulate && full;
        StoreRow<TOps, TV>(dst, w, c00, c01, add);
        StoreRow<TOps, TV>(dst + ld, w, c10, c11, add);
        StoreRow<TOps, TV>(dst + 2 * ld, w, c20, c21, add);
        StoreRow<TOps, TV>(dst + 3 * ld, w, c30, c31, add);
        StoreRow<TOps, TV>(dst + 4 * ld, w, c40, c41, add);
        StoreRow<TOps, TV>(dst + 5 * ld, w, c50, c51, add);
        StoreRow<TOps, TV>(dst + 6 * ld, w, c60, c61, add);
        StoreRow<TOps, TV>(dst + 7 * ld, w, c70, c71, add);
        if (!full) CopyEdge(edge, ld, c, ldc, mr, nr, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSix<TOps, TV>(int kc, float* a, float* b, float* c, int ldc, int mr, int nr, bool accumulate, float* edge)
        where TOps : struct, ISimdOps<TV> where TV : struct
    {
        const int rows = 6;
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
            a += rows;
            b += 2 * w;
        }

        var full = mr == rows && nr == 2 * w;
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
