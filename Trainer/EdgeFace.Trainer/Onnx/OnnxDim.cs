namespace EdgeFace.Trainer.Onnx;

/// <summary>
/// One dimension of a declared input/output shape: a fixed size, or a symbolic name such as "batch".
/// Converts implicitly from <see cref="long"/>/<see cref="int"/> and <see cref="string"/>, so shapes read
/// <c>["batch", 3, 112, 112]</c>.
/// </summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long value, string? symbol) { Value = value; Symbol = symbol; }

    /// <summary>The fixed size; meaningless when <see cref="Symbol"/> is set.</summary>
    public long Value { get; }

    /// <summary>The symbolic name of a dynamic dimension, or null for a fixed one.</summary>
    public string? Symbol { get; }

    public static OnnxDim Fixed(long value) => value >= 0 ? new(value, null)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "a fixed ONNX dimension cannot be negative");

    public static OnnxDim Symbolic(string name) => !string.IsNullOrWhiteSpace(name) ? new(0, name)
        : throw new ArgumentException("a symbolic ONNX dimension needs a name", nameof(name));

    public static implicit operator OnnxDim(long value) => Fixed(value);
    public static implicit operator OnnxDim(int value) => Fixed(value);
    public static implicit operator OnnxDim(string name) => Symbolic(name);

    public override string ToString() => Symbol ?? Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
