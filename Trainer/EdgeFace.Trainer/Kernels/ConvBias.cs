using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>gradBias[oc] += Σ over images and pixels of gradOutput[n, oc, ·].</summary>
internal static unsafe class ConvBias<TOps, TV>
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(in ConvShape s, float* gradOutput, float* gradBias)
    {
        var pixels = s.OutH * s.OutW;
        for (var oc = 0; oc < s.OutChannels; oc++)
        {
            var sum = 0f;
            for (var n = 0; n < s.Batch; n++)
                sum += VectorKernels<TOps, TV>.Sum(gradOutput + ((long)n * s.OutChannels + oc) * pixels, pixels);
            gradBias[oc] += sum;
        }
    }
}
