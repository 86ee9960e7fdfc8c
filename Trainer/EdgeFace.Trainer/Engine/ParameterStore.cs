namespace EdgeFace.Trainer.Engine;

/// <summary>What a parameter is, which decides weight decay (none for norms, biases and PReLU slopes).</summary>
public enum ParameterKind { Weight, Bias, Norm, PReLU }

/// <summary>A named slice of <see cref="ParameterStore.Values"/> (and the same slice of its gradients).</summary>
public sealed record ParameterInfo(string Name, int Offset, int Length, int[] Shape, ParameterKind Kind)
{
    public bool Decays => Kind == ParameterKind.Weight;
}

/// <summary>A named slice of <see cref="ParameterStore.Buffers"/>: state that is not trained (BatchNorm running stats).</summary>
public sealed record BufferInfo(string Name, int Offset, int Length);

/// <summary>
/// All trainable parameters of a network in ONE flat float[] (<see cref="Values"/>) with named views, their
/// gradients in a second flat array laid out the same way, and non-trained buffers in a third. Layers register
/// their slices while the network is built; <see cref="Seal"/> then allocates the arrays. Zero-grad, the
/// optimizer step, clipping and checkpoint I/O are each a single pass over a span.
/// </summary>
public sealed class ParameterStore
{
    private readonly List<ParameterInfo> _parameters = [];
    private readonly List<BufferInfo> _buffers = [];
    private readonly List<(int Offset, int Length, Action<Span<float>> Init)> _inits = [];
    private readonly List<(int Offset, int Length, float Value)> _bufferInits = [];
    private int _length;
    private int _bufferLength;

    public float[] Values { get; private set; } = [];
    public float[] Grads { get; private set; } = [];
    public float[] Buffers { get; private set; } = [];
    public IReadOnlyList<ParameterInfo> Parameters => _parameters;
    public IReadOnlyList<BufferInfo> BufferInfos => _buffers;
    public bool IsSealed { get; private set; }
    public int Count => _length;

    /// <summary>Registers a parameter; <paramref name="init"/> fills it when the store is sealed.</summary>
    public ParameterInfo Add(string name, int[] shape, ParameterKind kind, Action<Span<float>> init)
    {
        if (IsSealed) throw new InvalidOperationException("parameter store is sealed");
        var length = shape.Aggregate(1, (a, b) => a * b);
        var info = new ParameterInfo(name, _length, length, shape, kind);
        _parameters.Add(info);
        _inits.Add((_length, length, init));
        _length += length;
        return info;
    }

    public BufferInfo AddBuffer(string name, int length, float initial)
    {
        if (IsSealed) throw new InvalidOperationException("parameter store is sealed");
        var info = new BufferInfo(name, _bufferLength, length);
        _buffers.Add(info);
        _bufferInits.Add((_bufferLength, length, initial));
        _bufferLength += length;
        return info;
    }

    /// <summary>Allocates the flat arrays and runs every initialiser in registration order (deterministic).</summary>
    public void Seal()
    {
        if (IsSealed) return;
        Values = new float[_length];
        Grads = new float[_length];
        Buffers = new float[_bufferLength];
        foreach (var (offset, length, init) in _inits) init(Values.AsSpan(offset, length));
        foreach (var (offset, length, value) in _bufferInits) Buffers.AsSpan(offset, length).Fill(value);
        _inits.Clear();
        IsSealed = true;
    }

    public Span<float> Value(ParameterInfo p) => Values.AsSpan(p.Offset, p.Length);
    public Span<float> Grad(ParameterInfo p) => Grads.AsSpan(p.Offset, p.Length);
    public Span<float> Buffer(BufferInfo b) => Buffers.AsSpan(b.Offset, b.Length);

    public void ZeroGrad() => _zeroGrad.Run(Grads);

    private readonly ClearWork _zeroGrad = new();

    private sealed class ClearWork : RangeWork
    {
        private float[] _values = [];

        public void Run(float[] values)
        {
            _values = values;
            RunRange(values.Length);
        }

        protected override void Range(int task, int start, int count) => _values.AsSpan(start, count).Clear();
    }

    /// <summary>Sum of parameters whose name starts with <paramref name="prefix"/>.</summary>
    public int CountWithPrefix(string prefix) =>
        _parameters.Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Length);

    public ParameterInfo Find(string name) =>
        _parameters.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"no parameter '{name}'");
}
