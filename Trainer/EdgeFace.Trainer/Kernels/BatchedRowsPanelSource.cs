using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// A channel range of an NCHW batch seen as a matrix whose columns run over every pixel of every image:
/// element(c, q) with q = n·plane + pixel is tensor[n, channel0 + c, pixel]. The gradient-of-output operand
/// of the weight gradient (and the input operand for 1×1 convolutions), contracting over the whole batch.
/// </summary>
internal readonly unsafe struct BatchedRowsPanelSource(float* tensor, int channels, int channel0, int plane) : IPanelSource
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            int img = p0 / plane, pix = p0 % plane;
            for (var done = 0; done < kc;)
            {
                var len = Math.Min(kc - done, plane - pix);
                var target = d + done * panel;
                TransposePacker.Pack(target, panel, tensor + ((long)img * channels + channel0 + outer0 + t) * plane + pix, plane, n, len);
                for (var o = n; o < panel; o++)
                    for (var q = 0; q < len; q++) target[q * panel + o] = 0;
                done += len;
                pix = 0;
                img++;
            }
        }
    }
}
