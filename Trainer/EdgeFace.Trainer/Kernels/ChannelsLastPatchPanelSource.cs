using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The transposed im2col matrix of a whole batch (groups == 1) read from a channels-last copy of the input
/// (<see cref="ChannelsLastCopy"/>), with the patch index ordered tap-major: element(j, q) with j = (ky, kx, ic)
/// and q = (n, y, x) over all images is input[n, y·SH − PH + ky, x·SW − PW + kx, ic], zero outside the image.
/// A panel's lanes are consecutive input channels of one tap (or a few taps when channels are fewer than the
/// panel), so each output pixel packs as one contiguous copy per tap. The B operand of the weight gradient; the
/// result comes out [OC, (ky, kx, ic)] and is reordered into the weight layout by the caller.
/// </summary>
internal readonly unsafe struct ChannelsLastPatchPanelSource : IPanelSource
{
    private readonly float* _input;
    private readonly int _c, _h, _w, _kw, _sh, _sw, _ph, _pw, _oh, _ow;

    public ChannelsLastPatchPanelSource(in ConvShape s, float* channelsLastInput)
    {
        _input = channelsLastInput;
        (_c, _h, _w, _kw, _sh, _sw, _ph, _pw, _oh, _ow) =
            (s.InChannels, s.InH, s.InW, s.KernelW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.OutH, s.OutW);
    }

    /// <summary>Ints per run of lanes that share a tap: lane offset, length, first channel, ky, kx.</summary>
    private const int RunInts = 5;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        var runs = stackalloc int[RunInts * panel];
        var pixels = _oh * _ow;
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            var runCount = Runs(runs, outer0 + t, n);
            int img = p0 / pixels, y = p0 % pixels / _ow, x = p0 % _ow;
            for (var q = 0; q < kc; q++, d += panel)
            {
                int iyBase = y * _sh - _ph, ixBase = x * _sw - _pw;
                var image = _input + (long)img * _h * _w * _c;
                for (var r = 0; r < runCount; r++)
                {
                    var e = runs + RunInts * r;
                    int iy = iyBase + e[3], ix = ixBase + e[4];
                    if ((uint)iy < (uint)_h && (uint)ix < (uint)_w)
                        Im2colPanelSource.ShortCopy(d + e[0], image + ((long)iy * _w + ix) * _c + e[2], e[1]);
                    else
                        new Span<float>(d + e[0], e[1]).Clear();
                }
                for (var o = n; o < panel; o++) d[o] = 0;
                if (++x == _ow) { x = 0; if (++y == _oh) { y = 0; img++; } }
            }
        }
    }

    /// <summary>Splits lanes j0..j0+n into runs of one tap each; returns how many.</summary>
    private int Runs(int* runs, int j0, int n)
    {
        var count = 0;
        for (var o = 0; o < n; count++)
        {
            int j = j0 + o, tap = j / _c, ic = j % _c;
            var len = Math.Min(n - o, _c - ic);
            var e = runs + RunInts * count;
            (e[0], e[1], e[2], e[3], e[4]) = (o, len, ic, tap / _kw, tap % _kw);
            o += len;
        }
        return count;
    }
}
