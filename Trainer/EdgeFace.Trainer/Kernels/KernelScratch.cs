namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Per-thread pinned work buffers (packed GEMM panels, conv column blocks, padded planes), kept for the thread's
/// lifetime so kernels allocate nothing per call once warm. Pinned, so raw pointers into them stay valid.
/// A buffer is only used by the thread that owns it, except a caller's <see cref="Columns"/> block that the
/// pool's workers write while the caller waits.
/// </summary>
internal sealed unsafe class KernelScratch
{
    [ThreadStatic] private static KernelScratch? _current;

    public static KernelScratch Current => _current ??= new KernelScratch();

    private float[] _packA = [], _packB = [], _edge = [], _columns = [], _plane = [], _plane2 = [], _phases = [], _channelsLast = [], _weightBlock = [], _paddedImage = [], _paddedOutput = [], _bordered = [], _flippedWeights = [];

    public float* PackA(int length) => Get(ref _packA, length);
    public float* PackB(int length) => Get(ref _packB, length);
    public float* Edge(int length) => Get(ref _edge, length);
    public float* Columns(int length) => Get(ref _columns, length);
    public float* Plane(int length) => Get(ref _plane, length);
    public float* Plane2(int length) => Get(ref _plane2, length);
    /// <summary>Input in <see cref="ColumnPhases"/> layout for strided convolutions (read by the pool's workers too).</summary>
    public float* Phases(long length) => Get(ref _phases, checked((int)length));
    /// <summary>Input in NHWC layout for the weight gradient (read by the pool's workers too).</summary>
    public float* ChannelsLast(long length) => Get(ref _channelsLast, checked((int)length));
    /// <summary>A weight gradient in tap-major order before it is reordered into the weight layout.</summary>
    public float* WeightBlock(int length) => Get(ref _weightBlock, length);
    /// <summary>One image's zero-bordered planes (<see cref="PaddedRowsPanelSource"/>; read by the pool's workers too).</summary>
    public float* PaddedImage(int length) => Get(ref _paddedImage, length);
    /// <summary>The padded-width output rows of one image before their real columns are kept.</summary>
    public float* PaddedOutput(int length) => Get(ref _paddedOutput, length);
    /// <summary>The whole batch in zero-bordered planes (<see cref="BorderedIm2colPanelSource"/>; read by the pool's workers too).</summary>
    public float* Bordered(int length) => Get(ref _bordered, length);
    /// <summary>Channel-swapped, flipped weights for an input gradient run as a forward pass (read by the pool's workers too).</summary>
    public float* FlippedWeights(int length) => Get(ref _flippedWeights, length);

    private static float* Get(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
            buffer = GC.AllocateUninitializedArray<float>(Math.Max(length, buffer.Length * 3 / 2), pinned: true);
        return (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(buffer));
    }
}
