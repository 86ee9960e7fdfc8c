using EdgeFace.Trainer.Onnx;

namespace EdgeFace.Trainer.Cli.Bench;

/// <summary>
/// One-node ONNX models built in memory with the trainer's <see cref="OnnxGraphBuilder"/>, so the benchmarks time
/// ONNX Runtime's own kernels on exactly our shapes without shipping model files. All operands are graph inputs.
/// </summary>
internal static class OnnxGraphModel
{
    /// <summary>C[m,n] = A[m,k] · B[k,n]; inputs "A", "B", output "C".</summary>
    public static byte[] MatMul(int m, int n, int k)
    {
        var g = new OnnxGraphBuilder("bench-matmul");
        var product = g.MatMul(g.Input("A", m, k), g.Input("B", k, n), "product");
        g.Output(product, "C", m, n);
        return g.ToBytes();
    }

    /// <summary>Y = Conv(X, W) with NCHW tensors and no bias; inputs "X", "W", output "Y".</summary>
    public static byte[] Conv(int batch, int inChannels, int h, int w, int outChannels, int kh, int kw,
        int stride, int pad, int groups, int outH, int outW)
    {
        var g = new OnnxGraphBuilder("bench-conv");
        var x = g.Input("X", batch, inChannels, h, w);
        var weight = g.Input("W", outChannels, inChannels / groups, kh, kw);
        var y = g.Conv(x, weight, null, kh, kw, stride, stride, pad, pad, groups, name: "conv");
        g.Output(y, "Y", batch, outChannels, outH, outW);
        return g.ToBytes();
    }
}
