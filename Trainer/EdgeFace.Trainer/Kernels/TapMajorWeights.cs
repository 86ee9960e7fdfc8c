namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Adds a weight gradient computed in tap-major order, block[oc, (tap, ic)] (what the channels-last weight GEMM
/// produces), into the weight layout gradWeight[oc, (ic, tap)]. Split over the pool by output channel: for wide
/// layers the weights are megabytes and this pass is memory-bound. Cached per calling thread; calls allocate nothing.
/// </summary>
internal sealed unsafe class TapMajorWeights : IParallelWork
{
    [ThreadStatic] private static TapMajorWeights? _cached;

    /// <summary>Below this many floats the pool costs more than the pass.</summary>
    private const long ParallelThreshold = 1 << 16;

    private float* _block, _gradWeight;
    private int _inChannels, _taps;

    public static void AddInto(float* block, float* gradWeight, int outChannels, int inChannels, int taps)
    {
        var work = _cached ??= new TapMajorWeights();
        work._block = block;
        work._gradWeight = gradWeight;
        (work._inChannels, work._taps) = (inChannels, taps);
        try
        {
            if (KernelThreads.Count > 1 && !KernelParallel.IsInsideTask && (long)outChannels * inChannels * taps >= ParallelThreshold)
                KernelParallelChunks.For(outChannels, work);
            else
                for (var oc = 0; oc < outChannels; oc++) work.Execute(oc);
        }
        finally
        {
            work._block = work._gradWeight = null;
        }
    }

    public void Execute(int oc)
    {
        var k = (long)_inChannels * _taps;
        var src = _block + oc * k;
        var dst = _gradWeight + oc * k;
        for (var ic = 0; ic < _inChannels; ic++, dst += _taps)
            for (var tap = 0; tap < _taps; tap++) dst[tap] += src[tap * _inChannels + ic];
    }
}
