using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Layers;

/// <summary>
/// Batch normalisation per channel over N·H·W (BatchNorm2d) or over N for [N, C] input (BatchNorm1d: the same
/// arithmetic with H = W = 1). Training normalises with the batch statistics and updates the running ones
/// (momentum 0.1, unbiased variance, as PyTorch); eval uses the running statistics.
/// Parameters: gamma, beta [C]; buffers: running mean, running var [C].
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

    public BatchNorm(ParameterStore store, string name, int channels)
    {
        Channels = channels;
        Gamma = store.Add(name + ".weight", [channels], ParameterKind.Norm, Initializers.Constant(1f));
        Beta = store.Add(name + ".bias", [channels], ParameterKind.Norm, Initializers.Constant(0f));
        RunningMean = store.AddBuffer(name + ".running_mean", channels, 0f);
        RunningVar = store.AddBuffer(name + ".running_var", channels, 1f);
    }

    // x [N, C, H, W] -> y [N, C, H, W]; saved [2C]: mean, 1/std used
    public override Tensor Forward(Graph g, Tensor x)
    {
        if (x.C != Channels) throw new ArgumentException($"batchnorm expects {Channels} channels, got {x.Shape}");
        var y = g.NewTensor(x.N, x.C, x.H, x.W);
        var saved = g.Scratch(2 * Channels);
        var training = g.Training;
        if (training && x.N * x.Plane < 2) throw new ArgumentException($"batchnorm needs more than one value per channel in training, got {x.Shape}");
        var p = g.Parameters;
        var gamma = p.Values; var beta = p.Values; var buffers = p.Buffers;
        int gOff = Gamma.Offset, bOff = Beta.Offset, mOff = RunningMean.Offset, vOff = RunningVar.Offset;
        Parallelism.For(Channels, (long)x.N * x.Plane, c =>
        {
            var xs = x.Data; var ys = y.Data; var st = saved.Data;
            int plane = x.Plane, stride = x.C * plane, count = x.N * plane;
            float mean, invStd;
            if (training)
            {
                double sum = 0, sumSq = 0;
                for (var n = 0; n < x.N; n++)
                {
                    var (s1, s2) = VectorOps.SumAndSquares(xs.Slice(n * stride + c * plane, plane));
                    sum += s1; sumSq += s2;
                }
                var m = sum / count;
                var variance = Math.Max(0, sumSq / count - m * m);
                mean = (float)m;
                invStd = (float)(1 / Math.Sqrt(variance + Epsilon));
                buffers[mOff + c] = (1 - Momentum) * buffers[mOff + c] + Momentum * mean;
                buffers[vOff + c] = (1 - Momentum) * buffers[vOff + c] + Momentum * (float)(variance * count / Math.Max(1, count - 1));
            }
            else
            {
                mean = buffers[mOff + c];
                invStd = 1f / MathF.Sqrt(buffers[vOff + c] + Epsilon);
            }
            st[c] = mean;
            st[Channels + c] = invStd;
            var scale = gamma[gOff + c] * invStd;
            var shift = beta[bOff + c] - mean * scale;
            for (var n = 0; n < x.N; n++)
            {
                var o = n * stride + c * plane;
                VectorOps.ScaleShift(xs.Slice(o, plane), scale, shift, ys.Slice(o, plane));
            }
        });
        g.Record(this, x, y, saved: saved, aux: training ? 1 : 0);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var x = e.Input; var y = e.Output; var saved = e.Saved;
        var batchStats = e.Aux == 1;
        var p = g.Parameters;
        var values = p.Values; var grads = p.Grads;
        int gOff = Gamma.Offset, bOff = Beta.Offset;
        var inputGrad = x.HasGrad;
        Parallelism.For(Channels, (long)x.N * x.Plane, c =>
        {
            var xs = x.Data; var dys = y.Grad; var st = saved.Data;
            int plane = x.Plane, stride = x.C * plane, count = x.N * plane;
            float mean = st[c], invStd = st[Channels + c];
            double sumDy = 0, sumDyXhat = 0;
            for (var n = 0; n < x.N; n++)
            {
                var o = n * stride + c * plane;
                var (s1, s2) = VectorOps.CenteredDot(xs.Slice(o, plane), dys.Slice(o, plane), mean);
                sumDy += s1; sumDyXhat += s2;
            }
            sumDyXhat *= invStd;
            grads[gOff + c] += (float)sumDyXhat;
            grads[bOff + c] += (float)sumDy;
            if (!inputGrad) return;
            var dxs = x.Grad;
            var k = values[gOff + c] * invStd;
            // Batch statistics depend on x too: dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)).
            float meanDy = batchStats ? (float)(sumDy / count) : 0f;
            float meanDyXhat = batchStats ? (float)(sumDyXhat / count) : 0f;
            for (var n = 0; n < x.N; n++)
            {
                var o = n * stride + c * plane;
                VectorOps.BatchNormInputGrad(xs.Slice(o, plane), dys.Slice(o, plane), dxs.Slice(o, plane), k, meanDy, mean, invStd * meanDyXhat);
            }
        });
    }
}
