namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Convolution entry points used by the layers. Forward overwrites its output; both backward passes
/// accumulate (+=) into their gradients, so a caller zeroes gradients once per step.
/// (Fast implicit-GEMM and direct depthwise paths live behind these entry points.)
/// </summary>
public static class Conv2dKernels
{
    public static void Forward(in ConvShape s, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
        => ReferenceKernels.ConvForward(s, input, weight, bias, output);

    public static void BackwardInput(in ConvShape s, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput)
        => ReferenceKernels.ConvBackwardInput(s, gradOutput, weight, gradInput);

    public static void BackwardWeight(in ConvShape s, ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, Span<float> gradWeight, Span<float> gradBias)
        => ReferenceKernels.ConvBackwardWeight(s, input, gradOutput, gradWeight, gradBias);
}
