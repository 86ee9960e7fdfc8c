using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The transposed im2col matrix of a whole batch for one group, gathered on the fly: element(j, q) with
/// j = (ic, ky, kx) and q = (n, y, x) over all images is input[n, g·icg + ic, y·SH − PH + ky, x·SW − PW + kx].
/// The B operand of the weight gradient, whose k dimension runs over every output pixel of the batch.
/// With stride 1, four columns at a time are packed by 4×4 register transposes over the part of each output-row
/// run that is inside the image for all four; the rest goes element by element.
/// </summary>
internal readonly unsafe struct Im2colTransposedPanelSource : IPanelSource
{
    private readonly float* _group;
    private readonly int _h, _w, _kh, _kw, _sh, _sw, _ph, _pw, _oh, _ow, _imageStride;

    /// <param name="group">Image 0, channel 0 of the group.</param>
    public Im2colTransposedPanelSource(in ConvShape s, float* group)
    {
        _group = group;
        (_h, _w, _kh, _kw, _sh, _sw, _ph, _pw, _oh, _ow) = (s.InH, s.InW, s.KernelH, s.KernelW, s.StrideH, s.StrideW, s.PadH, s.PadW, s.OutH, s.OutW);
        _imageStride = s.InChannels * s.InH * s.InW;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            var o = 0;
            if (_sw == 1 && Sse.IsSupported)
                for (; o + 4 <= n; o += 4) PackFourColumns(d + o, panel, outer0 + t + o, p0, kc);
            for (; o < n; o++) PackColumn(d + o, panel, outer0 + t + o, p0, kc);
            for (o = n; o < panel; o++)
                for (var p = 0; p < kc; p++) d[p * panel + o] = 0;
        }
    }

    /// <summary>col[q·panel] = element(j, p0 + q) for q &lt; kc, walking output-row runs.</summary>
    private void PackColumn(float* col, int panel, int j, int p0, int kc)
    {
        var taps = _kh * _kw;
        var pixels = _oh * _ow;
        int ic = j / taps, ky = j % taps / _kw, kx = j % _kw;
        int img = p0 / pixels, pix = p0 % pixels;
        int y = pix / _ow, x = pix % _ow;
        for (var done = 0; done < kc;)
        {
            var len = Math.Min(kc - done, _ow - x);
            var iy = y * _sh - _ph + ky;
            var target = col + done * panel;
            if ((uint)iy >= (uint)_h)
            {
                for (var q = 0; q < len; q++) target[q * panel] = 0;
            }
            else
            {
                var row = _group + (long)img * _imageStride + ((long)ic * _h + iy) * _w;
                var ix = x * _sw - _pw + kx;
                for (var q = 0; q < len; q++, ix += _sw) target[q * panel] = (uint)ix < (uint)_w ? row[ix] : 0;
            }
            done += len;
            x = 0;
            if (++y == _oh) { y = 0; img++; }
        }
    }

    /// <summary>Columns j..j+3 at once (stride 1 only): transposes where all four are inside the image.</summary>
    private void PackFourColumns(float* cols, int panel, int j, int p0, int kc)
    {
        var taps = _kh * _kw;
        var pixels = _oh * _ow;
        var plane = (long)_h * _w;
        // Per column: its input channel plane offset, ky and kx.
        long c0 = j / taps * plane, c1 = (j + 1) / taps * plane, c2 = (j + 2) / taps * plane, c3 = (j + 3) / taps * plane;
        int ky0 = j % taps / _kw, ky1 = (j + 1) % taps / _kw, ky2 = (j + 2) % taps / _kw, ky3 = (j + 3) % taps / _kw;
        int kx0 = j % _kw, kx1 = (j + 1) % _kw, kx2 = (j + 2) % _kw, kx3 = (j + 3) % _kw;
        int img = p0 / pixels, pix = p0 % pixels;
        int y = pix / _ow, x = pix % _ow;
        for (var done = 0; done < kc;)
        {
            var len = Math.Min(kc - done, _ow - x);
            var target = cols + done * panel;
            var image = _group + (long)img * _imageStride;
            var iyBase = y * _sh - _ph;
            int iy0 = iyBase + ky0, iy1 = iyBase + ky1, iy2 = iyBase + ky2, iy3 = iyBase + ky3;
            if ((uint)iy0 < (uint)_h && (uint)iy1 < (uint)_h && (uint)iy2 < (uint)_h && (uint)iy3 < (uint)_h)
            {
                // Input column of run position q for column i is x − PW + kx_i + q; valid where inside [0, W).
                var ixBase = x - _pw;
                int a0 = ixBase + kx0, a1 = ixBase + kx1, a2 = ixBase + kx2, a3 = ixBase + kx3;
                var lo = Math.Clamp(-Math.Min(Math.Min(a0, a1), Math.Min(a2, a3)), 0, len);
                var hi = Math.Max(lo, Math.Min(len, _w - Math.Max(Math.Max(a0, a1), Math.Max(a2, a3))));
                float* r0 = image + c0 + (long)iy0 * _w + a0, r1 = image + c1 + (long)iy1 * _w + a1;
                float* r2 = image + c2 + (long)iy2 * _w + a2, r3 = image + c3 + (long)iy3 * _w + a3;
                if (hi > lo) TransposePacker.PackFour(target + lo * panel, panel, r0 + lo, r1 + lo, r2 + lo, r3 + lo, hi - lo);
                for (var q = 0; q < len; q++)
                {
                    if (q == lo && hi > lo) { q = hi - 1; continue; }
                    var e = target + q * panel;
                    e[0] = (uint)(a0 + q) < (uint)_w ? r0[q] : 0;
                    e[1] = (uint)(a1 + q) < (uint)_w ? r1[q] : 0;
                    e[2] = (uint)(a2 + q) < (uint)_w ? r2[q] : 0;
                    e[3] = (uint)(a3 + q) < (uint)_w ? r3[q] : 0;
                }
            }
            else
            {
                WriteRun(target, panel, image + c0, iy0, x - _pw + kx0, len);
                WriteRun(target + 1, panel, image + c1, iy1, x - _pw + kx1, len);
                WriteRun(target + 2, panel, image + c2, iy2, x - _pw + kx2, len);
                WriteRun(target + 3, panel, image + c3, iy3, x - _pw + kx3, len);
            }
            done += len;
            x = 0;
            if (++y == _oh) { y = 0; img++; }
        }
    }

    /// <summary>One column's stride-1 run with full bounds checks.</summary>
    private void WriteRun(float* target, int panel, float* channelPlane, int iy, int ix, int len)
    {
        if ((uint)iy >= (uint)_h)
        {
            for (var q = 0; q < len; q++) target[q * panel] = 0;
            return;
        }
        var row = channelPlane + (long)iy * _w;
        for (var q = 0; q < len; q++, ix++) target[q * panel] = (uint)ix < (uint)_w ? row[ix] : 0;
    }
}
