using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Layers;

/// <summary>
/// y = max(0, x). Backward uses the output: dx += dy where y &gt; 0.
/// In place (<paramref name="inPlace"/>), y is x itself, values and gradient slot, which saves a tensor and a
/// memory pass each way: backward then masks the shared gradient where y ≤ 0. Only for an input that nothing
/// else reads, made by a layer whose backward does not read its own output (convolution, batch norm, linear, add).
/// </summary>
public sealed class ReLU(bool inPlace = false) : Layer, ITapeOp
{
    private readonly Work _work = new(inPlace);

    public bool InPlace { get; } = inPlace;

    private sealed class Work(bool inPlace) : RangeWork
    {
        private Tensor _x, _y;
        private bool _backward, _accumulate;

        public void Run(Tensor x, Tensor y, bool backward)
        {
            (_x, _y, _backward) = (x, y, backward);
            if (backward)
            {
                // Gradients are resolved here, on the tape's thread, before the pool slices them.
                _ = y.Grad;
                _accumulate = inPlace || x.ClaimGrad();
            }
            RunRange(x.Length);
        }

        protected override void Range(int task, int start, int count)
        {
            if (!_backward) ElementwiseOps.Relu(_x.Data.Slice(start, count), _y.Data.Slice(start, count));
            else if (inPlace) ElementwiseOps.ReluMaskGrad(_y.Data.Slice(start, count), _y.Grad.Slice(start, count));
            else ElementwiseOps.ReluBackward(_y.Data.Slice(start, count), _y.Grad.Slice(start, count), _x.Grad.Slice(start, count), _accumulate);
        }
    }

    public override Tensor Forward(Graph g, Tensor x)
    {
        var y = InPlace ? x : g.NewTensor(x.N, x.C, x.H, x.W);
        _work.Run(x, y, backward: false);
        g.Record(this, x, y);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        if (!e.Input.HasGrad) return;
        _work.Run(e.Input, e.Output, backward: true);
    }
}

/// <summary>Per-channel leaky slope learned: y = x (x &gt; 0) or a[c]·x. Slope [C], initialised to 0.25.</summary>
public sealed class PReLU : Layer, ITapeOp
{
    private readonly ChannelWork _work;

    public int Channels { get; }
    public ParameterInfo Slope { get; }

    public PReLU(ParameterStore store, string name, int channels)
    {
        Channels = channels;
        Slope = store.Add(name + ".weight", [channels], ParameterKind.PReLU, Initializers.Constant(0.25f));
        _work = new ChannelWork(this);
    }

    /// <summary>Per-channel task of the current call; cached so a call allocates nothing.</summary>
    private sealed class ChannelWork(PReLU owner) : IParallelWork
    {
        public Tensor X, Y;
        public ParameterStore Parameters = null!;
        public bool Backward;
        public void Execute(int c)
        {
            if (Backward) owner.BackwardChannel(this, c);
            else owner.ForwardChannel(this, c);
        }
    }

    public override Tensor Forward(Graph g, Tensor x)
    {
        if (x.C != Channels) throw new ArgumentException($"prelu expects {Channels} channels, got {x.Shape}");
        var y = g.NewTensor(x.N, x.C, x.H, x.W);
        (_work.X, _work.Y, _work.Parameters, _work.Backward) = (x, y, g.Parameters, false);
        Parallelism.For(Channels, (long)x.N * x.Plane, _work);
        g.Record(this, x, y);
        return y;
    }

    private void ForwardChannel(ChannelWork w, int c)
    {
        var x = w.X; var xs = x.Data; var ys = w.Y.Data;
        int plane = x.Plane, stride = x.C * plane;
        var a = w.Parameters.Values[Slope.Offset + c];
        for (var n = 0; n < x.N; n++)
            ElementwiseOps.PRelu(xs.Slice(n * stride + c * plane, plane), a, ys.Slice(n * stride + c * plane, plane));
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        (_work.X, _work.Y, _work.Parameters, _work.Backward) = (e.Input, e.Output, g.Parameters, true);
        // Gradients are resolved here, on the tape's thread, before the pool slices them.
        _ = e.Output.Grad;
        if (e.Input.HasGrad) _ = e.Input.Grad;
        Parallelism.For(Channels, (long)e.Input.N * e.Input.Plane, _work);
    }

    private void BackwardChannel(ChannelWork w, int c)
    {
        var x = w.X; var xs = x.Data; var dys = w.Y.Grad;
        int plane = x.Plane, stride = x.C * plane;
        var a = w.Parameters.Values[Slope.Offset + c];
        var dxs = x.HasGrad ? x.Grad : default;
        double da = 0;
        for (var n = 0; n < x.N; n++)
        {
            var o = n * stride + c * plane;
            da += ElementwiseOps.PReluBackward(xs.Slice(o, plane), dys.Slice(o, plane), dxs.IsEmpty ? default : dxs.Slice(o, plane), a);
        }
        w.Parameters.Grads[Slope.Offset + c] += (float)da;
    }
}
