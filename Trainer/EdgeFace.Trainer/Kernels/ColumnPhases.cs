namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Input planes with each row's columns dealt into SW phases: phase φ holds columns φ, φ+SW, φ+2·SW, … side by
/// side, so the input columns a strided convolution tap reads for consecutive output columns are contiguous
/// (and can be copied by vectors) instead of SW apart. With stride 1 the layout is the plane itself.
/// </summary>
internal readonly struct ColumnPhases
{
    public readonly int Stride, PhaseWidth, RowStride;
    public readonly long PlaneSize;

    public ColumnPhases(in ConvShape s)
    {
        Stride = s.StrideW;
        PhaseWidth = (s.InW + Stride - 1) / Stride;
        RowStride = Stride == 1 ? s.InW : Stride * PhaseWidth;
        PlaneSize = (long)s.InH * RowStride;
    }

    public bool IsIdentity => Stride == 1;

    /// <summary>Deals <paramref name="planes"/> consecutive H×W planes from <paramref name="src"/> into <paramref name="dst"/>
    /// (PlaneSize floats each). Slots past a short phase's end are never read.</summary>
    public unsafe void Build(float* src, int planes, int h, int w, float* dst)
    {
        for (var p = 0; p < planes; p++)
        for (var y = 0; y < h; y++)
        {
            var row = src + ((long)p * h + y) * w;
            var target = dst + p * PlaneSize + (long)y * RowStride;
            for (var phase = 0; phase < Stride; phase++)
            {
                var d = target + phase * PhaseWidth;
                for (var x = phase; x < w; x += Stride) *d++ = row[x];
            }
        }
    }
}
