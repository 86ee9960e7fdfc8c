using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Layers;

/// <summary>
/// Batch normalisation per channel over N·H·W (BatchNorm2d) or over N for [N, C] input (BatchNorm1d: the same
/// arithmetic with H = W = 1). Training normalises with the batch statistics and updates the running ones
/// (momentum 0.1, unbiased variance, as PyTorch); eval uses the running statistics.
/// Parameters: gamma, beta [C]; buffers: running mean, running var [C].
/// With <see cref="Relu"/> a ReLU follows in the same passes (y = max(BN(x), 0)), as a BatchNorm then an in-place
/// <see cref="ReLU"/> would compute it bit for bit, without their separate read-and-write of the whole tensor each way:
/// backward recomputes the ReLU's mask from x, which it reads anyway.
/// </summary>
public sealed class BatchNorm : Layer, ITapeOp
{
    public const float Epsilon = 1e-5f;
    public const float Momentum = 0.1f;

    public int Channels { get; }
    public ParameterInfo Gamma { get; }
    public ParameterInfo Beta { get; }
    public BufferInfo RunningMean { get; }
    public BufferInfo RunningVar { get; }

    /// <summary>Whether a ReLU is fused after the normalisation.</summary>
    public bool Relu { get; }

    public BatchNorm(ParameterStore store, string name, int channels, bool relu = false)
    {
        Channels = channels;
        Relu = relu;
        Gamma = store.Add(name + ".weight", [channels], ParameterKind.Norm, Initializers.Constant(1f));
        Beta = store.Add(name + ".bias", [channels], ParameterKind.Norm, Initializers.Constant(0f));
        RunningMean = store.AddBuffer(name + ".running_mean", channels, 0f);
        RunningVar = store.AddBuffer(name + ".running_var", channels, 1f);
        _work = new ChannelWork(this);
    }

    private readonly ChannelWork _work;

    /// <summary>Per-channel task of the current call; cached so a call allocates nothing.</summary>
    private sealed class ChannelWork(BatchNorm owner) : IParallelWork
    {
        public Tensor X, Y, Saved;
        public ParameterStore Parameters = null!;
        public bool BatchStatistics, Backward, Accumulate;
        public void Execute(int c)
        {
            if (Backward) owner.BackwardChannel(this, c);
            else owner.ForwardChannel(this, c);
        }
    }

    // x [N, C, H, W] -> y [N, C, H, W]; saved [2C]: mean, 1/std used
    public override Tensor Forward(Graph g, Tensor x)
    {
        if (x.C != Channels) throw new ArgumentException($"batchnorm expects {Channels} channels, got {x.Shape}");
        if (g.Training && x.N * x.Plane < 2) throw new ArgumentException($"batchnorm needs more than one value per channel in training, got {x.Shape}");
        var y = g.NewTensor(x.N, x.C, x.H, x.W);
        var saved = g.Scratch(2 * Channels);
        (_work.X, _work.Y, _work.Saved, _work.Parameters, _work.BatchStatistics, _work.Backward) = (x, y, saved, g.Parameters, g.Training, false);
        Parallelism.For(Channels, (long)x.N * x.Plane, _work);
        g.Record(this, x, y, saved: saved, aux: g.Training ? 1 : 0);
        return y;
    }

    private void ForwardChannel(ChannelWork w, int c)
    {
        var x = w.X; var xs = x.Data; var ys = w.Y.Data; var st = w.Saved.Data;
        var values = w.Parameters.Values; var buffers = w.Parameters.Buffers;
        int plane = x.Plane, stride = x.C * plane, count = x.N * plane;
        float mean, invStd;
        if (w.BatchStatistics)
        {
            double sum = 0, sumSq = 0;
            for (var n = 0; n < x.N; n++)
            {
                var (s1, s2) = ElementwiseOps.SumAndSquares(xs.Slice(n * stride + c * plane, plane));
                sum += s1; sumSq += s2;
            }
            var m = sum / count;
            var variance = Math.Max(0, sumSq / count - m * m);
            mean = (float)m;
            invStd = (float)(1 / Math.Sqrt(variance + Epsilon));
            int mOff = RunningMean.Offset + c, vOff = RunningVar.Offset + c;
            buffers[mOff] = (1 - Momentum) * buffers[mOff] + Momentum * mean;
            buffers[vOff] = (1 - Momentum) * buffers[vOff] + Momentum * (float)(variance * count / Math.Max(1, count - 1));
        }
        else
        {
            mean = buffers[RunningMean.Offset + c];
            invStd = 1f / MathF.Sqrt(buffers[RunningVar.Offset + c] + Epsilon);
        }
        st[c] = mean;
        st[Channels + c] = invStd;
        var (scale, shift) = ScaleAndShift(values, c, mean, invStd);
        for (var n = 0; n < x.N; n++)
        {
            var o = n * stride + c * plane;
            ElementwiseOps.ScaleShift(xs.Slice(o, plane), scale, shift, ys.Slice(o, plane), Relu);
        }
    }

    /// <summary>y = x·scale + shift for channel c; backward recomputes them to gate a fused ReLU exactly as forward did.</summary>
    private (float Scale, float Shift) ScaleAndShift(float[] values, int c, float mean, float invStd)
    {
        var scale = values[Gamma.Offset + c] * invStd;
        return (scale, values[Beta.Offset + c] - mean * scale);
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        (_work.X, _work.Y, _work.Saved, _work.Parameters, _work.BatchStatistics, _work.Backward) = (e.Input, e.Output, e.Saved, g.Parameters, e.Aux == 1, true);
        // Resolved on the tape's thread before the pool slices them; dx is written whole, so its first writer assigns.
        _ = e.Output.Grad;
        _work.Accumulate = e.Input.HasGrad && e.Input.ClaimGrad();
        Parallelism.For(Channels, (long)e.Input.N * e.Input.Plane, _work);
    }

    private void BackwardChannel(ChannelWork w, int c)
    {
        var x = w.X; var xs = x.Data; var dys = w.Y.Grad; var st = w.Saved.Data;
        var values = w.Parameters.Values; var grads = w.Parameters.Grads;
        int plane = x.Plane, stride = x.C * plane, count = x.N * plane;
        float mean = st[c], invStd = st[Channels + c];
        var gate = default(ReluGate);
        if (Relu)
        {
            var (scale, shift) = ScaleAndShift(values, c, mean, invStd);
            gate = new ReluGate(true, scale, shift);
        }
        double sumDy = 0, sumDyXhat = 0;
        for (var n = 0; n < x.N; n++)
        {
            var o = n * stride + c * plane;
            var (s1, s2) = ElementwiseOps.CenteredDot(xs.Slice(o, plane), dys.Slice(o, plane), mean, gate);
            sumDy += s1; sumDyXhat += s2;
        }
        sumDyXhat *= invStd;
        grads[Gamma.Offset + c] += (float)sumDyXhat;
        grads[Beta.Offset + c] += (float)sumDy;
        if (!x.HasGrad) return;
        var dxs = x.Grad;
        var k = values[Gamma.Offset + c] * invStd;
        // Batch statistics depend on x too: dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)).
        var meanDy = w.BatchStatistics ? (float)(sumDy / count) : 0f;
        var meanDyXhat = w.BatchStatistics ? (float)(sumDyXhat / count) : 0f;
        for (var n = 0; n < x.N; n++)
        {
            var o = n * stride + c * plane;
            ElementwiseOps.BatchNormInputGrad(xs.Slice(o, plane), dys.Slice(o, plane), dxs.Slice(o, plane), k, meanDy, mean, invStd * meanDyXhat, w.Accumulate, gate);
        }
    }
}
