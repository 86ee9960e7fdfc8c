namespace EdgeFace.Trainer.Kernels;

internal enum ConvMode
{
    Forward,
    /// <summary>Forward adding into the output instead of overwriting it (an input gradient run as a forward pass).</summary>
    ForwardAccumulate,
    BackwardInput,
    BackwardWeight,
}
