using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Layers;

/// <summary>y = x·Wᵀ + b over [N, In] (any [N, C, H, W] with C·H·W = In). Weight [Out, In], bias [Out].</summary>
public sealed class Linear : Layer, ITapeOp
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public ParameterInfo Weight { get; }
    public ParameterInfo? Bias { get; }

    public Linear(ParameterStore store, Rng rng, string name, int inFeatures, int outFeatures, bool bias = true)
    {
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        Weight = store.Add(name + ".weight", [outFeatures, inFeatures], ParameterKind.Weight, Initializers.FanInUniform(rng, inFeatures));
        if (bias) Bias = store.Add(name + ".bias", [outFeatures], ParameterKind.Bias, Initializers.FanInUniform(rng, inFeatures));
    }

    // x [N, In] -> y [N, Out]
    public override Tensor Forward(Graph g, Tensor x)
    {
        if (x.SampleLength != InFeatures) throw new ArgumentException($"linear expects {InFeatures} features, got {x.Shape}");
        var y = g.NewTensor(x.N, OutFeatures);
        var p = g.Parameters;
        Gemm.Multiply(false, true, x.N, OutFeatures, InFeatures, x.Data, InFeatures, p.Value(Weight), InFeatures, y.Data, OutFeatures);
        if (Bias is not null)
        {
            var b = p.Value(Bias);
            for (var n = 0; n < x.N; n++)
            {
                var row = y.Data.Slice(n * OutFeatures, OutFeatures);
                for (var j = 0; j < row.Length; j++) row[j] += b[j];
            }
        }
        g.Record(this, x, y);
        return y;
    }

    public void Backward(Graph g, in TapeEntry e)
    {
        var x = e.Input; var dy = e.Output.Grad;
        var p = g.Parameters;
        if (x.HasGrad)   // dx[N, In] (+)= dy[N, Out] · W[Out, In]; claimed before x.Grad, which would zero a stale slot
        {
            var accumulate = x.ClaimGrad();
            Gemm.Multiply(false, false, x.N, InFeatures, OutFeatures, dy, OutFeatures, p.Value(Weight), InFeatures, x.Grad, InFeatures, accumulate);
        }
        // dW[Out, In] += dyᵀ · x
        Gemm.Multiply(true, false, OutFeatures, InFeatures, x.N, dy, OutFeatures, x.Data, InFeatures, p.Grad(Weight), InFeatures, accumulate: true);
        if (Bias is null) return;
        var db = p.Grad(Bias);
        for (var n = 0; n < x.N; n++)
        {
            var row = dy.Slice(n * OutFeatures, OutFeatures);
            for (var j = 0; j < row.Length; j++) db[j] += row[j];
        }
    }
}
