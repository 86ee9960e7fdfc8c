using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The im2col matrix of a group, gathered on the fly: element(j, p) with j = n·OH·OW + y·OW + x an output pixel
/// of image n and p = (ic, ky, kx) is input[n, ic, y·SH − PH + ky, x·SW − PW + kx], zero outside the image.
/// The B operand of the forward convolution; j stays inside image 0 when the caller convolves image by image.
/// </summary>
internal readonly unsafe struct Im2colPanelSource : IPanelSource
{
    private readonly float* _image;
    private readonly long _imageStride;
    private readonly int _h, _w, _kh, _kw, _sh, _sw, _ph, _pw, _oh, _ow;

    /// <param name="image">Channel 0 of the group in the first image ([icg, H, W]); later images follow every C·H·W floats.</param>
    public Im2colPanelSource(in ConvShape s, float* image)
    {
        _image = image;
        _imageStride = (long)s.InChannels * s.InH * s.InW;
        (_h, _w, _kh, _kw, _sh, _sw, _ph, _pw, _oh, _ow) = (s.InH, s.InW, s.KernelH, s.KernelW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.OutH, s.OutW);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        var taps = _kh * _kw;
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            int ic = p0 / taps, ky = p0 % taps / _kw, kx = p0 % _kw;
            for (var p = 0; p < kc; p++, d += panel)
            {
                FillRow(d, outer0 + t, n, ic, ky, kx);
                for (var o = n; o < panel; o++) d[o] = 0;
                if (++kx == _kw) { kx = 0; if (++ky == _kh) { ky = 0; ic++; } }
            }
        }
    }

    /// <summary>d[0..n) = patch values of tap (ic, ky, kx) for output pixels j0..j0+n, walked row segment by row segment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FillRow(float* d, int j0, int n, int ic, int ky, int kx)
    {
        var pixels = _oh * _ow;
        int image = j0 / pixels, y = j0 % pixels / _ow, x = j0 % _ow;
        var plane = _image + image * _imageStride + (long)ic * _h * _w;
        while (n > 0)
        {
            var len = Math.Min(n, _ow - x);
            var iy = y * _sh - _ph + ky;
            if ((uint)iy >= (uint)_h)
                new Span<float>(d, len).Clear();
            else
                GatherSegment(d, plane + iy * _w, x * _sw - _pw + kx, len);
            d += len; n -= len; x = 0;
            if (++y == _oh) { y = 0; plane += _imageStride; }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GatherSegment(float* d, float* row, int ix0, int len)
    {
        // Output positions q whose input column ix0 + q·SW lies inside the row: [first, end); zeros elsewhere.
        var first = ix0 >= 0 ? 0 : Math.Min(len, (-ix0 + _sw - 1) / _sw);
        var end = Math.Max(first, Math.Min(len, (_w - ix0 + _sw - 1) / _sw));
        for (var q = 0; q < first; q++) d[q] = 0;
        if (_sw == 1)
        {
            Unsafe.CopyBlockUnaligned(d + first, row + ix0 + first, (uint)((end - first) * sizeof(float)));
        }
        else
        {
            var src = row + ix0 + first * _sw;
            for (var q = first; q < end; q++, src += _sw) d[q] = *src;
        }
        for (var q = end; q < len; q++) d[q] = 0;
    }
}
