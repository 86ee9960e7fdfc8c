using System.Runtime.Intrinsics;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Convolution entry points used by the layers. Forward overwrites its output; both backward passes
/// accumulate (+=) into their gradients, so a caller zeroes gradients once per step, except that the input
/// gradient can instead be overwritten (its first writer in a step then needs no zeroed buffer).
/// Semantics as the <see cref="ReferenceKernels"/> twins. Depthwise shapes run the direct
/// <see cref="DepthwiseConv{TOps, TV}"/> kernel, everything else implicit GEMM: image by image or per group
/// (<see cref="ImplicitGemmConv{TOps, TV}"/>) or batch-wide (<see cref="BatchedColumnsConv{TOps, TV}"/>);
/// the input gradient of stride-1 convolutions with wide rows runs as a forward pass of the flipped kernel
/// (<see cref="FlippedKernelGradient{TOps, TV}"/>), on the best SIMD path and over <see cref="KernelThreads.Count"/>
/// threads; no per-call allocation once warm.
/// </summary>
public static class Conv2dKernels
{
    public static void Forward(in ConvShape s, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
        => Forward(KernelPaths.Best, s, input, weight, bias, output);

    public static void BackwardInput(in ConvShape s, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput, bool accumulate = true)
        => BackwardInput(KernelPaths.Best, s, gradOutput, weight, gradInput, accumulate);

    public static void BackwardWeight(in ConvShape s, ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, Span<float> gradWeight, Span<float> gradBias)
        => BackwardWeight(KernelPaths.Best, s, input, gradOutput, gradWeight, gradBias);

    /// <summary>Forward on an explicit path (<see cref="KernelPath.Scalar"/> is the reference).</summary>
    public static unsafe void Forward(KernelPath path, in ConvShape s, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        Check(path, s, input.Length, "input", weight.Length, bias.Length, output.Length, "output");
        if (path == KernelPath.Scalar)
        {
            ReferenceKernels.ConvForward(s, input, weight, bias, output);
            return;
        }
        fixed (float* x = input, w = weight, b = bias, y = output)
        {
            var pb = bias.IsEmpty ? null : b;
            switch (path)
            {
                case KernelPath.Avx512: Forward<Avx512Ops, Vector512<float>>(s, x, w, pb, y); break;
                case KernelPath.Avx2: Forward<Avx2Ops, Vector256<float>>(s, x, w, pb, y); break;
                default: Forward<Vector128Ops, Vector128<float>>(s, x, w, pb, y); break;
            }
        }
    }

    /// <summary>Input gradient on an explicit path: added to <paramref name="gradInput"/>, or written over whatever it
    /// held when <paramref name="accumulate"/> is false.</summary>
    public static unsafe void BackwardInput(KernelPath path, in ConvShape s, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput,
        bool accumulate = true)
    {
        Check(path, s, gradInput.Length, "gradInput", weight.Length, 0, gradOutput.Length, "gradOutput");
        if (path == KernelPath.Scalar)
        {
            if (!accumulate) gradInput.Clear();
            ReferenceKernels.ConvBackwardInput(s, gradOutput, weight, gradInput);
            return;
        }
        fixed (float* go = gradOutput, w = weight, gi = gradInput)
        {
            switch (path)
            {
                case KernelPath.Avx512: BackwardInput<Avx512Ops, Vector512<float>>(s, go, w, gi, accumulate); break;
                case KernelPath.Avx2: BackwardInput<Avx2Ops, Vector256<float>>(s, go, w, gi, accumulate); break;
                default: BackwardInput<Vector128Ops, Vector128<float>>(s, go, w, gi, accumulate); break;
            }
        }
    }

    /// <summary>Weight (and bias, when <paramref name="gradBias"/> is not empty) gradient on an explicit path.</summary>
    public static unsafe void BackwardWeight(KernelPath path, in ConvShape s, ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, Span<float> gradWeight, Span<float> gradBias)
    {
        Check(path, s, input.Length, "input", gradWeight.Length, gradBias.Length, gradOutput.Length, "gradOutput");
        if (path == KernelPath.Scalar)
        {
            ReferenceKernels.ConvBackwardWeight(s, input, gradOutput, gradWeight, gradBias);
            return;
        }
        fixed (float* x = input, go = gradOutput, gw = gradWeight, gb = gradBias)
        {
            var pb = gradBias.IsEmpty ? null : gb;
            switch (path)
            {
                case KernelPath.Avx512: BackwardWeight<Avx512Ops, Vector512<float>>(s, x, go, gw, pb); break;
                case KernelPath.Avx2: BackwardWeight<Avx2Ops, Vector256<float>>(s, x, go, gw, pb); break;
                default: BackwardWeight<Vector128Ops, Vector128<float>>(s, x, go, gw, pb); break;
            }
        }
    }

    private static unsafe void Forward<TOps, TV>(in ConvShape s, float* x, float* w, float* b, float* y)
        where TOps : struct, ISimdOps<TV> where TV : struct
    {
        if (s.IsDepthwise) DepthwiseConv<TOps, TV>.Forward(s, x, w, b, y);
        else if (BatchedColumnsConv<TOps, TV>.AppliesToForward(s)) BatchedColumnsConv<TOps, TV>.Forward(s, x, w, b, y);
        else ImplicitGemmConv<TOps, TV>.Forward(s, x, w, b, y);
    }

    private static unsafe void BackwardInput<TOps, TV>(in ConvShape s, float* go, float* w, float* gi, bool accumulate)
        where TOps : struct, ISimdOps<TV> where TV : struct
    {
        if (s.IsDepthwise)
        {
            if (!accumulate) new Span<float>(gi, s.InputLength).Clear();
            DepthwiseConv<TOps, TV>.BackwardInput(s, go, w, gi);
        }
        else if (FlippedKernelGradient<TOps, TV>.Applies(s)) FlippedKernelGradient<TOps, TV>.BackwardInput(s, go, w, gi, accumulate);
        else BatchedColumnsConv<TOps, TV>.BackwardInput(s, go, w, gi, accumulate);
    }

    private static unsafe void BackwardWeight<TOps, TV>(in ConvShape s, float* x, float* go, float* gw, float* gb)
        where TOps : struct, ISimdOps<TV> where TV : struct
    {
        if (s.IsDepthwise) DepthwiseConv<TOps, TV>.BackwardWeight(s, x, go, gw, gb);
        else ImplicitGemmConv<TOps, TV>.BackwardWeight(s, x, go, gw, gb);
    }

    private static void Check(KernelPath path, in ConvShape s, int inputLength, string inputName, int weightLength, int biasLength, int outputLength, string outputName)
    {
        KernelPaths.Require(path);
        if (s.Batch < 1 || s.InChannels < 1 || s.OutChannels < 1 || s.InH < 1 || s.InW < 1 || s.KernelH < 1 || s.KernelW < 1)
            throw new ArgumentException($"convolution sizes must be positive: batch {s.Batch}, channels {s.InChannels}->{s.OutChannels}, input {s.InH}x{s.InW}, kernel {s.KernelH}x{s.KernelW}");
        if (s.StrideH < 1 || s.StrideW < 1 || s.PadH < 0 || s.PadW < 0)
            throw new ArgumentException($"convolution stride must be >= 1 and padding >= 0: stride {s.StrideH}x{s.StrideW}, padding {s.PadH}x{s.PadW}");
        s.Validate();
        KernelGuard.Length(inputName, inputLength, s.InputLength);
        KernelGuard.Length("weight", weightLength, s.WeightLength);
        KernelGuard.Length(outputName, outputLength, s.OutputLength);
        if (biasLength != 0) KernelGuard.Length("bias", biasLength, s.OutChannels);
    }
}
