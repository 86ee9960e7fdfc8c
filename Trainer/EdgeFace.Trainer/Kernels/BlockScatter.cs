namespace EdgeFace.Trainer.Kernels;

/// <summary>How a [channels, columns] block goes back into an NCHW tensor.</summary>
internal enum BlockScatterMode { Copy, Add, Col2Im }

/// <summary>
/// Writes a GEMM's [channels, columns] block (columns j = n·plane + pixel over the batch) back into an NCHW tensor,
/// split over the pool by channel range so no two threads touch one plane. Cached per thread; calls allocate nothing.
/// </summary>
internal sealed unsafe class BlockScatter<TOps, TV> : IParallelWork
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    [ThreadStatic] private static BlockScatter<TOps, TV>? _cached;

    /// <summary>Below this many floats per call, waking the pool costs more than the copy.</summary>
    private const long ParallelThreshold = 1 << 15;

    private BlockScatterMode _mode;
    private bool _clearFirst;
    private ConvShape _shape;
    private float* _block, _tensor;
    private int _channels, _width, _j0, _tensorChannels, _plane, _perTask;

    /// <param name="tensor">Channel 0 (of the group) in image 0.</param>
    /// <param name="channels">Channels in the block; for <see cref="BlockScatterMode.Col2Im"/> the block has channels·taps rows.</param>
    /// <param name="clearFirst">Zero the tensor planes of every image whose first column is in this block before
    /// adding (a scatter that overwrites, over blocks run in column order).</param>
    public static void Run(BlockScatterMode mode, in ConvShape s, float* block, int channels, int width, int j0, float* tensor, int tensorChannels, int plane,
        bool clearFirst = false)
    {
        var work = _cached ??= new BlockScatter<TOps, TV>();
        (work._mode, work._shape, work._clearFirst) = (mode, s, clearFirst);
        work._block = block;
        work._tensor = tensor;
        (work._channels, work._width, work._j0, work._tensorChannels, work._plane) = (channels, width, j0, tensorChannels, plane);
        var taps = mode == BlockScatterMode.Col2Im ? s.KernelH * s.KernelW : 1;
        var threads = KernelThreads.Count;
        var tasks = threads <= 1 || KernelParallel.IsInsideTask || (long)channels * taps * width < ParallelThreshold
            ? 1 : Math.Min(channels, 8 * threads);
        work._perTask = (channels + tasks - 1) / tasks;
        tasks = (channels + work._perTask - 1) / work._perTask;
        try
        {
            if (tasks == 1) work.Execute(0);
            else KernelParallel.For(tasks, work);
        }
        finally
        {
            work._block = work._tensor = null;
        }
    }

    public void Execute(int task)
    {
        var from = task * _perTask;
        var to = Math.Min(_channels, from + _perTask);
        if (_clearFirst) ClearFirstReached(from, to);
        if (_mode == BlockScatterMode.Col2Im) Col2Im<TOps, TV>.Add(_shape, _block, _width, _j0, _tensor, from, to);
        else Rows(from, to);
    }

    /// <summary>Zeroes channels [from, to) of the images whose first column (output pixel 0) lies in this block.</summary>
    private void ClearFirstReached(int from, int to)
    {
        var columnsPerImage = _shape.OutH * _shape.OutW;
        int first = (_j0 + columnsPerImage - 1) / columnsPerImage, end = (_j0 + _width + columnsPerImage - 1) / columnsPerImage;
        for (var image = first; image < end; image++)
        for (var r = from; r < to; r++)
            new Span<float>(_tensor + ((long)image * _tensorChannels + r) * _plane, _plane).Clear();
    }

    /// <summary>tensor[n, r, pixel] (+)= block[r, j − j0] for rows r in [from, to).</summary>
    private void Rows(int from, int to)
    {
        for (var r = from; r < to; r++)
        {
            var src = _block + (long)r * _width;
            int img = _j0 / _plane, pix = _j0 % _plane;
            for (var done = 0; done < _width; img++, pix = 0)
            {
                var len = Math.Min(_width - done, _plane - pix);
                var dst = _tensor + ((long)img * _tensorChannels + r) * _plane + pix;
                if (_mode == BlockScatterMode.Add) VectorKernels<TOps, TV>.AddInto(dst, src + done, len);
                else new ReadOnlySpan<float>(src + done, len).CopyTo(new Span<float>(dst, len));
                done += len;
            }
        }
    }
}
