using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Optimization;

namespace EdgeFace.Trainer.Tests.Engine;

/// <summary>The optimizers' update rules against a scalar double-precision restatement, and their promise to leave
/// every gradient zero (the training step relies on it instead of clearing the gradients itself).</summary>
public sealed class OptimizerTests
{
    private const int WeightLength = 100_003; // above the parallel threshold, odd so the scalar tail runs too

    private static ParameterStore Store(int seed)
    {
        var rng = new Rng((ulong)seed);
        var store = new ParameterStore();
        store.Add("conv.weight", [WeightLength], ParameterKind.Weight, Initializers.Normal(rng, 0.5f));
        store.Add("bn.weight", [7], ParameterKind.Norm, Initializers.Normal(rng, 0.5f));
        store.Seal();
        for (var i = 0; i < store.Grads.Length; i++) store.Grads[i] = rng.Normal();
        return store;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sgd_follows_pytorchs_rule_and_consumes_the_gradients(bool nesterov)
    {
        const float lr = 0.1f, mu = 0.9f, decay = 0.01f;
        var store = Store(1);
        var optimizer = new SgdOptimizer(store.Count, mu, nesterov, decay);
        var (w, v) = (store.Values.Select(x => (double)x).ToArray(), new double[store.Count]);
        for (var step = 0; step < 2; step++)
        {
            var g = store.Grads.Select(x => (double)x).ToArray();
            optimizer.Step(store, lr);
            Assert.All(store.Grads, x => Assert.Equal(0f, x));
            for (var i = 0; i < w.Length; i++)
            {
                var grad = g[i] + (i < WeightLength ? decay : 0) * w[i];
                v[i] = mu * v[i] + grad;
                w[i] -= lr * (nesterov ? grad + mu * v[i] : v[i]);
            }
            AssertClose(w, store.Values);
            for (var i = 0; i < store.Grads.Length; i++) store.Grads[i] = MathF.Sin(i + step);
        }
    }

    [Fact]
    public void AdamW_follows_its_rule_and_consumes_the_gradients()
    {
        const float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, decay = 0.05f;
        var store = Store(2);
        var optimizer = new AdamWOptimizer(store.Count, b1, b2, eps, decay);
        var (w, m, v) = (store.Values.Select(x => (double)x).ToArray(), new double[store.Count], new double[store.Count]);
        for (var step = 1; step <= 2; step++)
        {
            var g = store.Grads.Select(x => (double)x).ToArray();
            optimizer.Step(store, lr);
            Assert.All(store.Grads, x => Assert.Equal(0f, x));
            for (var i = 0; i < w.Length; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                var mHat = m[i] / (1 - Math.Pow(b1, step));
                var vHat = v[i] / (1 - Math.Pow(b2, step));
                w[i] = w[i] * (i < WeightLength ? 1 - lr * decay : 1) - lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            AssertClose(w, store.Values);
            for (var i = 0; i < store.Grads.Length; i++) store.Grads[i] = MathF.Cos(i * step);
        }
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"parameter {i}: expected {expected[i]}, got {actual[i]}");
    }
}
