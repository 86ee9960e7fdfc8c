using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The blocked loops of the packed GEMM (Goto/BLIS order): for each NC-wide column block and KC-deep slice, B is
/// packed once into per-thread scratch and reused for every MC-high row block of A; the micro-kernel then sweeps
/// NR-wide B micro-panels (kept in L1) against MR-high A micro-panels (streamed from L2).
/// Operands come through <see cref="IPanelSource"/>s, so the same loops serve plain GEMM and implicit-GEMM convolution.
/// </summary>
internal static unsafe class GemmDriver
{
    public const int KC = 256;
    /// <summary>Rows of A per packed block: a multiple of every path's micro-panel height (6 and 8).</summary>
    public const int MC = 96;
    public const int NC = 2048;

    /// <summary>Below this many multiply-adds (≈ 5 µs of work) waking another thread costs more than it saves.</summary>
    public const long ParallelThreshold = 1L << 19;

    /// <summary>
    /// C[i, j] for i in [i0, i0+m), j in [j0, j0+n) (+)= Σp A(i, p)·B(j, p) on the calling thread.
    /// <paramref name="c"/> points at C[0, 0].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunBlock<TOps, TV, TA, TB>(in TA a, in TB b, int i0, int m, int j0, int n, int k, float* c, int ldc, bool accumulate)
        where TOps : struct, ISimdOps<TV> where TV : struct
        where TA : struct, IPanelSource where TB : struct, IPanelSource
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            if (!accumulate)
                for (var i = 0; i < m; i++) new Span<float>(c + (long)(i0 + i) * ldc + j0, n).Clear();
            return;
        }
        var nr = 2 * TOps.Width;
        var mr = GemmMicroKernel.Rows<TOps, TV>();
        var scratch = KernelScratch.Current;
        var packA = scratch.PackA(MC * KC);
        var packB = scratch.PackB(KC * NC);
        var edge = scratch.Edge(mr * nr);
        for (var jc = j0; jc < j0 + n; jc += NC)
        {
            var nc = Math.Min(NC, j0 + n - jc);
            for (var pc = 0; pc < k; pc += KC)
            {
                var kc = Math.Min(KC, k - pc);
                var add = accumulate || pc > 0;
                b.Pack(packB, jc, nc, pc, kc, nr);
                for (var ic = i0; ic < i0 + m; ic += MC)
                {
                    var mc = Math.Min(MC, i0 + m - ic);
                    a.Pack(packA, ic, mc, pc, kc, mr);
                    for (var jr = 0; jr < nc; jr += nr)
                    {
                        var nrHere = Math.Min(nr, nc - jr);
                        var bPanel = packB + jr * kc;
                        var cColumn = c + jc + jr;
                        for (var ir = 0; ir < mc; ir += mr)
                        {
                            GemmMicroKernel.Run<TOps, TV>(kc, packA + ir * kc, bPanel, cColumn + (long)(ic + ir) * ldc, ldc,
                                Math.Min(mr, mc - ir), nrHere, add, edge);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The whole m×n product, split over <see cref="KernelThreads.Count"/> threads by disjoint output tiles.
    /// Every tile runs the same k blocking, so the result does not depend on the thread count.</summary>
    public static void Run<TOps, TV, TA, TB>(in TA a, in TB b, int m, int n, int k, float* c, int ldc, bool accumulate)
        where TOps : struct, ISimdOps<TV> where TV : struct
        where TA : struct, IPanelSource where TB : struct, IPanelSource
    {
        var threads = KernelThreads.Count;
        if (threads <= 1 || KernelParallel.IsInsideTask || (long)m * n * k < ParallelThreshold)
        {
            RunBlock<TOps, TV, TA, TB>(a, b, 0, m, 0, n, k, c, ldc, accumulate);
            return;
        }
        var work = GemmWork<TOps, TV, TA, TB>.Cached;
        work.Set(a, b, m, n, k, c, ldc, accumulate, threads, GemmMicroKernel.Rows<TOps, TV>(), 2 * TOps.Width);
        try
        {
            KernelParallel.For(work.TaskCount, work);
        }
        finally
        {
            work.Clear();
        }
    }
}

/// <summary>One GEMM cut into a grid of output tiles; cached per thread and generic instantiation so calls allocate nothing.</summary>
internal sealed unsafe class GemmWork<TOps, TV, TA, TB> : IParallelWork
    where TOps : struct, ISimdOps<TV> where TV : struct
    where TA : struct, IPanelSource where TB : struct, IPanelSource
{
    [ThreadStatic] private static GemmWork<TOps, TV, TA, TB>? _cached;
    public static GemmWork<TOps, TV, TA, TB> Cached => _cached ??= new();

    private TA _a;
    private TB _b;
    private int _m, _n, _k, _ldc, _rowsPerTile, _colsPerTile, _tilesN;
    private float* _c;
    private bool _accumulate;

    public int TaskCount { get; private set; }

    public void Set(in TA a, in TB b, int m, int n, int k, float* c, int ldc, bool accumulate, int threads, int mr, int nr)
    {
        (_a, _b, _m, _n, _k, _ldc, _accumulate) = (a, b, m, n, k, ldc, accumulate);
        _c = c;
        int panelsM = (m + mr - 1) / mr, panelsN = (n + nr - 1) / nr;
        // Each tile re-packs the whole of the operand along the side that is not cut, so cut the side whose other
        // operand is smaller: compare element counts (m rows of A vs n columns of B), not panel counts (MR ≠ NR).
        int tilesM, tilesN;
        if (n >= m)
        {
            tilesN = Math.Min(threads, panelsN);
            tilesM = Math.Clamp(threads / tilesN, 1, panelsM);
        }
        else
        {
            tilesM = Math.Min(threads, panelsM);
            tilesN = Math.Clamp(threads / tilesM, 1, panelsN);
        }
        _rowsPerTile = (panelsM + tilesM - 1) / tilesM * mr;
        _colsPerTile = (panelsN + tilesN - 1) / tilesN * nr;
        _tilesN = (n + _colsPerTile - 1) / _colsPerTile;
        TaskCount = (m + _rowsPerTile - 1) / _rowsPerTile * _tilesN;
    }

    public void Clear()
    {
        (_a, _b) = (default, default);
        _c = null;
    }

    public void Execute(int task)
    {
        var i0 = task / _tilesN * _rowsPerTile;
        var j0 = task % _tilesN * _colsPerTile;
        GemmDriver.RunBlock<TOps, TV, TA, TB>(_a, _b, i0, Math.Min(_rowsPerTile, _m - i0), j0, Math.Min(_colsPerTile, _n - j0), _k, _c, _ldc, _accumulate);
    }
}
