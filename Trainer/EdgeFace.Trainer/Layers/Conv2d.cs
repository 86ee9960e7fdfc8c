using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Layers;

/// <summary>
/// 2-D convolution over NCHW, with groups (depthwise when groups == in == out channels).
/// Weight [Out, In/Groups, K, K]; optional bias [Out]. The arithmetic is in <see cref="Conv2dKernels"/>.
/// </summary>
public sealed class Conv2d : Layer, ITapeOp
{
    public int InChannels { get; }
    public int OutChannels { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int Pad { get; }
    public int Groups { get; }
    public ParameterInfo Weight { get; }
    public ParameterInfo? Bias { get; }

    public Conv2d(ParameterStore store, Rng rng, string name, int inChannels, int outChannels, int kernel,
        int stride = 1, int pad = 0, int groups = 1, bool bias = false)
    {
        (InChannels, OutChannels, Kernel, Stride, Pad, Groups) = (inChannels, outChannels, kernel, stride, pad, groups);
        var fanIn = inChannels / groups * kernel * kernel;
        Weight = store.Add(name + ".weight", [outChannels, inChannels / groups, kernel, kernel], ParameterKind.Weight,
            Initializers.FanInUniform(rng, fanIn));
        if (bias) Bias = store.Add(name + ".bias", [outChannels], ParameterKind.Bias, Initializers.FanInUniform(rng, fanIn));
    }

    public ConvShape ShapeFor(Tensor x)
    {
        if (x.C != InChannels) throw new ArgumentException($"conv expects {InChannels} channels, got {x.Shape}");
        return new ConvShape(x.N, InChannels, x.H, x.W, OutChannels, Kernel, Kernel, Stride, Stride, Pad, Pad, Groups);
    }

    // x [N, In, H, W] -> y [N, Out, H', W']
    public override Tensor Forward(Graph g, Tensor x)
    {
        var s = ShapeFor(x);
        s.Validate();
        var y = g.NewTensor(x.N, OutChannels, s.OutH, s.OutW);
        var p = g.Parameters;
        Conv2dKernels.Forward(s, x.Data, p.Value(Weight), Bias is null ? default : p.Value(Bias), y.Data);
        g.Record(this, x, y);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var s = ShapeFor(e.Input);
        var p = g.Parameters;
        if (e.Input.HasGrad)
        {
            // The input's first gradient this step overwrites its stale slot instead of adding to a zeroed one.
            var accumulate = e.Input.ClaimGrad();
            Conv2dKernels.BackwardInput(s, e.Output.Grad, p.Value(Weight), e.Input.Grad, accumulate);
        }
        Conv2dKernels.BackwardWeight(s, e.Input.Data, e.Output.Grad, p.Grad(Weight), Bias is null ? default : p.Grad(Bias));
    }
}
