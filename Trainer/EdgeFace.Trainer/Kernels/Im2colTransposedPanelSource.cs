namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The transposed im2col matrix of a whole batch for one group, gathered on the fly: element(j, q) with
/// j = (ic, ky, kx) and q = (n, y, x) over all images is input[n, g·icg + ic, y·SH − PH + ky, x·SW − PW + kx].
/// The B operand of the weight gradient, whose k dimension runs over every output pixel of the batch.
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

    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        var taps = _kh * _kw;
        var pixels = _oh * _ow;
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            for (var o = 0; o < n; o++)
            {
                var j = outer0 + t + o;
                int ic = j / taps, ky = j % taps / _kw, kx = j % _kw;
                int img = p0 / pixels, pix = p0 % pixels;
                int y = pix / _ow, x = pix % _ow;
                var col = d + o;
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
            for (var o = n; o < panel; o++)
                for (var p = 0; p < kc; p++) d[p * panel + o] = 0;
        }
    }
}
