using System.Numerics;
using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Optimization;

/// <summary>
/// Updates the flat parameter array from the flat gradient array. Its state (momentum, moments) is flat too,
/// laid out like the parameters, and is exposed for checkpoints. Weight decay skips norms, biases and PReLU.
/// </summary>
public abstract class Optimizer
{
    public abstract string Name { get; }
    /// <summary>Updates taken so far (AdamW's bias correction depends on it).</summary>
    public long Steps { get; set; }
    /// <summary>Flat state arrays, each as long as the parameters; checkpointed and restored in place.</summary>
    public abstract IReadOnlyList<float[]> State { get; }

    private readonly UpdateWork _work;

    protected Optimizer() => _work = new UpdateWork(this);

    /// <summary>One update of every parameter; large tensors are split over the engine's threads. Consumes the
    /// gradients: each is left zero by the pass that reads it, so the next step need not clear them separately
    /// (a whole extra pass over every gradient, ~4 % of a ResNet-18 step at 2 threads).</summary>
    public void Step(ParameterStore p, float learningRate)
    {
        Steps++;
        foreach (var info in p.Parameters) _work.Run(p, info, learningRate);
    }

    /// <summary>Updates one contiguous piece of a parameter and zeroes its gradient <paramref name="g"/>;
    /// <paramref name="offset"/> locates it in the flat state.</summary>
    protected abstract void Update(Span<float> w, Span<float> g, int offset, bool decays, float lr);

    private sealed class UpdateWork(Optimizer owner) : RangeWork
    {
        private ParameterStore _store = null!;
        private ParameterInfo _info = null!;
        private float _lr;

        public void Run(ParameterStore store, ParameterInfo info, float lr)
        {
            (_store, _info, _lr) = (store, info, lr);
            RunRange(info.Length);
        }

        protected override void Range(int task, int start, int count)
        {
            var offset = _info.Offset + start;
            owner.Update(_store.Values.AsSpan(offset, count), _store.Grads.AsSpan(offset, count), offset, _info.Decays, _lr);
        }
    }
}

/// <summary>
/// SGD with momentum μ (PyTorch's form: v = μv + g + λw; w −= lr·v), Nesterov optional (w −= lr·(g + λw + μv)).
/// </summary>
public sealed class SgdOptimizer(int parameterCount, float momentum = 0.9f, bool nesterov = true, float weightDecay = 5e-4f) : Optimizer
{
    private readonly float[] _velocity = new float[parameterCount];

    public float Momentum { get; } = momentum;
    public bool Nesterov { get; } = nesterov;
    public float WeightDecay { get; } = weightDecay;
    public override string Name => Nesterov ? "sgd-nesterov" : "sgd";
    public override IReadOnlyList<float[]> State => [_velocity];

    protected override void Update(Span<float> w, Span<float> g, int offset, bool decays, float lr)
    {
        var v = _velocity.AsSpan(offset, w.Length);
        var wd = decays ? WeightDecay : 0f;
        var i = 0;
        // Vector lanes do exactly the scalar arithmetic (no fused multiply-add), so results match the tail's.
        var lanes = Vector<float>.Count;
        for (; i + lanes <= w.Length; i += lanes)
        {
            var wv = new Vector<float>(w.Slice(i));
            var grad = new Vector<float>(g.Slice(i)) + wd * wv;
            Vector<float>.Zero.CopyTo(g.Slice(i));
            var vel = Momentum * new Vector<float>(v.Slice(i)) + grad;
            vel.CopyTo(v.Slice(i));
            (wv - lr * (Nesterov ? grad + Momentum * vel : vel)).CopyTo(w.Slice(i));
        }
        for (; i < w.Length; i++)
        {
            var grad = g[i] + wd * w[i];
            g[i] = 0;
            v[i] = Momentum * v[i] + grad;
            w[i] -= lr * (Nesterov ? grad + Momentum * v[i] : v[i]);
        }
    }
}

/// <summary>AdamW (Loshchilov &amp; Hutter): Adam moments with bias correction, decoupled weight decay.</summary>
public sealed class AdamWOptimizer(int parameterCount, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.05f) : Optimizer
{
    private readonly float[] _m = new float[parameterCount];
    private readonly float[] _v = new float[parameterCount];

    public float Beta1 { get; } = beta1;
    public float Beta2 { get; } = beta2;
    public float Epsilon { get; } = epsilon;
    public float WeightDecay { get; } = weightDecay;
    public override string Name => "adamw";
    public override IReadOnlyList<float[]> State => [_m, _v];

    protected override void Update(Span<float> w, Span<float> g, int offset, bool decays, float lr)
    {
        var m = _m.AsSpan(offset, w.Length); var v = _v.AsSpan(offset, w.Length);
        var c1 = 1 - Math.Pow(Beta1, Steps); var c2 = 1 - Math.Pow(Beta2, Steps);
        var stepSize = (float)(lr / c1);
        var c2Sqrt = (float)Math.Sqrt(c2);
        var decay = decays ? 1 - lr * WeightDecay : 1f;
        for (var i = 0; i < w.Length; i++)
        {
            m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
            v[i] = Beta2 * v[i] + (1 - Beta2) * g[i] * g[i];
            w[i] = w[i] * decay - stepSize * m[i] / (MathF.Sqrt(v[i]) / c2Sqrt + Epsilon);
            g[i] = 0;
        }
    }
}
