using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The transposed im2col matrix of a whole batch for one group, gathered on the fly: element(j, q) with
/// j = (ic, ky, kx) and q = (n, y, x) over all images is input[n, g·icg + ic, y·SH − PH + ky, x·SW − PW + kx].
/// The B operand of the weight gradient, whose k dimension runs over every output pixel of the batch.
/// The input is read in its <see cref="ColumnPhases"/> layout, where every tap's run of consecutive output
/// columns is contiguous for any stride: four columns at a time are packed by 4×4 register transposes over the
/// part of each run that is inside the image for all four; the rest goes element by element.
/// </summary>
internal readonly unsafe struct Im2colTransposedPanelSource : IPanelSource
{
    private readonly float* _group;
    private readonly long _imageStride;
    private readonly ColumnPhases _phases;
    private readonly int _h, _kh, _kw, _sh, _ph, _oh, _ow;

    /// <param name="group">Image 0, channel 0 of the group, in <paramref name="phases"/>' layout; images follow every
    /// <paramref name="imageStride"/> floats.</param>
    public Im2colTransposedPanelSource(in ConvShape s, in ColumnPhases phases, float* group, long imageStride)
    {
        _group = group;
        _imageStride = imageStride;
        _phases = phases;
        (_h, _kh, _kw, _sh, _ph, _oh, _ow) = (s.InH, s.KernelH, s.KernelW, s.StrideH, s.PadH, s.OutH, s.OutW);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            var o = 0;
            if (Sse.IsSupported)
                for (; o + 4 <= n; o += 4) PackFourColumns(d + o, panel, outer0 + t + o, p0, kc);
            for (; o < n; o++) PackColumn(d + o, panel, outer0 + t + o, p0, kc);
            for (o = n; o < panel; o++)
                for (var p = 0; p < kc; p++) d[p * panel + o] = 0;
        }
    }

    /// <summary>Where column j = (ic, ky, kx) reads: its channel plane plus phase offset, its ky, the slot shift
    /// (output column x reads slot x + shift of the phase row) and how many slots hold real input columns.</summary>
    private (long Offset, int Ky, int Shift, int Slots) Tap(int j)
    {
        var taps = _kh * _kw;
        int ic = j / taps, ky = j % taps / _kw, kx = j % _kw;
        var (offset, shift, slots) = _phases.Tap(kx);
        return (ic * _phases.PlaneSize + offset, ky, shift, slots);
    }

    /// <summary>col[q·panel] = element(j, p0 + q) for q &lt; kc, walking output-row runs.</summary>
    private void PackColumn(float* col, int panel, int j, int p0, int kc)
    {
        var (offset, ky, shift, slots) = Tap(j);
        var pixels = _oh * _ow;
        int img = p0 / pixels, pix = p0 % pixels;
        int y = pix / _ow, x = pix % _ow;
        for (var done = 0; done < kc;)
        {
            var len = Math.Min(kc - done, _ow - x);
            WriteRun(col + done * panel, panel, _group + img * _imageStride + offset, y * _sh - _ph + ky, x + shift, slots, len);
            done += len;
            x = 0;
            if (++y == _oh) { y = 0; img++; }
        }
    }

    /// <summary>Columns j..j+3 at once: transposes where all four are inside the image.</summary>
    private void PackFourColumns(float* cols, int panel, int j, int p0, int kc)
    {
        var (c0, ky0, s0, n0) = Tap(j);
        var (c1, ky1, s1, n1) = Tap(j + 1);
        var (c2, ky2, s2, n2) = Tap(j + 2);
        var (c3, ky3, s3, n3) = Tap(j + 3);
        var pixels = _oh * _ow;
        int img = p0 / pixels, pix = p0 % pixels;
        int y = pix / _ow, x = pix % _ow;
        for (var done = 0; done < kc;)
        {
            var len = Math.Min(kc - done, _ow - x);
            var target = cols + done * panel;
            var image = _group + img * _imageStride;
            var iyBase = y * _sh - _ph;
            int iy0 = iyBase + ky0, iy1 = iyBase + ky1, iy2 = iyBase + ky2, iy3 = iyBase + ky3;
            if ((uint)iy0 < (uint)_h && (uint)iy1 < (uint)_h && (uint)iy2 < (uint)_h && (uint)iy3 < (uint)_h)
            {
                // Run position q of column i reads slot a_i + q; valid where inside [0, slots_i).
                int a0 = x + s0, a1 = x + s1, a2 = x + s2, a3 = x + s3;
                var lo = Math.Clamp(-Math.Min(Math.Min(a0, a1), Math.Min(a2, a3)), 0, len);
                var hi = Math.Max(lo, Math.Min(len, Math.Min(Math.Min(n0 - a0, n1 - a1), Math.Min(n2 - a2, n3 - a3))));
                float* r0 = image + c0 + (long)iy0 * _phases.RowStride + a0, r1 = image + c1 + (long)iy1 * _phases.RowStride + a1;
                float* r2 = image + c2 + (long)iy2 * _phases.RowStride + a2, r3 = image + c3 + (long)iy3 * _phases.RowStride + a3;
                if (hi > lo) TransposePacker.PackFour(target + lo * panel, panel, r0 + lo, r1 + lo, r2 + lo, r3 + lo, hi - lo);
                for (var q = 0; q < len; q++)
                {
                    if (q == lo && hi > lo) { q = hi - 1; continue; }
                    var e = target + q * panel;
                    e[0] = (uint)(a0 + q) < (uint)n0 ? r0[q] : 0;
                    e[1] = (uint)(a1 + q) < (uint)n1 ? r1[q] : 0;
                    e[2] = (uint)(a2 + q) < (uint)n2 ? r2[q] : 0;
                    e[3] = (uint)(a3 + q) < (uint)n3 ? r3[q] : 0;
                }
            }
            else
            {
                WriteRun(target, panel, image + c0, iy0, x + s0, n0, len);
                WriteRun(target + 1, panel, image + c1, iy1, x + s1, n1, len);
                WriteRun(target + 2, panel, image + c2, iy2, x + s2, n2, len);
                WriteRun(target + 3, panel, image + c3, iy3, x + s3, n3, len);
            }
            done += len;
            x = 0;
            if (++y == _oh) { y = 0; img++; }
        }
    }

    /// <summary>One column's run with full bounds checks: slots slot0.. of input row iy of a phase plane.</summary>
    private void WriteRun(float* target, int panel, float* phasePlane, int iy, int slot0, int slots, int len)
    {
        if ((uint)iy >= (uint)_h)
        {
            for (var q = 0; q < len; q++) target[q * panel] = 0;
            return;
        }
        var row = phasePlane + (long)iy * _phases.RowStride;
        for (var q = 0; q < len; q++, slot0++) target[q * panel] = (uint)slot0 < (uint)slots ? row[slot0] : 0;
    }
}
