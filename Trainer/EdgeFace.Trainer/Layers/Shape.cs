using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Layers;

/// <summary>[N, C, H, W] -> [N, C·H·W]: a view of the same memory and gradient, so nothing goes on the tape.</summary>
public sealed class Flatten : Layer
{
    public override Tensor Forward(Graph g, Tensor x) => x.Reshape(x.N, x.SampleLength);
}

/// <summary>
/// Inverted dropout: in training each value is zeroed with probability P and the rest scaled by 1/(1−P);
/// in eval it is the identity. The mask is saved for backward.
/// </summary>
public sealed class Dropout(float p) : Layer, ITapeOp
{
    public float P { get; } = p is >= 0 and < 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), "dropout must be in [0, 1)");

    public override Tensor Forward(Graph g, Tensor x)
    {
        if (!g.Training || P == 0) return x;
        var y = g.NewTensor(x.N, x.C, x.H, x.W);
        var mask = g.Scratch(x.Length);
        var keep = 1f / (1 - P);
        var xs = x.Data; var ys = y.Data; var m = mask.Data;
        for (var i = 0; i < xs.Length; i++)
        {
            m[i] = g.Rng.NextDouble() < P ? 0f : keep;
            ys[i] = xs[i] * m[i];
        }
        g.Record(this, x, y, saved: mask);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        if (!e.Input.HasGrad) return;
        var dy = e.Output.Grad; var dx = e.Input.Grad; var m = e.Saved.Data;
        for (var i = 0; i < dx.Length; i++) dx[i] += dy[i] * m[i];
    }
}

/// <summary>Element-wise sum of two tensors of the same shape; the gradient flows unchanged to both.</summary>
public sealed class Add : ITapeOp
{
    private readonly Work _work = new();

    private sealed class Work : RangeWork
    {
        private Tensor _a, _b, _y;
        private bool _backward, _accumulateA, _accumulateB;

        public void Run(Tensor a, Tensor b, Tensor y, bool backward)
        {
            (_a, _b, _y, _backward) = (a, b, y, backward);
            if (backward)
            {
                // Resolved on the tape's thread, in the order the ranges write: a (possibly the same tensor as b) first.
                _ = y.Grad;
                _accumulateA = a.HasGrad && a.ClaimGrad();
                _accumulateB = b.HasGrad && b.ClaimGrad();
            }
            RunRange(y.Length);
        }

        protected override void Range(int task, int start, int count)
        {
            if (!_backward)
            {
                ElementwiseOps.Add(_a.Data.Slice(start, count), _b.Data.Slice(start, count), _y.Data.Slice(start, count));
                return;
            }
            var dy = _y.Grad.Slice(start, count);
            if (_a.HasGrad) AddOrCopy(dy, _a.Grad.Slice(start, count), _accumulateA);
            if (_b.HasGrad) AddOrCopy(dy, _b.Grad.Slice(start, count), _accumulateB);
        }

        private static void AddOrCopy(ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
        {
            if (accumulate) ElementwiseOps.AddInto(dx, dy);
            else dy.CopyTo(dx);
        }
    }

    /// <summary>y = a + b; the caller (a residual connection) owns this op instance.</summary>
    public Tensor Forward(Graph g, Tensor a, Tensor b)
    {
        if (a.N != b.N || a.C != b.C || a.H != b.H || a.W != b.W) throw new ArgumentException($"cannot add {a.Shape} and {b.Shape}");
        var y = g.NewTensor(a.N, a.C, a.H, a.W);
        _work.Run(a, b, y, backward: false);
        g.Record(this, a, y, other: b);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e) => _work.Run(e.Input, e.Other, e.Output, backward: true);
}

/// <summary>
/// A residual connection: y = body(x) + shortcut(x) (the identity when there is no shortcut),
/// optionally followed by ReLU (ResNet's BasicBlock).
/// </summary>
public sealed class Residual(Layer body, Layer? shortcut = null, bool reluAfter = false) : Layer
{
    private readonly ReLU? _relu = reluAfter ? new ReLU(inPlace: true) : null;
    private readonly Add _add = new();

    public Layer Body { get; } = body;
    public Layer? Shortcut { get; } = shortcut;
    public bool ReluAfter => _relu is not null;
    public override IReadOnlyList<Layer> Children => Shortcut is null ? [Body] : [Body, Shortcut];

    public override Tensor Forward(Graph g, Tensor x)
    {
        var main = Body.Forward(g, x);
        var skip = Shortcut is null ? x : Shortcut.Forward(g, x);
        var y = _add.Forward(g, main, skip);
        return _relu is null ? y : _relu.Forward(g, y);
    }
}

/// <summary>Scales every sample to unit L2 norm: y = x / max(‖x‖, ε). Saved: the norms [N].</summary>
public sealed class L2Normalize : Layer, ITapeOp
{
    public const float Epsilon = 1e-12f;
    public static readonly L2Normalize Instance = new();

    public override Tensor Forward(Graph g, Tensor x)
    {
        var y = g.NewTensor(x.N, x.C, x.H, x.W);
        var norms = g.Scratch(x.N);
        var d = x.SampleLength;
        for (var n = 0; n < x.N; n++)
        {
            var src = x.Data.Slice(n * d, d); var dst = y.Data.Slice(n * d, d);
            var norm = MathF.Max(MathF.Sqrt(Dot(src, src)), Epsilon);
            norms.Data[n] = norm;
            for (var i = 0; i < d; i++) dst[i] = src[i] / norm;
        }
        g.Record(this, x, y, saved: norms);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var x = e.Input; var y = e.Output;
        if (!x.HasGrad) return;
        var d = x.SampleLength;
        for (var n = 0; n < x.N; n++)
        {
            var yn = y.Data.Slice(n * d, d); var dy = y.Grad.Slice(n * d, d); var dx = x.Grad.Slice(n * d, d);
            var norm = e.Saved.Data[n];
            var proj = Dot(yn, dy);
            // dx = (dy − y·(y·dy)) / ‖x‖
            for (var i = 0; i < d; i++) dx[i] += (dy[i] - yn[i] * proj) / norm;
        }
    }

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return (float)s;
    }
}
