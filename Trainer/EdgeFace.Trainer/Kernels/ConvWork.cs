namespace EdgeFace.Trainer.Kernels;

/// <summary>One convolution pass spread over the pool by image×group (or plane / channel for depthwise, through
/// <see cref="KernelParallelChunks"/>). Cached per thread and path so calls allocate nothing.</summary>
internal sealed unsafe class ConvWork<TOps, TV> : IParallelWork
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    [ThreadStatic] private static ConvWork<TOps, TV>? _cached;

    private ConvMode _mode;
    private bool _depthwise;
    private ConvShape _shape;
    private float* _x, _y, _z, _result;

    /// <summary>Runs <paramref name="items"/> tasks; x, y, z are the pass's inputs in entry-point order, result its output.</summary>
    public static void Run(ConvMode mode, in ConvShape s, float* x, float* y, float* z, float* result, int items, bool depthwise = false)
    {
        var work = _cached ??= new ConvWork<TOps, TV>();
        work._mode = mode;
        work._depthwise = depthwise;
        work._shape = s;
        work._x = x; work._y = y; work._z = z; work._result = result;
        try
        {
            // Dense images are big tasks: one each balances best. Depthwise planes are tiny: a few runs per thread.
            if (depthwise) KernelParallelChunks.For(items, work);
            else KernelParallel.For(items, work);
        }
        finally
        {
            work._x = work._y = work._z = work._result = null;
        }
    }

    public void Execute(int item)
    {
        if (_depthwise) DepthwiseConv<TOps, TV>.Item(_mode, _shape, _x, _y, _z, _result, item);
        else ImplicitGemmConv<TOps, TV>.Item(_mode, _shape, _x, _y, _z, _result, item, parallel: false);
    }
}
