using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The im2col matrix of a group, gathered on the fly: element(j, p) with j = n·OH·OW + y·OW + x an output pixel
/// of image n and p = (ic, ky, kx) is input[n, ic, y·SH − PH + ky, x·SW − PW + kx], zero outside the image.
/// The B operand of the forward convolution; j stays inside image 0 when the caller convolves image by image.
/// The input is read in its <see cref="ColumnPhases"/> layout, so every tap of every stride copies contiguous runs.
/// </summary>
internal readonly unsafe struct Im2colPanelSource : IPanelSource
{
    private readonly float* _image;
    private readonly long _imageStride;
    private readonly ColumnPhases _phases;
    private readonly int _h, _kh, _kw, _sh, _ph, _oh, _ow;

    /// <param name="image">Channel 0 of the group in the first image, in <paramref name="phases"/>' layout;
    /// later images follow every <paramref name="imageStride"/> floats.</param>
    public Im2colPanelSource(in ConvShape s, in ColumnPhases phases, float* image, long imageStride)
    {
        _image = image;
        _imageStride = imageStride;
        _phases = phases;
        (_h, _kh, _kw, _sh, _ph, _oh, _ow) = (s.InH, s.KernelH, s.KernelW, s.StrideH, s.PadH, s.OutH, s.OutW);
    }

    /// <summary>Ints per segment of a panel: lane offset, length, image, first input row (before the tap), first output column.</summary>
    private const int SegmentInts = 5;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        var taps = _kh * _kw;
        // A panel's lanes split into runs from one output row each; find them once per panel, not once per tap.
        var segments = stackalloc int[SegmentInts * panel];
        // Where each kernel column reads in the phase layout: once per call, not a division per tap and panel.
        var columnTaps = stackalloc int[3 * _kw];
        for (var x = 0; x < _kw; x++) (columnTaps[3 * x], columnTaps[3 * x + 1], columnTaps[3 * x + 2]) = _phases.Tap(x);
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var segmentCount = Segments(segments, outer0 + t, n);
            var d = dst + t * kc;
            int ic = p0 / taps, ky = p0 % taps / _kw, kx = p0 % _kw;
            for (var p = 0; p < kc; p++, d += panel)
            {
                int shift = columnTaps[3 * kx + 1], slots = columnTaps[3 * kx + 2];
                var plane = _image + ic * _phases.PlaneSize + columnTaps[3 * kx];
                for (var i = 0; i < segmentCount; i++)
                {
                    var e = segments + SegmentInts * i;
                    var iy = e[3] + ky;
                    if ((uint)iy >= (uint)_h) new Span<float>(d + e[0], e[1]).Clear();
                    else CopyRun(d + e[0], plane + e[2] * _imageStride + (long)iy * _phases.RowStride, e[4] + shift, slots, e[1]);
                }
                for (var o = n; o < panel; o++) d[o] = 0;
                if (++kx == _kw) { kx = 0; if (++ky == _kh) { ky = 0; ic++; } }
            }
        }
    }

    /// <summary>Splits output pixels j0..j0+n into per-row runs; returns how many.</summary>
    private int Segments(int* segments, int j0, int n)
    {
        var pixels = _oh * _ow;
        int image = j0 / pixels, y = j0 % pixels / _ow, x = j0 % _ow;
        var count = 0;
        for (var o = 0; o < n; count++)
        {
            var len = Math.Min(n - o, _ow - x);
            var e = segments + SegmentInts * count;
            (e[0], e[1], e[2], e[3], e[4]) = (o, len, image, y * _sh - _ph, x);
            o += len;
            x = 0;
            if (++y == _oh) { y = 0; image++; }
        }
        return count;
    }

    /// <summary>d[q] = phaseRow[slot0 + q] for q &lt; len where the slot holds a real column (0 ≤ slot &lt; slots), else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* d, float* phaseRow, int slot0, int slots, int len)
    {
        var first = Math.Clamp(-slot0, 0, len);
        var end = Math.Clamp(slots - slot0, first, len);
        for (var q = 0; q < first; q++) d[q] = 0;
        ShortCopy(d + first, phaseRow + slot0 + first, end - first);
        for (var q = end; q < len; q++) d[q] = 0;
    }

    /// <summary>Copies a short run with whole vectors, the last one overlapping, instead of a memmove call per run.
    /// Bit-exact on every path, so it may use the widest vectors the machine runs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ShortCopy(float* d, float* s, int n)
    {
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            for (var i = 0; i < n - 16; i += 16) Vector512.Store(Vector512.Load(s + i), d + i);
            Vector512.Store(Vector512.Load(s + n - 16), d + n - 16);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            for (var i = 0; i < n - 8; i += 8) Vector256.Store(Vector256.Load(s + i), d + i);
            Vector256.Store(Vector256.Load(s + n - 8), d + n - 8);
        }
        else if (Vector128.IsHardwareAccelerated && n >= 4)
        {
            for (var i = 0; i < n - 4; i += 4) Vector128.Store(Vector128.Load(s + i), d + i);
            Vector128.Store(Vector128.Load(s + n - 4), d + n - 4);
        }
        else
        {
            for (var i = 0; i < n; i++) d[i] = s[i];
        }
    }
}
