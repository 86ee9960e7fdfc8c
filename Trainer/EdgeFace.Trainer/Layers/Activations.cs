using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Layers;

/// <summary>y = max(0, x). Backward uses the output: dx += dy where y &gt; 0.</summary>
public sealed class ReLU : Layer, ITapeOp
{
    public override Tensor Forward(Graph g, Tensor x)
    {
        var y = g.NewTensor(x.N, x.C, x.H, x.W);
        VectorOps.Relu(x.Data, y.Data);
        g.Record(this, x, y);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        if (!e.Input.HasGrad) return;
        VectorOps.ReluBackward(e.Output.Data, e.Output.Grad, e.Input.Grad);
    }
}

/// <summary>Per-channel leaky slope learned: y = x (x &gt; 0) or a[c]·x. Slope [C], initialised to 0.25.</summary>
public sealed class PReLU : Layer, ITapeOp
{
    public int Channels { get; }
    public ParameterInfo Slope { get; }

    public PReLU(ParameterStore store, string name, int channels)
    {
        Channels = channels;
        Slope = store.Add(name + ".weight", [channels], ParameterKind.PReLU, Initializers.Constant(0.25f));
    }

    public override Tensor Forward(Graph g, Tensor x)
    {
        if (x.C != Channels) throw new ArgumentException($"prelu expects {Channels} channels, got {x.Shape}");
        var y = g.NewTensor(x.N, x.C, x.H, x.W);
        var values = g.Parameters.Values; var off = Slope.Offset;
        Parallelism.For(Channels, (long)x.N * x.Plane, c =>
        {
            var xs = x.Data; var ys = y.Data;
            int plane = x.Plane, stride = x.C * plane;
            var a = values[off + c];
            for (var n = 0; n < x.N; n++)
                VectorOps.PRelu(xs.Slice(n * stride + c * plane, plane), a, ys.Slice(n * stride + c * plane, plane));
        });
        g.Record(this, x, y);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var x = e.Input; var y = e.Output;
        var values = g.Parameters.Values; var grads = g.Parameters.Grads; var off = Slope.Offset;
        Parallelism.For(Channels, (long)x.N * x.Plane, c =>
        {
            var xs = x.Data; var dys = y.Grad;
            int plane = x.Plane, stride = x.C * plane;
            var a = values[off + c];
            double da = 0;
            var dxs = x.HasGrad ? x.Grad : default;
            for (var n = 0; n < x.N; n++)
            {
                var o = n * stride + c * plane;
                da += VectorOps.PReluBackward(xs.Slice(o, plane), dys.Slice(o, plane), dxs.IsEmpty ? default : dxs.Slice(o, plane), a);
            }
            grads[off + c] += (float)da;
        });
    }
}
