using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The scatter half of the convolution input gradient: adds a column block col[(ic, ky, kx), j] back onto the
/// input planes it was gathered from. Overlapping patches add up, which is why this cannot live inside the GEMM.
/// </summary>
internal static unsafe class Col2Im<TOps, TV>
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    /// <summary>
    /// gradInput[n, ic, iy, ix] += col[(ic, ky, kx), j] for output pixels j = n·OH·OW + y·OW + x in [j0, j0 + width).
    /// <paramref name="gradImage"/> is channel 0 of the group in image 0; blocks may cross image boundaries.
    /// Only the group's input channels [<paramref name="icFrom"/>, <paramref name="icTo"/>) are touched, so
    /// disjoint channel ranges can run on different threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(in ConvShape s, float* col, int width, int j0, float* gradImage, int icFrom, int icTo)
    {
        int kh = s.KernelH, kw = s.KernelW, taps = kh * kw, h = s.InH, w = s.InW, oh = s.OutH, ow = s.OutW;
        var imageStride = (long)s.InChannels * h * w;
        var pixels = oh * ow;
        for (var r = icFrom * taps; r < icTo * taps; r++)
        {
            int ic = r / taps, ky = r % taps / kw, kx = r % kw;
            var src = col + (long)r * width;
            var plane = gradImage + j0 / pixels * imageStride + (long)ic * h * w;
            int y = j0 % pixels / ow, x = j0 % ow;
            for (var done = 0; done < width;)
            {
                var len = Math.Min(width - done, ow - x);
                var iy = y * s.StrideH - s.PadH + ky;
                if ((uint)iy < (uint)h)
                {
                    var row = plane + iy * w;
                    var ix0 = x * s.StrideW - s.PadW + kx;
                    if (s.StrideW == 1)
                    {
                        var lead = Math.Clamp(-ix0, 0, len);
                        var end = Math.Clamp(w - ix0, lead, len);
                        VectorKernels<TOps, TV>.AddInto(row + ix0 + lead, src + done + lead, end - lead);
                    }
                    else
                    {
                        for (var q = 0; q < len; q++)
                        {
                            var ix = ix0 + q * s.StrideW;
                            if ((uint)ix < (uint)w) row[ix] += src[done + q];
                        }
                    }
                }
                done += len;
                x = 0;
                if (++y == oh) { y = 0; plane += imageStride; }
            }
        }
    }
}
