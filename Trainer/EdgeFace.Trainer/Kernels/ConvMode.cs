namespace EdgeFace.Trainer.Kernels;

internal enum ConvMode
{
    Forward,
    BackwardInput,
    BackwardWeight,
}
