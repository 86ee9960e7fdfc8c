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
        if (KeepsPlane(s))
        {
            AddKeepingPlane(s, col, width, j0, gradImage, icFrom, icTo);
            return;
        }
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

    /// <summary>Most floats of column masks <see cref="AddKeepingPlane"/> keeps on the stack; wider planes have rows
    /// long enough for the per-row loop.</summary>
    private const int MaxMaskFloats = 4096;

    /// <summary>Stride 1 with an output plane the size of the input plane (3×3 pad 1, 5×5 pad 2, …), small enough.</summary>
    private static bool KeepsPlane(in ConvShape s) =>
        s is { StrideH: 1, StrideW: 1 } && s.OutH == s.InH && s.OutW == s.InW && s.KernelW * s.InH * s.InW <= MaxMaskFloats;

    /// <summary>
    /// <see cref="Add"/> for planes the convolution keeps: tap (ky, kx) moves every pixel of a plane by one flat
    /// offset, so each tap of each image is one vector pass over the plane, whose lanes span several rows, instead of a
    /// short run per row (4 to 14 floats on ResNet's deep layers). Lanes whose column would wrap into the next row are
    /// kept as they were by a per-column mask. Every element still gets its taps added one by one in tap order,
    /// so the result is bit-identical to the per-row loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void AddKeepingPlane(in ConvShape s, float* col, int width, int j0, float* gradImage, int icFrom, int icTo)
    {
        int kh = s.KernelH, kw = s.KernelW, taps = kh * kw, h = s.InH, w = s.InW, plane = h * w;
        var imageStride = (long)s.InChannels * plane;
        // masks[kx·plane + q] is 1 where pixel q's column moved by the tap's dx stays in its row, else 0.
        var masks = stackalloc float[kw * plane];
        for (var kx = 0; kx < kw; kx++)
        for (var q = 0; q < plane; q++)
            masks[kx * plane + q] = (uint)(q % w + kx - s.PadW) < (uint)w ? 1f : 0f;
        int firstImage = j0 / plane, lastImage = (j0 + width - 1) / plane;
        for (var r = icFrom * taps; r < icTo * taps; r++)
        {
            int ic = r / taps, dy = r % taps / kw - s.PadH, kx = r % kw;
            var shift = dy * w + kx - s.PadW;
            // Rows whose moved copy stays inside the plane, narrowed so no lane (masked or not) leaves the plane:
            // another thread may own the neighbouring channel.
            int from = Math.Max(Math.Max(0, -dy) * w, -shift), to = Math.Min((h - Math.Max(0, dy)) * w, plane - shift);
            var src = col + (long)r * width;
            var mask = masks + kx * plane;
            for (var n = firstImage; n <= lastImage; n++)
            {
                var start = n * plane - j0; // column of the image's pixel 0 in the block (negative when it began earlier)
                AddMasked(gradImage + n * imageStride + (long)ic * plane + shift, src + start, mask,
                    Math.Max(from, -start), Math.Min(to, width - start));
            }
        }
    }

    /// <summary>dst[q] += src[q] where mask[q] &gt; 0, for q in [from, to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddMasked(float* dst, float* src, float* mask, int from, int to)
    {
        var q = from;
        for (; q + TOps.Width <= to; q += TOps.Width)
        {
            var g = TOps.Load(dst + q);
            TOps.Store(dst + q, TOps.SelectPositive(TOps.Load(mask + q), TOps.Add(g, TOps.Load(src + q)), g));
        }
        for (; q < to; q++)
            if (mask[q] > 0) dst[q] += src[q];
    }
}
