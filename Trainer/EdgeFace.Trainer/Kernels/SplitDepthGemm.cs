using System.Runtime.InteropServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// C (+)= A·Bᵀ over the pool by slicing the shared k dimension: task 0 writes (or accumulates) straight into C, every other task
/// into its own partial buffer, which are added to C afterwards (split over the pool by rows of C). For the weight gradient, whose k runs over every
/// pixel of the batch while C (the weights) is small: cutting C into tiles instead makes every thread pack the whole
/// of one operand, and for thin layers that packing (a transposing gather) is most of the work.
/// The sum's order depends on the thread count, not on scheduling. Cached per thread and instantiation; partial
/// buffers are pinned and kept, so warm calls allocate nothing.
/// </summary>
internal sealed unsafe class SplitDepthGemm<TOps, TV, TA, TB> : IParallelWork
    where TOps : struct, ISimdOps<TV> where TV : struct
    where TA : struct, IPanelSource where TB : struct, IPanelSource
{
    [ThreadStatic] private static SplitDepthGemm<TOps, TV, TA, TB>? _cached;

    private readonly List<float[]> _partials = [];
    private TA _a;
    private TB _b;
    private int _m, _n, _k, _ldc, _tasks;
    private float* _c;
    private bool _accumulate, _reducing;

    public static void Run(in TA a, in TB b, int m, int n, int k, float* c, int ldc, bool accumulate = true)
    {
        var threads = KernelThreads.Count;
        // Slicing k costs adding every extra slice's m×n partial into C; cutting C into tiles instead costs every
        // thread packing the whole of the thinner operand (min(m, n)×k). Deep layers (ResNet's 4×4 and 7×7 planes)
        // have a short k and a large C, so their tiles are the cheaper split.
        if (threads <= 1 || KernelParallel.IsInsideTask || (long)m * n * k < GemmDriver.ParallelThreshold || k < 2 * GemmDriver.KC
            || 2L * Math.Max(m, n) >= k)
        {
            GemmDriver.Run<TOps, TV, TA, TB>(a, b, m, n, k, c, ldc, accumulate);
            return;
        }
        var work = _cached ??= new SplitDepthGemm<TOps, TV, TA, TB>();
        (work._a, work._b, work._m, work._n, work._k, work._ldc) = (a, b, m, n, k, ldc);
        work._c = c;
        work._accumulate = accumulate;
        work._reducing = false;
        work._tasks = Math.Min(threads, k / GemmDriver.KC);
        while (work._partials.Count < work._tasks - 1) work._partials.Add([]);
        try
        {
            KernelParallel.For(work._tasks, work);
            work._reducing = true;
            KernelParallel.For(work._tasks, work);
        }
        finally
        {
            (work._a, work._b) = (default, default);
            work._reducing = false;
            work._c = null;
        }
    }

    public void Execute(int task)
    {
        if (_reducing)
        {
            AddPartials(task);
            return;
        }
        // Slices in whole KC blocks, so every slice packs full-depth panels.
        var blocks = (_k + GemmDriver.KC - 1) / GemmDriver.KC;
        var p0 = (int)((long)blocks * task / _tasks) * GemmDriver.KC;
        var p1 = Math.Min(_k, (int)((long)blocks * (task + 1) / _tasks) * GemmDriver.KC);
        var a = new OffsetPanelSource<TA>(_a, 0, p0);
        var b = new OffsetPanelSource<TB>(_b, 0, p0);
        if (task == 0)
        {
            GemmDriver.RunBlock<TOps, TV, OffsetPanelSource<TA>, OffsetPanelSource<TB>>(a, b, 0, _m, 0, _n, p1 - p0, _c, _ldc, _accumulate);
            return;
        }
        GemmDriver.RunBlock<TOps, TV, OffsetPanelSource<TA>, OffsetPanelSource<TB>>(a, b, 0, _m, 0, _n, p1 - p0, Partial(task), _n, accumulate: false);
    }

    private float* Partial(int task)
    {
        var length = _m * _n;
        var buffer = _partials[task - 1];
        if (buffer.Length < length) _partials[task - 1] = buffer = GC.AllocateUninitializedArray<float>(length, pinned: true);
        return (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }

    /// <summary>Adds every partial into one row range of C, in task order (so the sum's order is fixed).</summary>
    private void AddPartials(int task)
    {
        int from = (int)((long)_m * task / _tasks), to = (int)((long)_m * (task + 1) / _tasks);
        for (var t = 1; t < _tasks; t++)
        {
            var partial = Partial(t);
            for (var i = from; i < to; i++) VectorKernels<TOps, TV>.AddInto(_c + (long)i * _ldc, partial + (long)i * _n, _n);
        }
    }
}
