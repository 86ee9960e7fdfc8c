namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Dense and grouped convolution as implicit GEMM: patches are gathered straight into the packed GEMM panels
/// (<see cref="Im2colPanelSource"/>), never into a whole-batch im2col matrix.
/// <list type="bullet">
/// <item>Forward, per image and group: out[ocg, P] = W[ocg, K] · im2col[K, P] (bias pre-filled, then accumulated).</item>
/// <item>Input gradient: batch-wide, in <see cref="BatchedColumnsConv{TOps, TV}"/>.</item>
/// <item>Weight gradient, per group: gradW[ocg, K] += gradOut[ocg, N·P] · im2colᵀ[N·P, K], one GEMM whose k dimension
/// runs over every pixel of the batch, split over threads along k (<see cref="SplitDepthGemm{TOps, TV, TA, TB}"/>).
/// Ungrouped convolutions with enough input channels gather im2colᵀ from a channels-last copy of the input.</item>
/// </list>
/// 1×1 stride-1 unpadded convolutions read their operands as plain matrices.
/// Work is spread over images×groups when there are enough of them, otherwise inside each GEMM.
/// </summary>
internal static unsafe class ImplicitGemmConv<TOps, TV>
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    public static bool IsPointwise(in ConvShape s) =>
        s is { KernelH: 1, KernelW: 1, StrideH: 1, StrideW: 1, PadH: 0, PadW: 0 };

    /// <summary>output = conv(input) (+ bias), or output += conv(input) when <paramref name="accumulate"/> (then without bias).</summary>
    public static void Forward(in ConvShape s, float* input, float* weight, float* bias, float* output, bool accumulate = false)
    {
        // Items run on whichever thread takes them: size the calling thread's per-item buffers now, so that which
        // items it happens to take cannot make a warm call allocate.
        if (PaddedRowsPanelSource.Applies(s))
        {
            var planes = new PaddedRowsPanelSource(s);
            KernelScratch.Current.PaddedImage(planes.Length(s.InPerGroup));
            KernelScratch.Current.PaddedOutput(s.OutPerGroup * s.OutH * planes.RowStride);
        }
        Dispatch(accumulate ? ConvMode.ForwardAccumulate : ConvMode.Forward, s, input, weight, bias, output, s.Batch * s.Groups);
    }

    public static void BackwardWeight(in ConvShape s, float* input, float* gradOutput, float* gradWeight, float* gradBias)
    {
        if (gradBias != null) ConvBias<TOps, TV>.Accumulate(s, gradOutput, gradBias);
        // Channels last needs whole B panels of one tap: a 1×1 kernel gains nothing from it and the stem's three
        // channels would pack three-float runs.
        if (s.Groups == 1 && s.KernelH * s.KernelW > 1 && s.InChannels % (2 * TOps.Width) == 0)
        {
            BackwardWeightChannelsLast(s, input, gradOutput, gradWeight);
            return;
        }
        // Strided convolutions read the whole batch in column-phase layout (built once, shared by the workers).
        var phases = new ColumnPhases(s);
        if (!IsPointwise(s) && !phases.IsIdentity)
        {
            var dealt = KernelScratch.Current.Phases(s.Batch * s.InChannels * phases.PlaneSize);
            phases.Build(input, s.Batch * s.InChannels, s.InH, s.InW, dealt);
            input = dealt;
        }
        Dispatch(ConvMode.BackwardWeight, s, input, gradOutput, null, gradWeight, s.Groups);
    }

    /// <summary>
    /// Ungrouped weight gradient through a channels-last copy of the input: the patch operand then packs by
    /// contiguous copies (<see cref="ChannelsLastPatchPanelSource"/>) rather than transposing gathers. The GEMM writes
    /// [OC, (ky, kx, ic)] into scratch, which is added into the [OC, (ic, ky, kx)] weight gradient.
    /// </summary>
    private static void BackwardWeightChannelsLast(in ConvShape s, float* input, float* gradOutput, float* gradWeight)
    {
        int taps = s.KernelH * s.KernelW, k = s.InChannels * taps, pixels = s.OutH * s.OutW, plane = s.InH * s.InW;
        var scratch = KernelScratch.Current;
        var channelsLast = scratch.ChannelsLast((long)s.Batch * s.InChannels * plane);
        ChannelsLastCopy.Run(input, s.Batch, s.InChannels, plane, channelsLast);
        var block = scratch.WeightBlock(s.OutChannels * k);
        WeightGemm(new ChannelsLastPatchPanelSource(s, channelsLast), new BatchedRowsPanelSource(gradOutput, s.OutChannels, 0, pixels),
            s.OutChannels, k, s.Batch * pixels, block, parallel: true, accumulate: false);
        TapMajorWeights.AddInto(block, gradWeight, s.OutChannels, s.InChannels, taps);
    }

    private static void Dispatch(ConvMode mode, in ConvShape s, float* x, float* y, float* z, float* result, int items)
    {
        var threads = KernelThreads.Count;
        var work = (long)s.OutputLength * s.InPerGroup * s.KernelH * s.KernelW;
        if (work < GemmDriver.ParallelThreshold)
        {
            for (var item = 0; item < items; item++) Item(mode, s, x, y, z, result, item, parallel: false);
            return;
        }
        // Whole items per thread when there are enough of them, or when each is too small to split itself.
        if (threads > 1 && items > 1 && (items >= threads || work / items < GemmDriver.ParallelThreshold) && !KernelParallel.IsInsideTask)
        {
            ConvWork<TOps, TV>.Run(mode, s, x, y, z, result, items);
            return;
        }
        for (var item = 0; item < items; item++) Item(mode, s, x, y, z, result, item, parallel: true);
    }

    /// <summary>One image×group (or one group for weights); <paramref name="parallel"/> lets its GEMMs use the pool.</summary>
    public static void Item(ConvMode mode, in ConvShape s, float* x, float* y, float* z, float* result, int item, bool parallel)
    {
        switch (mode)
        {
            case ConvMode.Forward or ConvMode.ForwardAccumulate:
                ForwardItem(s, x, y, z, result, item / s.Groups, item % s.Groups, parallel, mode == ConvMode.ForwardAccumulate);
                break;
            default: BackwardWeightGroup(s, x, y, result, item, parallel); break;
        }
    }

    private static void ForwardItem(in ConvShape s, float* input, float* weight, float* bias, float* output, int n, int g, bool parallel, bool accumulate)
    {
        int icg = s.InPerGroup, ocg = s.OutPerGroup, plane = s.InH * s.InW, pixels = s.OutH * s.OutW;
        var k = icg * s.KernelH * s.KernelW;
        var c = output + ((long)n * s.OutChannels + g * ocg) * pixels;
        var a = new DensePanelSource(weight + (long)g * ocg * k, k, outerContiguous: false);
        var image = input + ((long)n * s.InChannels + g * icg) * plane;
        if (PaddedRowsPanelSource.Applies(s))
        {
            ForwardPaddedRows(s, image, a, bias == null ? null : bias + g * ocg, c, accumulate, parallel);
            return;
        }
        if (bias != null)
            for (var i = 0; i < ocg; i++) new Span<float>(c + (long)i * pixels, pixels).Fill(bias[g * ocg + i]);
        accumulate |= bias != null;
        if (IsPointwise(s))
        {
            Gemm(new DensePanelSource(image, plane, outerContiguous: true), a, ocg, pixels, k, c, pixels, accumulate, parallel);
            return;
        }
        var phases = new ColumnPhases(s);
        if (!phases.IsIdentity)
        {
            var dealt = KernelScratch.Current.Phases(icg * phases.PlaneSize);
            phases.Build(image, icg, s.InH, s.InW, dealt);
            image = dealt;
        }
        Gemm(new Im2colPanelSource(s, phases, image, 0), a, ocg, pixels, k, c, pixels, accumulate, parallel);
    }

    /// <summary>
    /// One image×group of a stride-1 padded convolution through <see cref="PaddedRowsPanelSource"/>: the image is
    /// copied into zero-bordered planes, the GEMM computes every output row at the padded width (the extra columns
    /// are discarded), and the real columns go to <paramref name="output"/>, copied or added.
    /// </summary>
    private static void ForwardPaddedRows(in ConvShape s, float* image, in DensePanelSource a, float* bias, float* output, bool accumulate, bool parallel)
    {
        int icg = s.InPerGroup, ocg = s.OutPerGroup, k = icg * s.KernelH * s.KernelW, pixels = s.OutH * s.OutW;
        var source = new PaddedRowsPanelSource(s);
        var scratch = KernelScratch.Current;
        var padded = scratch.PaddedImage(source.Length(icg));
        source.Fill(image, icg, padded);
        var columns = s.OutH * source.RowStride;
        var wide = scratch.PaddedOutput(ocg * columns);
        if (bias != null)
            for (var i = 0; i < ocg; i++) new Span<float>(wide + (long)i * columns, columns).Fill(bias[i]);
        Gemm(source.At(padded), a, ocg, columns, k, wide, columns, bias != null, parallel);
        for (var i = 0; i < ocg; i++)
        for (var y = 0; y < s.OutH; y++)
        {
            var src = wide + (long)i * columns + y * source.RowStride;
            var dst = output + (long)i * pixels + y * s.OutW;
            if (accumulate) VectorKernels<TOps, TV>.AddInto(dst, src, s.OutW);
            else new ReadOnlySpan<float>(src, s.OutW).CopyTo(new Span<float>(dst, s.OutW));
        }
    }

    private static void BackwardWeightGroup(in ConvShape s, float* input, float* gradOutput, float* gradWeight, int g, bool parallel)
    {
        int icg = s.InPerGroup, ocg = s.OutPerGroup, plane = s.InH * s.InW, pixels = s.OutH * s.OutW;
        var k = icg * s.KernelH * s.KernelW;
        var a = new BatchedRowsPanelSource(gradOutput, s.OutChannels, g * ocg, pixels);
        var c = gradWeight + (long)g * ocg * k;
        var depth = s.Batch * pixels;
        if (IsPointwise(s))
        {
            WeightGemm(new BatchedRowsPanelSource(input, s.InChannels, g * icg, plane), a, ocg, k, depth, c, parallel);
            return;
        }
        var phases = new ColumnPhases(s);
        WeightGemm(new Im2colTransposedPanelSource(s, phases, input + g * icg * phases.PlaneSize, s.InChannels * phases.PlaneSize),
            a, ocg, k, depth, c, parallel);
    }

    /// <summary>Weight-gradient GEMMs (long k over the batch, small C) split k over the pool, not C.</summary>
    private static void WeightGemm<TB, TA>(in TB b, in TA a, int m, int n, int k, float* c, bool parallel, bool accumulate = true)
        where TA : struct, IPanelSource where TB : struct, IPanelSource
    {
        if (parallel) SplitDepthGemm<TOps, TV, TA, TB>.Run(a, b, m, n, k, c, n, accumulate);
        else GemmDriver.RunBlock<TOps, TV, TA, TB>(a, b, 0, m, 0, n, k, c, n, accumulate);
    }

    public static void Gemm<TB, TA>(in TB b, in TA a, int m, int n, int k, float* c, int ldc, bool accumulate, bool parallel)
        where TA : struct, IPanelSource where TB : struct, IPanelSource
    {
        if (parallel) GemmDriver.Run<TOps, TV, TA, TB>(a, b, m, n, k, c, ldc, accumulate);
        else GemmDriver.RunBlock<TOps, TV, TA, TB>(a, b, 0, m, 0, n, k, c, ldc, accumulate);
    }
}
