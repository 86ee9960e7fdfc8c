namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Geometry of a 2-D convolution over NCHW tensors. Weights are [OutChannels, InChannels/Groups, KernelH, KernelW].
/// Depthwise is Groups == InChannels == OutChannels.
/// </summary>
public readonly record struct ConvShape(
    int Batch, int InChannels, int InH, int InW,
    int OutChannels, int KernelH, int KernelW,
    int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0, int Groups = 1)
{
    public int OutH => (InH + 2 * PadH - KernelH) / StrideH + 1;
    public int OutW => (InW + 2 * PadW - KernelW) / StrideW + 1;
    public int InPerGroup => InChannels / Groups;
    public int OutPerGroup => OutChannels / Groups;
    public bool IsDepthwise => Groups == InChannels && Groups == OutChannels;
    public int InputLength => Batch * InChannels * InH * InW;
    public int OutputLength => Batch * OutChannels * OutH * OutW;
    public int WeightLength => OutChannels * InPerGroup * KernelH * KernelW;

    public void Validate()
    {
        if (Groups <= 0 || InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw new ArgumentException($"channels {InChannels}->{OutChannels} not divisible by groups {Groups}");
        if (OutH <= 0 || OutW <= 0)
            throw new ArgumentException($"kernel {KernelH}x{KernelW} stride {StrideH} pad {PadH} does not fit input {InH}x{InW}");
    }
}
