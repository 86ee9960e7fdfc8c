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
    private readonly int _width, _pad, _kernel;

    public ColumnPhases(in ConvShape s)
    {
        (_width, _pad, _kernel) = (s.InW, s.PadW, s.KernelW);
        Stride = s.StrideW;
        PhaseWidth = (s.InW + Stride - 1) / Stride;
        RowStride = Stride == 1 ? s.InW : Stride * PhaseWidth;
        PlaneSize = (long)s.InH * RowStride;
    }

    public bool IsIdentity => Stride == 1;

    /// <summary>Where kernel column <paramref name="kx"/> reads: output column x reads slot x + Shift of the phase row
    /// that starts Offset floats into a row; only slots [0, Slots) hold real input columns (the rest is padding).</summary>
    public (int Offset, int Shift, int Slots) Tap(int kx)
    {
        // Input column x·SW + (kx − PW) = SW·(x + shift) + phase, with 0 ≤ phase < SW.
        var shift = Math.DivRem(kx - _pad + Stride * _kernel, Stride, out var phase) - _kernel;
        return (phase * PhaseWidth, shift, (_width - phase + Stride - 1) / Stride);
    }

    /// <summary>Deals <paramref name="planes"/> consecutive H×W planes from <paramref name="src"/> into <paramref name="dst"/>
    /// (PlaneSize floats each), split over the pool by plane. Slots past a short phase's end are never read.</summary>
    public unsafe void Build(float* src, int planes, int h, int w, float* dst)
    {
        if (KernelThreads.Count > 1 && planes > 1 && (long)planes * h * w >= 1 << 16 && !KernelParallel.IsInsideTask)
            BuildWork.Run(this, src, planes, h, w, dst);
        else
            BuildPlanes(src, 0, planes, h, w, dst);
    }

    private unsafe void BuildPlanes(float* src, int from, int to, int h, int w, float* dst)
    {
        for (var p = from; p < to; p++)
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

    /// <summary>Plane ranges of one <see cref="Build"/> over the pool; cached per calling thread, so calls allocate nothing.</summary>
    private sealed unsafe class BuildWork : PlaneRangeWork
    {
        [ThreadStatic] private static BuildWork? _cached;
        private ColumnPhases _phases;
        private float* _src, _dst;
        private int _h, _w;

        public static void Run(in ColumnPhases phases, float* src, int planes, int h, int w, float* dst)
        {
            var work = _cached ??= new BuildWork();
            work._phases = phases;
            work._src = src;
            work._dst = dst;
            (work._h, work._w) = (h, w);
            try
            {
                work.RunRanges(planes);
            }
            finally
            {
                work._src = work._dst = null;
            }
        }

        protected override void Range(int from, int to) => _phases.BuildPlanes(_src, from, to, _h, _w, _dst);
    }
}
