using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Direct depthwise convolution (Groups == InChannels == OutChannels), vectorised along output rows.
/// Each input plane is first copied into per-thread scratch, zero-padded and split by column phase
/// (phase px holds padded columns px, px+SW, ...), so every tap of every stride reads a contiguous,
/// bounds-free run: tap (ky, kx) of output row y starts at phase kx%SW, padded row y·SH+ky, column kx/SW.
/// Forward keeps one vector of outputs in a register across all taps; the input gradient accumulates into a
/// phase-split scratch plane that is folded back; the weight gradient is a dot product per tap.
/// Tasks: one per image×channel (forward, input gradient) or per channel (weight gradient), so none share output.
/// </summary>
internal static unsafe class DepthwiseConv<TOps, TV>
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    public static void Forward(in ConvShape s, float* input, float* weight, float* bias, float* output) =>
        Dispatch(ConvMode.Forward, s, input, weight, bias, output, s.Batch * s.InChannels);

    public static void BackwardInput(in ConvShape s, float* gradOutput, float* weight, float* gradInput) =>
        Dispatch(ConvMode.BackwardInput, s, gradOutput, weight, null, gradInput, s.Batch * s.InChannels);

    public static void BackwardWeight(in ConvShape s, float* input, float* gradOutput, float* gradWeight, float* gradBias) =>
        Dispatch(ConvMode.BackwardWeight, s, input, gradOutput, gradBias, gradWeight, s.InChannels);

    private static void Dispatch(ConvMode mode, in ConvShape s, float* x, float* y, float* z, float* result, int items)
    {
        var work = (long)s.OutputLength * s.KernelH * s.KernelW;
        if (KernelThreads.Count > 1 && items > 1 && work >= GemmDriver.ParallelThreshold / 4 && !KernelParallel.IsInsideTask)
        {
            // Items run on whichever thread takes them: size the calling thread's per-item buffers now, so that
            // which items it happens to take cannot make a warm call allocate.
            KernelScratch.Current.Plane(new Geometry(s).Length);
            KernelScratch.Current.Plane2(s.KernelH * s.KernelW);
            ConvWork<TOps, TV>.Run(mode, s, x, y, z, result, items, depthwise: true);
        }
        else
            for (var item = 0; item < items; item++) Item(mode, s, x, y, z, result, item);
    }

    public static void Item(ConvMode mode, in ConvShape s, float* x, float* y, float* z, float* result, int item)
    {
        // Output rows narrower than a vector would run only the scalar tails (14×14 planes on AVX-512):
        // hand them to the widest path whose vectors fit the row. Every path computes each lane the same way.
        if (s.OutW < TOps.Width)
        {
            if (TOps.Width > 8 && s.OutW >= 8 && Avx2Ops.IsSupported)
            {
                DepthwiseConv<Avx2Ops, Vector256<float>>.Item(mode, s, x, y, z, result, item);
                return;
            }
            if (TOps.Width > 4 && s.OutW >= 4 && Vector128Ops.IsSupported)
            {
                DepthwiseConv<Vector128Ops, Vector128<float>>.Item(mode, s, x, y, z, result, item);
                return;
            }
        }
        var g = new Geometry(s);
        switch (mode)
        {
            case ConvMode.Forward: ForwardPlane(s, g, x, y, z, result, item); break;
            case ConvMode.BackwardInput: BackwardInputPlane(s, g, x, y, result, item); break;
            default: BackwardWeightChannel(s, g, x, y, result, z, item); break;
        }
    }

    /// <summary>Padded, phase-split plane layout: Phases × Rows × Stride floats. Without padding and with column
    /// stride 1 the image plane itself already has this layout (<see cref="Direct"/>): no copy is made.</summary>
    private readonly struct Geometry
    {
        public readonly int Rows, Cols, Stride, PhaseSize, Length;
        public readonly bool Direct;

        public Geometry(in ConvShape s)
        {
            Rows = (s.OutH - 1) * s.StrideH + s.KernelH;
            Cols = (s.OutW - 1) * s.StrideW + s.KernelW;
            Direct = s is { PadH: 0, PadW: 0, StrideW: 1 };
            Stride = Direct ? s.InW : (Cols + s.StrideW - 1) / s.StrideW;
            PhaseSize = Rows * Stride;
            Length = s.StrideW * PhaseSize;
        }

        /// <summary>Offset of padded column X in the phase layout (row 0).</summary>
        public int Column(int paddedX, int strideW) => paddedX % strideW * PhaseSize + paddedX / strideW;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BuildPlane(in ConvShape s, in Geometry g, float* src, float* dst)
    {
        new Span<float>(dst, g.Length).Clear();
        var xEnd = Math.Min(s.InW, g.Cols - s.PadW);
        for (var r = 0; r < g.Rows; r++)
        {
            var iy = r - s.PadH;
            if ((uint)iy >= (uint)s.InH) continue;
            var row = src + iy * s.InW;
            var d = dst + r * g.Stride;
            if (s.StrideW == 1)
            {
                new ReadOnlySpan<float>(row, xEnd).CopyTo(new Span<float>(d + s.PadW, xEnd));
                continue;
            }
            // Deal the row out phase by phase: input column ix lands in phase (ix+PadW) % SW at (ix+PadW) / SW.
            for (var phase = 0; phase < s.StrideW; phase++)
            {
                var first = ((phase - s.PadW) % s.StrideW + s.StrideW) % s.StrideW;
                var target = d + phase * g.PhaseSize + (first + s.PadW) / s.StrideW;
                for (var ix = first; ix < xEnd; ix += s.StrideW) *target++ = row[ix];
            }
        }
    }

    /// <summary>Adds the padded, phase-split plane back onto the image rows it came from, dropping the padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FoldPlane(in ConvShape s, in Geometry g, float* plane, float* image)
    {
        var xEnd = Math.Min(s.InW, g.Cols - s.PadW);
        for (var r = 0; r < g.Rows; r++)
        {
            var iy = r - s.PadH;
            if ((uint)iy >= (uint)s.InH) continue;
            var row = image + iy * s.InW;
            var src = plane + r * g.Stride;
            if (s.StrideW == 1)
            {
                VectorKernels<TOps, TV>.AddInto(row, src + s.PadW, xEnd);
                continue;
            }
            for (var phase = 0; phase < s.StrideW; phase++)
            {
                var first = ((phase - s.PadW) % s.StrideW + s.StrideW) % s.StrideW;
                var from = src + phase * g.PhaseSize + (first + s.PadW) / s.StrideW;
                for (var ix = first; ix < xEnd; ix += s.StrideW) row[ix] += *from++;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPlane(in ConvShape s, in Geometry g, float* input, float* weight, float* bias, float* output, int item)
    {
        var channel = item % s.InChannels;
        int kh = s.KernelH, kw = s.KernelW, ow = s.OutW, w = TOps.Width;
        var image = input + (long)item * s.InH * s.InW;
        var plane = image;
        if (!g.Direct) BuildPlane(s, g, image, plane = KernelScratch.Current.Plane(g.Length));
        var taps = weight + channel * kh * kw;
        var b = bias == null ? 0f : bias[channel];
        var outPlane = output + (long)item * s.OutH * ow;
        var tapColumn = stackalloc int[kw];
        for (var kx = 0; kx < kw; kx++) tapColumn[kx] = g.Column(kx, s.StrideW);
        for (var y = 0; y < s.OutH; y++)
        {
            var top = plane + y * s.StrideH * g.Stride;
            var outRow = outPlane + y * ow;
            var x = 0;
            while (x < ow)
            {
                if (x + w > ow)
                {
                    if (ow < w) break;
                    x = ow - w; // overlap the last full vector: forward overwrites, so recomputing is harmless
                }
                var acc = TOps.Splat(b);
                for (var ky = 0; ky < kh; ky++)
                {
                    var src = top + ky * g.Stride + x;
                    var wk = taps + ky * kw;
                    for (var kx = 0; kx < kw; kx++) acc = TOps.MulAdd(TOps.Splat(wk[kx]), TOps.Load(src + tapColumn[kx]), acc);
                }
                TOps.Store(outRow + x, acc);
                x += w;
            }
            for (; x < ow; x++)
            {
                var sum = b;
                for (var ky = 0; ky < kh; ky++)
                    for (var kx = 0; kx < kw; kx++) sum += taps[ky * kw + kx] * top[ky * g.Stride + x + tapColumn[kx]];
                outRow[x] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardInputPlane(in ConvShape s, in Geometry g, float* gradOutput, float* weight, float* gradInput, int item)
    {
        var channel = item % s.InChannels;
        int kh = s.KernelH, kw = s.KernelW, ow = s.OutW, w = TOps.Width;
        // Accumulate straight into the gradient when it has the plane layout, else into a zeroed padded plane.
        var gradImage = gradInput + (long)item * s.InH * s.InW;
        var plane = gradImage;
        if (!g.Direct)
        {
            plane = KernelScratch.Current.Plane(g.Length);
            new Span<float>(plane, g.Length).Clear();
        }
        var taps = weight + channel * kh * kw;
        var goPlane = gradOutput + (long)item * s.OutH * ow;
        var tapColumn = stackalloc int[kw];
        for (var kx = 0; kx < kw; kx++) tapColumn[kx] = g.Column(kx, s.StrideW);
        for (var y = 0; y < s.OutH; y++)
        {
            var goRow = goPlane + y * ow;
            var top = plane + y * s.StrideH * g.Stride;
            for (var ky = 0; ky < kh; ky++)
                for (var kx = 0; kx < kw; kx++)
                {
                    // Inline axpy: rows are often shorter than a vector (GDConv's is 1), where a call would dominate.
                    var weightValue = taps[ky * kw + kx];
                    var dst = top + ky * g.Stride + tapColumn[kx];
                    var x = 0;
                    if (ow >= w)
                    {
                        var wv = TOps.Splat(weightValue);
                        for (; x + w <= ow; x += w) TOps.Store(dst + x, TOps.MulAdd(wv, TOps.Load(goRow + x), TOps.Load(dst + x)));
                    }
                    for (; x < ow; x++) dst[x] += weightValue * goRow[x];
                }
        }
        if (!g.Direct) FoldPlane(s, g, plane, gradImage);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardWeightChannel(in ConvShape s, in Geometry g, float* input, float* gradOutput, float* gradWeight, float* gradBias, int channel)
    {
        int kh = s.KernelH, kw = s.KernelW, ow = s.OutW, oh = s.OutH, w = TOps.Width;
        var scratch = KernelScratch.Current;
        var padded = g.Direct ? null : scratch.Plane(g.Length);
        var sums = scratch.Plane2(kh * kw);
        new Span<float>(sums, kh * kw).Clear();
        var biasSum = 0f;
        var tapColumn = stackalloc int[kw];
        for (var kx = 0; kx < kw; kx++) tapColumn[kx] = g.Column(kx, s.StrideW);
        for (var n = 0; n < s.Batch; n++)
        {
            var item = n * s.InChannels + channel;
            var image = input + (long)item * s.InH * s.InW;
            var plane = image;
            if (!g.Direct) BuildPlane(s, g, image, plane = padded);
            var goPlane = gradOutput + (long)item * oh * ow;
            if (gradBias != null) biasSum += VectorKernels<TOps, TV>.Sum(goPlane, oh * ow);
            for (var ky = 0; ky < kh; ky++)
                for (var kx = 0; kx < kw; kx++)
                {
                    var src = plane + ky * g.Stride + tapColumn[kx];
                    // Inline dot product over all output rows, one vector accumulator, scalar tails.
                    var acc = TOps.Zero;
                    var sum = 0f;
                    for (var y = 0; y < oh; y++)
                    {
                        float* go = goPlane + y * ow, row = src + y * s.StrideH * g.Stride;
                        var x = 0;
                        for (; x + w <= ow; x += w) acc = TOps.MulAdd(TOps.Load(go + x), TOps.Load(row + x), acc);
                        for (; x < ow; x++) sum += go[x] * row[x];
                    }
                    sums[ky * kw + kx] += sum + TOps.Sum(acc);
                }
        }
        var gw = gradWeight + channel * kh * kw;
        for (var t = 0; t < kh * kw; t++) gw[t] += sums[t];
        if (gradBias != null) gradBias[channel] += biasSum;
    }
}
