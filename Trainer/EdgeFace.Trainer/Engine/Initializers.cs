namespace EdgeFace.Trainer.Engine;

/// <summary>Parameter initialisers, as PyTorch's defaults so training behaves like the reference.</summary>
public static class Initializers
{
    /// <summary>PyTorch's Conv/Linear default: U(−1/√fan_in, 1/√fan_in).</summary>
    public static Action<Span<float>> FanInUniform(Rng rng, int fanIn) => span =>
    {
        var bound = 1f / MathF.Sqrt(fanIn);
        for (var i = 0; i < span.Length; i++) span[i] = rng.Uniform(-bound, bound);
    };

    public static Action<Span<float>> Normal(Rng rng, float std) => span =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = rng.Normal() * std;
    };

    public static Action<Span<float>> Constant(float value) => span => span.Fill(value);
}
