using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The im2col matrix of a stride-1 padded convolution over the whole batch, read from zero-bordered planes
/// (<see cref="PaddedRowsPanelSource.Fill"/>): element(j, p) with j = n·OH·OW + y·OW + x and p = (ic, ky, kx) is
/// bordered[n, ic, y + ky, x + kx]. Like <see cref="Im2colPanelSource"/> a panel's lanes split into runs of one
/// output row, but the border stands in for the padding, so every run is a plain copy with no bounds to clamp.
/// For narrow rows, where computing at the padded width (<see cref="PaddedRowsPanelSource"/>) would waste too much.
/// </summary>
internal readonly unsafe struct BorderedIm2colPanelSource : IPanelSource
{
    private readonly float* _bordered;
    private readonly long _imageStride;
    private readonly int _planeSize, _rowStride, _kh, _kw, _oh, _ow;

    /// <param name="bordered">Channel 0 of the group in image 0; images follow every <paramref name="imageStride"/> floats.</param>
    public BorderedIm2colPanelSource(in ConvShape s, in PaddedRowsPanelSource planes, float* bordered, long imageStride)
    {
        _bordered = bordered;
        _imageStride = imageStride;
        (_planeSize, _rowStride) = (planes.PlaneSize, planes.RowStride);
        (_kh, _kw, _oh, _ow) = (s.KernelH, s.KernelW, s.OutH, s.OutW);
    }

    /// <summary>Ints per run of a panel: lane offset, length, offset of the run's first tap-(0, 0) input in the batch.</summary>
    private const int RunInts = 3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        var taps = _kh * _kw;
        var runs = stackalloc int[RunInts * panel];
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var runCount = Runs(runs, outer0 + t, n);
            var d = dst + t * kc;
            int ic = p0 / taps, ky = p0 % taps / _kw, kx = p0 % _kw;
            for (var p = 0; p < kc; p++, d += panel)
            {
                var tap = _bordered + (long)ic * _planeSize + ky * _rowStride + kx;
                for (var r = 0; r < runCount; r++)
                {
                    var e = runs + RunInts * r;
                    Im2colPanelSource.ShortCopy(d + e[0], tap + (uint)e[2], e[1]);
                }
                for (var o = n; o < panel; o++) d[o] = 0;
                if (++kx == _kw) { kx = 0; if (++ky == _kh) { ky = 0; ic++; } }
            }
        }
    }

    /// <summary>Splits output pixels j0..j0+n into per-row runs; returns how many.</summary>
    private int Runs(int* runs, int j0, int n)
    {
        var pixels = _oh * _ow;
        int image = j0 / pixels, y = j0 % pixels / _ow, x = j0 % _ow;
        var count = 0;
        for (var o = 0; o < n; count++)
        {
            var len = Math.Min(n - o, _ow - x);
            var e = runs + RunInts * count;
            (e[0], e[1], e[2]) = (o, len, checked((int)(image * _imageStride + (long)y * _rowStride + x)));
            o += len;
            x = 0;
            if (++y == _oh) { y = 0; image++; }
        }
        return count;
    }
}
