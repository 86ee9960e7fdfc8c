using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// A channel range of an NCHW batch as the B operand of a GEMM whose columns run over every pixel of every image:
/// element(q, c) with q = n·plane + pixel is tensor[n, channel0 + c, pixel]. Packing copies contiguous pixel runs (inline: a memmove call per 16-pixel run of a 4×4 plane cost more than the copy),
/// crossing image boundaries inside a panel. The output-gradient operand of the batched input gradient, and the
/// input operand of batched 1×1 convolutions.
/// </summary>
internal readonly unsafe struct BatchedColumnsPanelSource(float* tensor, int channels, int channel0, int plane) : IPanelSource
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            int img0 = (outer0 + t) / plane, pix0 = (outer0 + t) % plane;
            for (var p = 0; p < kc; p++, d += panel)
            {
                var channel = channel0 + p0 + p;
                for (int o = 0, img = img0, pix = pix0; o < n; img++, pix = 0)
                {
                    var len = Math.Min(n - o, plane - pix);
                    Im2colPanelSource.ShortCopy(d + o, tensor + ((long)img * channels + channel) * plane + pix, len);
                    o += len;
                }
                for (var o = n; o < panel; o++) d[o] = 0;
            }
        }
    }
}
