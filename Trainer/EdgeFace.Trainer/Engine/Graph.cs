namespace EdgeFace.Trainer.Engine;

/// <summary>A coarse operation on the tape: its forward already ran; <see cref="Backward"/> accumulates gradients.</summary>
public interface ITapeOp
{
    void Backward(Graph g, in TapeEntry e);
}

/// <summary>
/// One recorded op: its input(s), output, an optional saved scratch tensor (batch statistics, masks, norms)
/// and one integer for op-specific flags. A plain struct in a reused list, so recording allocates nothing.
/// </summary>
public readonly record struct TapeEntry(ITapeOp Op, Tensor Input, Tensor Other, Tensor Output, Tensor Saved, int Aux = 0);

/// <summary>
/// One step's computation: the arena that holds activations, the tape of ops run so far, the mode
/// (training: batch statistics, dropout; eval: running statistics) and whether gradients are kept.
/// Reset once per step; nothing it hands out survives a reset.
/// </summary>
public sealed class Graph(ParameterStore parameters, bool training, bool needsGrad, Rng? rng = null)
{
    private readonly List<TapeEntry> _tape = new(256);

    public ParameterStore Parameters { get; } = parameters;
    public Arena Arena { get; } = new();
    /// <summary>Which activation gradients hold values this step (they are not zeroed when allocated).</summary>
    private readonly GradSlots _gradSlots = new();
    public bool Training { get; set; } = training;
    public bool NeedsGrad { get; set; } = needsGrad;
    /// <summary>Source of dropout masks; part of the run's checkpointed random state.</summary>
    public Rng Rng { get; } = rng ?? new Rng(0);
    public int TapeLength => _tape.Count;
    /// <summary>When set, every op's forward and backward time is added here (benchmark profiling).</summary>
    public StepProfile? Profile { get; set; }

    /// <summary>A new activation. Values are uninitialised; the gradient slot (when kept) reads as zeros until written
    /// (it is zeroed on first access unless a backward pass claims it to overwrite: <see cref="GradSlots"/>).</summary>
    public Tensor NewTensor(int n, int c, int h = 1, int w = 1)
    {
        var length = n * c * h * w;
        var (buffer, offset) = Arena.Allocate(length, clear: false);
        if (!NeedsGrad) return new Tensor(buffer, offset, null, 0, n, c, h, w);
        var (grad, gradOffset) = Arena.Allocate(length, clear: false);
        return new Tensor(buffer, offset, grad, gradOffset, n, c, h, w, _gradSlots, _gradSlots.Add());
    }

    /// <summary>Saved state for a backward pass (no gradient slot).</summary>
    public Tensor Scratch(int length)
    {
        var (buffer, offset) = Arena.Allocate(length, clear: false);
        return new Tensor(buffer, offset, null, 0, 1, length, 1, 1);
    }

    /// <summary>Copies a batch into the arena. Inputs get a gradient only when asked (gradient checks).</summary>
    public Tensor Input(ReadOnlySpan<float> data, int n, int c, int h, int w, bool withGrad = false)
    {
        var keep = NeedsGrad;
        NeedsGrad = keep && withGrad;
        var t = NewTensor(n, c, h, w);
        NeedsGrad = keep;
        data[..t.Length].CopyTo(t.Data);
        Profile?.MarkInput();
        return t;
    }

    public void Record(ITapeOp op, Tensor input, Tensor output, Tensor other = default, Tensor saved = default, int aux = 0)
    {
        if (!NeedsGrad) return;
        var entry = new TapeEntry(op, input, other, output, saved, aux);
        _tape.Add(entry);
        Profile?.Recorded(entry);
    }

    /// <summary>Runs the tape in reverse. The caller has already put ∂loss/∂output into the last outputs' gradients.</summary>
    public void Backward()
    {
        if (!NeedsGrad) throw new InvalidOperationException("graph was built without gradients");
        for (var i = _tape.Count - 1; i >= 0; i--)
        {
            var e = _tape[i];
            if (Profile is null) { e.Op.Backward(this, e); continue; }
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            e.Op.Backward(this, e);
            Profile.Backward(i, e, start);
        }
    }

    public void Reset()
    {
        _tape.Clear();
        Arena.Reset();
        _gradSlots.Reset();
        Profile?.BeginStep();
    }
}
