namespace EdgeFace.Trainer.Engine;

/// <summary>
/// A float32 NCHW view over arena memory: the values and, in training graphs, a gradient slot of the same
/// length. A tensor owns nothing: its memory belongs to the <see cref="Arena"/> of the <see cref="Graph"/> that
/// made it and is reused after the graph's next <see cref="Graph.Reset"/>. Matrices are [N, C, 1, 1].
/// </summary>
public readonly struct Tensor
{
    private readonly float[] _buffer;
    private readonly int _offset;
    private readonly float[]? _gradBuffer;
    private readonly int _gradOffset;
    private readonly GradSlots? _slots;
    private readonly int _slot;

    public int N { get; }
    public int C { get; }
    public int H { get; }
    public int W { get; }

    internal Tensor(float[] buffer, int offset, float[]? gradBuffer, int gradOffset, int n, int c, int h, int w,
        GradSlots? slots = null, int slot = 0)
    {
        _buffer = buffer; _offset = offset; _gradBuffer = gradBuffer; _gradOffset = gradOffset;
        _slots = slots; _slot = slot;
        N = n; C = c; H = h; W = w;
    }

    public int Length => N * C * H * W;
    /// <summary>Elements per sample: C·H·W.</summary>
    public int SampleLength => C * H * W;
    public int Plane => H * W;
    public bool HasGrad => _gradBuffer is not null;
    public bool IsEmpty => _buffer is null;

    public Span<float> Data => _buffer.AsSpan(_offset, Length);
    /// <summary>∂loss/∂this, zeros until something is written; backward passes may accumulate into it.
    /// Resolve it on the thread that runs the tape, before handing slices to the pool (see <see cref="GradSlots"/>).</summary>
    public Span<float> Grad
    {
        get
        {
            var grad = RawGrad;
            _slots?.EnsureValues(_slot, grad);
            return grad;
        }
    }

    /// <summary>
    /// For a backward pass that is about to write every element of this gradient: returns true when earlier writers
    /// left values that it must add to, false when the slot is stale and must be overwritten. Either way the slot
    /// counts as written afterwards, so <see cref="Grad"/> returns it as is.
    /// </summary>
    public bool ClaimGrad()
    {
        if (_gradBuffer is null) throw new InvalidOperationException("tensor was created without a gradient (eval graph)");
        return _slots?.Claim(_slot) ?? true;
    }

    private Span<float> RawGrad => _gradBuffer is null
        ? throw new InvalidOperationException("tensor was created without a gradient (eval graph)")
        : _gradBuffer.AsSpan(_gradOffset, Length);

    /// <summary>The same memory seen with another shape of equal length (Flatten).</summary>
    public Tensor Reshape(int n, int c, int h = 1, int w = 1)
    {
        if (n * c * h * w != Length) throw new ArgumentException($"cannot view {Shape} as [{n},{c},{h},{w}]");
        return new Tensor(_buffer, _offset, _gradBuffer, _gradOffset, n, c, h, w, _slots, _slot);
    }

    public string Shape => $"[{N},{C},{H},{W}]";
    public override string ToString() => $"Tensor{Shape}";
}
