using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The im2col matrix of one image of a stride-1 convolution, read from a zero-bordered copy of its planes
/// ((H + 2·PH) × (W + 2·PW) each) and computed at the padded width: column j = y·Wp + x for output rows y and
/// x in [0, Wp), of which only x &lt; OW are real. Then every tap (ic, ky, kx) of 32 consecutive columns is one
/// contiguous run, padded[ic, ky·Wp + kx + j], and packing is a plain copy: no per-row segments, no bounds.
/// Worth it where the extra Wp − OW columns are few (wide rows); <see cref="Im2colPanelSource"/> serves the rest.
/// </summary>
internal readonly unsafe struct PaddedRowsPanelSource : IPanelSource
{
    private readonly float* _padded;
    private readonly int _h, _w, _ph, _pw, _kh, _kw;

    /// <summary>Floats per padded row.</summary>
    public int RowStride { get; }
    /// <summary>Floats per zero-bordered plane.</summary>
    public int PlaneSize => (_h + 2 * _ph) * RowStride;

    public PaddedRowsPanelSource(in ConvShape s, float* padded = null)
    {
        (_h, _w, _ph, _pw, _kh, _kw) = (s.InH, s.InW, s.PadH, s.PadW, s.KernelH, s.KernelW);
        RowStride = s.InW + 2 * s.PadW;
        _padded = padded;
    }

    private PaddedRowsPanelSource(in PaddedRowsPanelSource shape, float* padded)
    {
        (_h, _w, _ph, _pw, _kh, _kw, RowStride) = (shape._h, shape._w, shape._ph, shape._pw, shape._kh, shape._kw, shape.RowStride);
        _padded = padded;
    }

    /// <summary>Stride 1 with padding, and rows wide enough that the padded width adds at most about 7.5% columns.</summary>
    public static bool Applies(in ConvShape s) =>
        s is { StrideH: 1, StrideW: 1 } && (s.PadH > 0 || s.PadW > 0) && s.KernelH * s.KernelW > 1
        && 40L * s.OutW >= 37L * (s.InW + 2 * s.PadW);

    /// <summary>Floats for <paramref name="planes"/> padded planes plus the slack the discarded columns of the last rows read.</summary>
    public int Length(int planes) => planes * PlaneSize + 2 * RowStride;

    /// <summary>The same geometry reading <paramref name="padded"/>.</summary>
    public PaddedRowsPanelSource At(float* padded) => new(this, padded);

    /// <summary>Copies <paramref name="planes"/> H×W planes into zero-bordered ones (and zeroes the slack), split over
    /// the pool by plane when there are many (a whole batch): on one thread the copy held up the other core.</summary>
    public void Fill(float* image, int planes, float* padded)
    {
        new Span<float>(padded + (long)planes * PlaneSize, 2 * RowStride).Clear();
        if (KernelThreads.Count > 1 && planes > 1 && (long)planes * PlaneSize >= 1 << 16 && !KernelParallel.IsInsideTask)
            FillWork.Run(this, image, planes, padded);
        else
            FillPlanes(image, 0, planes, padded);
    }

    /// <summary>Planes [from, to): cleared, then their rows copied inside the border; nothing outside them is written.</summary>
    private void FillPlanes(float* image, int from, int to, float* padded)
    {
        new Span<float>(padded + (long)from * PlaneSize, (to - from) * PlaneSize).Clear();
        for (var c = from; c < to; c++)
        for (var y = 0; y < _h; y++)
        {
            var src = image + ((long)c * _h + y) * _w;
            var dst = padded + (long)c * PlaneSize + (long)(y + _ph) * RowStride + _pw;
            new ReadOnlySpan<float>(src, _w).CopyTo(new Span<float>(dst, _w));
        }
    }

    /// <summary>Plane ranges of one <see cref="Fill"/> over the pool; cached per calling thread, so calls allocate nothing.</summary>
    private sealed class FillWork : PlaneRangeWork
    {
        [ThreadStatic] private static FillWork? _cached;
        private PaddedRowsPanelSource _source;
        private float* _image, _padded;

        public static void Run(in PaddedRowsPanelSource source, float* image, int planes, float* padded)
        {
            var work = _cached ??= new FillWork();
            work._source = source;
            work._image = image;
            work._padded = padded;
            try
            {
                work.RunRanges(planes);
            }
            finally
            {
                work._image = work._padded = null;
            }
        }

        protected override void Range(int from, int to) => _source.FillPlanes(_image, from, to, _padded);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        var taps = _kh * _kw;
        var plane = PlaneSize;
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            int ic = p0 / taps, ky = p0 % taps / _kw, kx = p0 % _kw;
            var column = _padded + outer0 + t;
            for (var p = 0; p < kc; p++, d += panel)
            {
                Im2colPanelSource.ShortCopy(d, column + (long)ic * plane + ky * RowStride + kx, n);
                for (var o = n; o < panel; o++) d[o] = 0;
                if (++kx == _kw) { kx = 0; if (++ky == _kh) { ky = 0; ic++; } }
            }
        }
    }
}
