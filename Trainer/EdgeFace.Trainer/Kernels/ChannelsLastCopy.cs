namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Copies an NCHW batch into NHWC (channels last): dst[n, pixel, c] = src[n, c, pixel]. In that layout the input
/// channels a convolution tap reads at one pixel are contiguous, so the weight gradient's patch operand
/// (<see cref="ChannelsLastPatchPanelSource"/>) packs by plain copies instead of transposing gathers.
/// Split over the pool by image; cached per calling thread, so calls allocate nothing.
/// </summary>
internal sealed unsafe class ChannelsLastCopy : IParallelWork
{
    [ThreadStatic] private static ChannelsLastCopy? _cached;

    private float* _src, _dst;
    private int _channels, _plane;

    public static void Run(float* src, int batch, int channels, int plane, float* dst)
    {
        var work = _cached ??= new ChannelsLastCopy();
        work._src = src;
        work._dst = dst;
        (work._channels, work._plane) = (channels, plane);
        try
        {
            if (KernelThreads.Count > 1 && batch > 1 && !KernelParallel.IsInsideTask) KernelParallelChunks.For(batch, work);
            else for (var n = 0; n < batch; n++) work.Execute(n);
        }
        finally
        {
            work._src = work._dst = null;
        }
    }

    public void Execute(int image)
    {
        var length = (long)_channels * _plane;
        // TransposePacker writes dst[q·panel + o] = src[o·rowStride + q]: with panel = channels that is NHWC.
        TransposePacker.Pack(_dst + image * length, _channels, _src + image * length, _plane, _channels, _plane);
    }
}
