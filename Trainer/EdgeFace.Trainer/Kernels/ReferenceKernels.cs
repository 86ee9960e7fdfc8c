namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Plain scalar kernels: the reference twins that every fast kernel is tested against,
/// and the fallback for shapes a fast path does not handle. Clarity over speed.
/// All tensors are row-major / NCHW.
/// </summary>
public static class ReferenceKernels
{
    /// <summary>C[m,n] = op(A)[m,k] · op(B)[k,n] (+ C when <paramref name="accumulate"/>).
    /// op(A) = A[m,k] (lda ≥ k) or, when transposed, A stored as [k,m] (lda ≥ m); likewise B.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            double sum = 0;
            for (var p = 0; p < k; p++)
            {
                var av = transA ? a[p * lda + i] : a[i * lda + p];
                var bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                sum += (double)av * bv;
            }
            c[i * ldc + j] = (float)(accumulate ? c[i * ldc + j] + sum : sum);
        }
    }

    /// <summary>output = conv(input, weight) + bias. Overwrites output. bias may be empty.</summary>
    public static void ConvForward(in ConvShape s, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        int oh = s.OutH, ow = s.OutW, icg = s.InPerGroup, ocg = s.OutPerGroup;
        for (var n = 0; n < s.Batch; n++)
        for (var oc = 0; oc < s.OutChannels; oc++)
        {
            var g = oc / ocg;
            for (var y = 0; y < oh; y++)
            for (var x = 0; x < ow; x++)
            {
                double sum = bias.IsEmpty ? 0 : bias[oc];
                for (var ic = 0; ic < icg; ic++)
                for (var ky = 0; ky < s.KernelH; ky++)
                {
                    var iy = y * s.StrideH - s.PadH + ky;
                    if ((uint)iy >= (uint)s.InH) continue;
                    for (var kx = 0; kx < s.KernelW; kx++)
                    {
                        var ix = x * s.StrideW - s.PadW + kx;
                        if ((uint)ix >= (uint)s.InW) continue;
                        var inIndex = ((n * s.InChannels + g * icg + ic) * s.InH + iy) * s.InW + ix;
                        var wIndex = ((oc * icg + ic) * s.KernelH + ky) * s.KernelW + kx;
                        sum += (double)input[inIndex] * weight[wIndex];
                    }
                }
                output[((n * s.OutChannels + oc) * oh + y) * ow + x] = (float)sum;
            }
        }
    }

    /// <summary>gradInput += convᵀ(gradOutput, weight).</summary>
    public static void ConvBackwardInput(in ConvShape s, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput)
    {
        int oh = s.OutH, ow = s.OutW, icg = s.InPerGroup, ocg = s.OutPerGroup;
        for (var n = 0; n < s.Batch; n++)
        for (var oc = 0; oc < s.OutChannels; oc++)
        {
            var g = oc / ocg;
            for (var y = 0; y < oh; y++)
            for (var x = 0; x < ow; x++)
            {
                var go = gradOutput[((n * s.OutChannels + oc) * oh + y) * ow + x];
                for (var ic = 0; ic < icg; ic++)
                for (var ky = 0; ky < s.KernelH; ky++)
                {
                    var iy = y * s.StrideH - s.PadH + ky;
                    if ((uint)iy >= (uint)s.InH) continue;
                    for (var kx = 0; kx < s.KernelW; kx++)
                    {
                        var ix = x * s.StrideW - s.PadW + kx;
                        if ((uint)ix >= (uint)s.InW) continue;
                        gradInput[((n * s.InChannels + g * icg + ic) * s.InH + iy) * s.InW + ix] +=
                            go * weight[((oc * icg + ic) * s.KernelH + ky) * s.KernelW + kx];
                    }
                }
            }
        }
    }

    /// <summary>gradWeight += ∂L/∂W, gradBias += Σ gradOutput (gradBias may be empty).</summary>
    public static void ConvBackwardWeight(in ConvShape s, ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, Span<float> gradWeight, Span<float> gradBias)
    {
        int oh = s.OutH, ow = s.OutW, icg = s.InPerGroup, ocg = s.OutPerGroup;
        for (var n = 0; n < s.Batch; n++)
        for (var oc = 0; oc < s.OutChannels; oc++)
        {
            var g = oc / ocg;
            for (var y = 0; y < oh; y++)
            for (var x = 0; x < ow; x++)
            {
                var go = gradOutput[((n * s.OutChannels + oc) * oh + y) * ow + x];
                if (!gradBias.IsEmpty) gradBias[oc] += go;
                for (var ic = 0; ic < icg; ic++)
                for (var ky = 0; ky < s.KernelH; ky++)
                {
                    var iy = y * s.StrideH - s.PadH + ky;
                    if ((uint)iy >= (uint)s.InH) continue;
                    for (var kx = 0; kx < s.KernelW; kx++)
                    {
                        var ix = x * s.StrideW - s.PadW + kx;
                        if ((uint)ix >= (uint)s.InW) continue;
                        gradWeight[((oc * icg + ic) * s.KernelH + ky) * s.KernelW + kx] +=
                            go * input[((n * s.InChannels + g * icg + ic) * s.InH + iy) * s.InW + ix];
                    }
                }
            }
        }
    }
}
