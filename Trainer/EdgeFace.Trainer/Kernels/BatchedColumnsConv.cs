namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Dense convolutions as GEMMs whose columns run over every output pixel of the whole batch instead of one image at
/// a time: the forward of small output planes (the deep layers) and every input gradient.
/// <list type="bullet">
/// <item>Forward, planes ≤ <see cref="MaxPlane"/>: image by image, a 4×4 plane makes a 16-column GEMM that leaves
/// half of each micro-panel empty and repacks the whole weight matrix for every image. Batch-wide, the weights are
/// packed once per column block and the panels are full. Larger planes fill their panels alone and stay in
/// <see cref="ImplicitGemmConv{TOps, TV}"/>, which needs no scratch copy.</item>
/// <item>Input gradient: col[K, block] = Wᵀ · gradOut[:, block], then col2im. Per image, the column block had to be
/// small and Wᵀ (K×OC, often megabytes) was re-packed for every block of every image; batch-wide it is packed once
/// per block of several images.</item>
/// </list>
/// The GEMM writes [rows, columns] into per-thread scratch (split over threads by output tile); rows then go into the
/// NCHW tensor (copied, added, or col2im-added), split over threads by channel so no two threads write one plane.
/// </summary>
internal static unsafe class BatchedColumnsConv<TOps, TV>
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    /// <summary>Forward output planes up to this many pixels go batch-wide (SigNet's 17×26 and below): image by image,
    /// such layers repacked their weights (256×2400 for SigNet's 5×5) for every image.</summary>
    public const int MaxPlane = 512;
    /// <summary>Floats of scratch per column block: deep layers need one or two blocks.</summary>
    private const int ScratchBudget = 1 << 21;

    public static bool AppliesToForward(in ConvShape s) => !s.IsDepthwise && s.OutH * s.OutW <= MaxPlane;

    public static void Forward(in ConvShape s, float* input, float* weight, float* bias, float* output)
    {
        int icg = s.InPerGroup, ocg = s.OutPerGroup, plane = s.InH * s.InW, pixels = s.OutH * s.OutW;
        var k = icg * s.KernelH * s.KernelW;
        var columns = s.Batch * pixels;
        var width = ChunkWidth(columns, ocg);
        var scratch = KernelScratch.Current.Columns(ocg * width);
        var pointwise = ImplicitGemmConv<TOps, TV>.IsPointwise(s);
        var phases = new ColumnPhases(s);
        var dealt = input;
        // Stride-1 padded: the batch gets zero borders, so patch runs copy without clamping.
        var bordered = !pointwise && phases.IsIdentity && (s.PadH > 0 || s.PadW > 0);
        var planes = new PaddedRowsPanelSource(s);
        if (bordered)
        {
            dealt = KernelScratch.Current.Bordered(planes.Length(s.Batch * s.InChannels));
            planes.Fill(input, s.Batch * s.InChannels, dealt);
        }
        else if (!pointwise && !phases.IsIdentity)
        {
            dealt = KernelScratch.Current.Phases(s.Batch * s.InChannels * phases.PlaneSize);
            phases.Build(input, s.Batch * s.InChannels, s.InH, s.InW, dealt);
        }
        for (var g = 0; g < s.Groups; g++)
        {
            var a = new DensePanelSource(weight + (long)g * ocg * k, k, outerContiguous: false);
            for (var j0 = 0; j0 < columns; j0 += width)
            {
                var n = Math.Min(width, columns - j0);
                if (bias != null)
                    for (var i = 0; i < ocg; i++) new Span<float>(scratch + (long)i * n, n).Fill(bias[g * ocg + i]);
                if (pointwise)
                    Gemm(new OffsetPanelSource<BatchedColumnsPanelSource>(new BatchedColumnsPanelSource(input, s.InChannels, g * icg, plane), j0, 0),
                        a, ocg, n, k, scratch, bias != null);
                else if (bordered)
                    Gemm(new OffsetPanelSource<BorderedIm2colPanelSource>(
                            new BorderedIm2colPanelSource(s, planes, dealt + (long)g * icg * planes.PlaneSize, (long)s.InChannels * planes.PlaneSize), j0, 0),
                        a, ocg, n, k, scratch, bias != null);
                else
                    Gemm(new OffsetPanelSource<Im2colPanelSource>(
                            new Im2colPanelSource(s, phases, dealt + g * icg * phases.PlaneSize, s.InChannels * phases.PlaneSize), j0, 0),
                        a, ocg, n, k, scratch, bias != null);
                BlockScatter<TOps, TV>.Run(BlockScatterMode.Copy, s, scratch, ocg, n, j0, output + (long)g * ocg * pixels, s.OutChannels, pixels);
            }
        }
    }

    /// <summary>gradInput (+)= convolution-transpose of gradOutput. To overwrite, each scatter task zeroes an image's
    /// planes of its channels just before the first block that reaches them: a pass over memory it is about to add
    /// into anyway, split over the pool, instead of a single-threaded clear of the whole gradient beforehand.</summary>
    public static void BackwardInput(in ConvShape s, float* gradOutput, float* weight, float* gradInput, bool accumulate)
    {
        int icg = s.InPerGroup, ocg = s.OutPerGroup, plane = s.InH * s.InW, pixels = s.OutH * s.OutW;
        var k = icg * s.KernelH * s.KernelW;
        var columns = s.Batch * pixels;
        var width = ChunkWidth(columns, k);
        var col = KernelScratch.Current.Columns(k * width);
        var mode = ImplicitGemmConv<TOps, TV>.IsPointwise(s) ? BlockScatterMode.Add : BlockScatterMode.Col2Im;
        for (var g = 0; g < s.Groups; g++)
        {
            var wT = new DensePanelSource(weight + (long)g * ocg * k, k, outerContiguous: true);
            var gradImage = gradInput + (long)g * icg * plane;
            for (var j0 = 0; j0 < columns; j0 += width)
            {
                var n = Math.Min(width, columns - j0);
                Gemm(new OffsetPanelSource<BatchedColumnsPanelSource>(new BatchedColumnsPanelSource(gradOutput, s.OutChannels, g * ocg, pixels), j0, 0),
                    wT, k, n, ocg, col, accumulate: false);
                BlockScatter<TOps, TV>.Run(mode, s, col, icg, n, j0, gradImage, s.InChannels, plane, clearFirst: !accumulate);
            }
        }
    }

    private static void Gemm<TB, TA>(in TB b, in TA a, int m, int n, int k, float* c, bool accumulate)
        where TA : struct, IPanelSource where TB : struct, IPanelSource =>
        ImplicitGemmConv<TOps, TV>.Gemm(b, a, m, n, k, c, n, accumulate, parallel: true);

    /// <summary>Columns per block: the whole batch when it fits the budget, else equal blocks rounded to whole panels.</summary>
    private static int ChunkWidth(int columns, int rows)
    {
        var blocks = (int)Math.Max(1, ((long)columns * rows + ScratchBudget - 1) / ScratchBudget);
        var width = (columns + blocks - 1) / blocks;
        return Math.Min(columns, (width + 63) / 64 * 64);
    }
}
