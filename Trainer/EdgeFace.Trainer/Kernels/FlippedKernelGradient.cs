namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The input gradient of a stride-1 convolution is itself a stride-1 convolution: of the output gradient, with the
/// kernel's channel axes swapped and its taps flipped, padded K − 1 − P. Where that convolution runs image by image
/// on <see cref="PaddedRowsPanelSource"/> (wide rows: ResNet's 28×28 and larger planes), its patches pack as plain
/// copies and it adds straight into the input gradient, instead of the GEMM writing a column block K·K times the
/// input's size that col2im then scatters back. Elsewhere the col2im route measured as fast or faster.
/// </summary>
internal static unsafe class FlippedKernelGradient<TOps, TV>
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    public static bool Applies(in ConvShape s)
    {
        if (s.IsDepthwise || s is not { StrideH: 1, StrideW: 1 } || s.PadH >= s.KernelH || s.PadW >= s.KernelW) return false;
        var t = Transposed(s);
        return PaddedRowsPanelSource.Applies(t) && !BatchedColumnsConv<TOps, TV>.AppliesToForward(t);
    }

    /// <summary>gradInput (+)= convolution-transpose of gradOutput.</summary>
    public static void BackwardInput(in ConvShape s, float* gradOutput, float* weight, float* gradInput, bool accumulate)
    {
        var flipped = KernelScratch.Current.FlippedWeights(s.WeightLength);
        FlipWork.Run(s, weight, flipped);
        ImplicitGemmConv<TOps, TV>.Forward(Transposed(s), gradOutput, flipped, null, gradInput, accumulate);
    }

    /// <summary>The convolution from the output gradient back to the input's shape.</summary>
    private static ConvShape Transposed(in ConvShape s) =>
        new(s.Batch, s.OutChannels, s.OutH, s.OutW, s.InChannels, s.KernelH, s.KernelW, 1, 1,
            s.KernelH - 1 - s.PadH, s.KernelW - 1 - s.PadW, s.Groups);
}

/// <summary>
/// flipped[g·icg + i, o, T − 1 − tap] = weight[g·ocg + o, i, tap]: the weights of the transposed convolution in
/// <see cref="FlippedKernelGradient{TOps, TV}"/>. Split over the pool by row when large; cached per calling thread,
/// so calls allocate nothing.
/// </summary>
internal sealed unsafe class FlipWork : IParallelWork
{
    [ThreadStatic] private static FlipWork? _cached;

    /// <summary>Below this many floats the pool costs more than the copy.</summary>
    private const long ParallelThreshold = 1 << 16;

    private ConvShape _shape;
    private float* _weight, _flipped;

    public static void Run(in ConvShape s, float* weight, float* flipped)
    {
        var work = _cached ??= new FlipWork();
        work._shape = s;
        work._weight = weight;
        work._flipped = flipped;
        try
        {
            if (KernelThreads.Count > 1 && !KernelParallel.IsInsideTask && s.WeightLength >= ParallelThreshold)
                KernelParallelChunks.For(s.InChannels, work);
            else
                for (var row = 0; row < s.InChannels; row++) work.Execute(row);
        }
        finally
        {
            work._weight = work._flipped = null;
        }
    }

    /// <summary>One input channel's row of the flipped weights: contiguous writes, one tap run per output channel.</summary>
    public void Execute(int row)
    {
        int icg = _shape.InPerGroup, ocg = _shape.OutPerGroup, taps = _shape.KernelH * _shape.KernelW;
        int g = row / icg, i = row % icg;
        var dst = _flipped + (long)row * ocg * taps;
        for (var o = 0; o < ocg; o++, dst += taps)
        {
            var src = _weight + ((long)(g * ocg + o) * icg + i) * taps;
            for (var tap = 0; tap < taps; tap++) dst[taps - 1 - tap] = src[tap];
        }
    }
}
