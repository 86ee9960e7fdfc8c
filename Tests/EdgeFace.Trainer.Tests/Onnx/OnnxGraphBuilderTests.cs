using EdgeFace.TestSupport;
using EdgeFace.Trainer.Onnx;
using Microsoft.ML.OnnxRuntime;
using static EdgeFace.Trainer.Tests.Onnx.OrtHarness;

namespace EdgeFace.Trainer.Tests.Onnx;

public sealed class OnnxGraphBuilderTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]   // plain 3x3, stride 1, pad 1
    [InlineData(2, 1, 1, 1)]   // strided
    [InlineData(1, 2, 2, 1)]   // dilated
    [InlineData(1, 1, 1, 2)]   // grouped
    [InlineData(1, 1, 1, 4)]   // depthwise (group == channels)
    public void Conv_matches_reference(int stride, int pad, int dilation, int group)
    {
        const int n = 2, c = 4, h = 9, w = 7, outC = 4, k = 3;
        var x = RandomArray(n * c * h * w, 1);
        var weight = RandomArray(outC * (c / group) * k * k, 2, 0.5f);
        var bias = RandomArray(outC, 3);
        var expected = ReferenceOps.Conv(x, n, c, h, w, weight, bias, outC, k, k, stride, pad, dilation, group, out var oh, out var ow);

        var g = new OnnxGraphBuilder();
        var input = g.Input("input", "batch", c, h, w);
        var wName = g.Initializer("w", [outC, c / group, k, k], weight);
        var bName = g.Initializer("b", [outC], bias);
        var y = g.Conv(input, wName, bName, k, k, stride, stride, pad, pad, group, dilation, dilation);
        g.Output(y, "output", "batch", outC, oh, ow);

        var (actual, shape) = Run(g.ToBytes(), "input", x, [n, c, h, w]);
        Assert.Equal(new long[] { n, outC, oh, ow }, shape);
        AssertClose(expected, actual);
    }

    [Fact]
    public void PRelu_with_channel_slope_matches_reference()
    {
        const int n = 2, c = 3, h = 4, w = 5;
        var x = RandomArray(n * c * h * w, 4);
        float[] slope = [0.25f, -0.5f, 0.1f];
        var g = new OnnxGraphBuilder();
        var input = g.Input("input", "batch", c, h, w);
        var y = g.PRelu(input, g.Initializer("slope", [c, 1, 1], slope));
        g.Output(y, "output", "batch", c, h, w);

        var (actual, _) = Run(g.ToBytes(), "input", x, [n, c, h, w]);
        AssertClose(ReferenceOps.PRelu(x, n, c, h * w, slope), actual);
    }

    [Fact]
    public void Gemm_with_transposed_weight_alpha_and_beta_matches_reference()
    {
        const int m = 3, k = 6, outN = 5;
        var x = RandomArray(m * k, 5);
        var weight = RandomArray(outN * k, 6);
        var bias = RandomArray(outN, 7);
        var g = new OnnxGraphBuilder();
        var input = g.Input("input", "batch", k);
        var y = g.Gemm(input, g.Initializer("fc.weight", [outN, k], weight), g.Initializer("fc.bias", [outN], bias), transB: true, alpha: 0.5f, beta: 2f);
        g.Output(y, "output", "batch", outN);

        var (actual, shape) = Run(g.ToBytes(), "input", x, [m, k]);
        Assert.Equal(new long[] { m, outN }, shape);
        AssertClose(ReferenceOps.Linear(x, m, k, weight, outN, bias, 0.5f, 2f), actual);
    }

    [Fact]
    public void MatMul_plus_Add_equals_a_linear_layer()
    {
        const int m = 2, k = 4, outN = 3;
        var x = RandomArray(m * k, 8);
        var weight = RandomArray(outN * k, 9);          // [out, in] as the engine stores it
        var weightT = new float[k * outN];              // MatMul wants [in, out]
        for (var i = 0; i < outN; i++) for (var j = 0; j < k; j++) weightT[j * outN + i] = weight[i * k + j];
        var bias = RandomArray(outN, 10);
        var g = new OnnxGraphBuilder();
        var input = g.Input("input", "batch", k);
        var y = g.Add(g.MatMul(input, g.Initializer("wT", [k, outN], weightT)), g.Initializer("b", [outN], bias));
        g.Output(y, "output");

        AssertClose(ReferenceOps.Linear(x, m, k, weight, outN, bias), Run(g.ToBytes(), "input", x, [m, k]).Data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pools_match_reference(bool max)
    {
        const int n = 1, c = 2, h = 7, w = 6, k = 3, stride = 2, pad = 1;
        var x = RandomArray(n * c * h * w, 11);
        var expected = ReferenceOps.Pool(x, n, c, h, w, k, stride, pad, max, out var oh, out var ow);
        var g = new OnnxGraphBuilder();
        var input = g.Input("input", "batch", c, h, w);
        var y = max ? g.MaxPool(input, k, k, stride, stride, pad, pad) : g.AveragePool(input, k, k, stride, stride, pad, pad);
        g.Output(y, "output", "batch", c, oh, ow);

        var (actual, shape) = Run(g.ToBytes(), "input", x, [n, c, h, w]);
        Assert.Equal(new long[] { n, c, oh, ow }, shape);
        AssertClose(expected, actual);
    }

    [Fact]
    public void L2Normalize_gives_unit_rows_and_zeros_for_a_zero_row()
    {
        const int rows = 3, cols = 8;
        var x = RandomArray(rows * cols, 12, 3f);
        Array.Clear(x, cols, cols); // row 1 all zero: must not become NaN
        var g = new OnnxGraphBuilder();
        g.Output(g.L2Normalize(g.Input("input", "batch", cols)), "embedding", "batch", cols);

        var (actual, _) = Run(g.ToBytes(), "input", x, [rows, cols]);
        AssertClose(ReferenceOps.L2NormalizeRows(x, rows, cols), actual);
        Assert.All(actual, v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void Reshape_Flatten_Mul_Relu_and_Identity_compose()
    {
        const int n = 2, c = 3, h = 2, w = 2;
        var x = RandomArray(n * c * h * w, 13);
        var g = new OnnxGraphBuilder();
        var input = g.Input("input", "batch", c, h, w);
        var flat = g.Flatten(input);                                     // [n, 12]
        var scaled = g.Mul(flat, g.Initializer("two", [1], [2f]));
        var relu = g.Relu(scaled);
        var back = g.Reshape(relu, [0, c, h * w]);                       // [n, 3, 4]
        g.Output(g.Identity(back), "output", "batch", c, h * w);

        var (actual, shape) = Run(g.ToBytes(), "input", x, [n, c, h, w]);
        Assert.Equal(new long[] { n, c, h * w }, shape);
        AssertClose(x.Select(v => Math.Max(0f, 2 * v)).ToArray(), actual);
    }

    [Fact]
    public void Small_embedding_net_matches_reference_and_carries_model_metadata()
    {
        // conv(3->8, 3x3, s2, p1) -> BN -> PReLU -> GAP -> flatten -> linear(8->5) -> L2
        const int n = 3, c = 3, h = 12, w = 10, f = 8, emb = 5;
        var x = RandomArray(n * c * h * w, 20);
        var convW = RandomArray(f * c * 9, 21, 0.4f);
        var convB = RandomArray(f, 22, 0.1f);
        var bnScale = RandomArray(f, 23).Select(v => 1 + 0.5f * v).ToArray();
        var bnBias = RandomArray(f, 24, 0.2f);
        var bnMean = RandomArray(f, 25, 0.3f);
        var bnVar = RandomArray(f, 26).Select(v => 0.5f + Math.Abs(v)).ToArray();
        var slope = RandomArray(f, 27, 0.3f);
        var fcW = RandomArray(emb * f, 28);
        var fcB = RandomArray(emb, 29, 0.1f);

        var g = new OnnxGraphBuilder("tiny") { ProducerVersion = "test-1", DocString = "unit test" };
        var input = g.Input("input", "batch", c, h, w);
        var y = g.Conv(input, g.Initializer("conv.w", [f, c, 3, 3], convW), g.Initializer("conv.b", [f], convB), 3, 3, 2, 2, 1, 1);
        y = g.BatchNormalization(y, g.Initializer("bn.scale", [f], bnScale), g.Initializer("bn.bias", [f], bnBias),
            g.Initializer("bn.mean", [f], bnMean), g.Initializer("bn.var", [f], bnVar), 1e-5f);
        y = g.PRelu(y, g.Initializer("prelu.slope", [f, 1, 1], slope));
        y = g.Flatten(g.GlobalAveragePool(y));
        y = g.Gemm(y, g.Initializer("fc.w", [emb, f], fcW), g.Initializer("fc.b", [emb], fcB));
        g.Output(g.L2Normalize(y), "embedding", "batch", emb);

        var r = ReferenceOps.Conv(x, n, c, h, w, convW, convB, f, 3, 3, 2, 1, 1, 1, out var oh, out var ow);
        r = ReferenceOps.BatchNorm(r, n, f, oh * ow, bnScale, bnBias, bnMean, bnVar, 1e-5f);
        r = ReferenceOps.PRelu(r, n, f, oh * ow, slope);
        r = ReferenceOps.GlobalAveragePool(r, n, f, oh * ow);
        r = ReferenceOps.Linear(r, n, f, fcW, emb, fcB);
        var expected = ReferenceOps.L2NormalizeRows(r, n, emb);

        using var dir = new TempDir();
        var path = dir.File("tiny.onnx");
        g.Save(path);
        Assert.False(File.Exists(path + ".tmp"));
        using var session = Load(File.ReadAllBytes(path));
        Assert.Equal("edgeface-train", session.ModelMetadata.ProducerName);
        Assert.Equal("tiny", session.ModelMetadata.GraphName);
        Assert.Equal("unit test", session.ModelMetadata.Description);
        var inputMeta = session.InputMetadata["input"];
        Assert.Equal(new[] { -1, c, h, w }, inputMeta.Dimensions);
        Assert.Equal("batch", inputMeta.SymbolicDimensions[0]);
        Assert.Equal(new[] { -1, emb }, session.OutputMetadata["embedding"].Dimensions);

        var (actual, shape) = Run(session, "input", x, [n, c, h, w]);
        Assert.Equal(new long[] { n, emb }, shape);
        AssertClose(expected, actual);
    }

    [Fact]
    public void Strict_shape_inference_rejects_a_wrongly_declared_output()
    {
        // Proves the harness really runs shape inference: GAP of 4 channels declared as 5 must fail to load.
        var g = new OnnxGraphBuilder();
        g.Output(g.GlobalAveragePool(g.Input("input", 1, 4, 3, 3)), "output", 1, 5, 1, 1);
        Assert.ThrowsAny<OnnxRuntimeException>(() => Load(g.ToBytes()).Dispose());
    }

    [Fact]
    public void Initializer_whose_dims_disagree_with_its_data_is_rejected_by_name()
    {
        var g = new OnnxGraphBuilder();
        var e = Assert.Throws<ArgumentException>(() => g.Initializer("conv1.weight", [8, 3, 3, 3], new float[200]));
        Assert.Contains("conv1.weight", e.Message);
        Assert.Contains("216", e.Message);
        Assert.Contains("200", e.Message);
    }

    [Fact]
    public void Wiring_mistakes_fail_when_building_not_in_the_runtime()
    {
        var g = new OnnxGraphBuilder();
        var input = g.Input("input", "batch", 4);
        Assert.Contains("'nope'", Assert.Throws<ArgumentException>(() => g.Relu("nope")).Message);
        Assert.Contains("'input'", Assert.Throws<ArgumentException>(() => g.Input("input", 1)).Message);
        Assert.Contains("'input'", Assert.Throws<ArgumentException>(() => g.Initializer("input", [1], [1f])).Message);
        Assert.Contains("no outputs", Assert.Throws<InvalidOperationException>(() => g.ToBytes()).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxDim.Fixed(-1));
        _ = input;
    }

    [Fact]
    public void Generated_names_are_unique_and_hints_are_kept()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", "batch", 4);
        var a = g.Relu(x, "block.act");
        var b = g.Relu(a, "block.act");
        var c = g.Relu(b);
        var d = g.Relu(c);
        Assert.Equal(["block.act", "block.act_1", "relu", "relu_1"], new[] { a, b, c, d });
        Assert.Equal("x_1", g.UniqueName("x"));
        g.Output(d, "out");
        using var session = Load(g.ToBytes());
        Assert.Equal(["out"], session.OutputNames);
    }

    [Fact]
    public void Save_into_a_missing_folder_is_a_clear_error_and_leaves_nothing_behind()
    {
        using var dir = new TempDir();
        var g = new OnnxGraphBuilder();
        g.Output(g.Relu(g.Input("x", 1, 2)), "y");
        var path = Path.Combine(dir.Path, "missing", "model.onnx");
        var e = Assert.Throws<EdgeFace.Runtime.EdgeFaceException>(() => g.Save(path));
        Assert.StartsWith($"cannot write ONNX model {path}", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Folded_batch_norm_conv_equals_conv_then_batch_norm_in_ort()
    {
        const int n = 2, c = 3, h = 8, w = 8, f = 6;
        var x = RandomArray(n * c * h * w, 40);
        var convW = RandomArray(f * c * 9, 41, 0.5f);
        var convB = RandomArray(f, 42, 0.1f);
        var gamma = RandomArray(f, 43).Select(v => 1 + 0.5f * v).ToArray();
        var beta = RandomArray(f, 44, 0.2f);
        var mean = RandomArray(f, 45, 0.3f);
        var variance = RandomArray(f, 46).Select(v => 0.2f + Math.Abs(v)).ToArray();

        var twoOps = new OnnxGraphBuilder();
        var y = twoOps.Conv(twoOps.Input("input", "batch", c, h, w), twoOps.Initializer("w", [f, c, 3, 3], convW), twoOps.Initializer("b", [f], convB), 3, 3, padH: 1, padW: 1);
        y = twoOps.BatchNormalization(y, twoOps.Initializer("g", [f], gamma), twoOps.Initializer("beta", [f], beta),
            twoOps.Initializer("mu", [f], mean), twoOps.Initializer("var", [f], variance), 1e-3f);
        twoOps.Output(y, "output");

        var foldedW = (float[])convW.Clone();
        var foldedB = (float[])convB.Clone();
        BatchNormFolding.Fold(foldedW, foldedB, gamma, beta, mean, variance, 1e-3f);
        var oneOp = new OnnxGraphBuilder();
        oneOp.Output(oneOp.Conv(oneOp.Input("input", "batch", c, h, w), oneOp.Initializer("w", [f, c, 3, 3], foldedW), oneOp.Initializer("b", [f], foldedB), 3, 3, padH: 1, padW: 1), "output");

        AssertClose(Run(twoOps.ToBytes(), "input", x, [n, c, h, w]).Data, Run(oneOp.ToBytes(), "input", x, [n, c, h, w]).Data);
        Assert.Throws<ArgumentException>(() => BatchNormFolding.Fold(foldedW, foldedB, gamma[..2], beta, mean, variance, 1e-3f));
    }

    [Fact]
    public void Multi_megabyte_initializers_round_trip_through_ort()
    {
        const int inF = 1024, outF = 2048;                   // 2M parameters, 8 MB of raw_data
        var weight = RandomArray(outF * inF, 50, 0.05f);
        var x = RandomArray(2 * inF, 51);
        var g = new OnnxGraphBuilder();
        g.Output(g.Gemm(g.Input("input", "batch", inF), g.Initializer("fc.weight", [outF, inF], weight), null), "output", "batch", outF);
        var bytes = g.ToBytes();
        Assert.InRange(bytes.Length, outF * inF * 4, outF * inF * 4 + 1024);
        AssertClose(ReferenceOps.Linear(x, 2, inF, weight, outF, null), Run(bytes, "input", x, [2, inF]).Data, 1e-4f);
    }

    [Fact]
    public void Sigmoid_and_generic_nodes_match_reference()
    {
        var x = RandomArray(12, 60, 4f);
        var g = new OnnxGraphBuilder();
        var input = g.Input("input", "batch", 6);
        var gate = g.Sigmoid(input);
        var tanh = g.Node("Tanh", [input], []);                      // any op through the generic helper
        g.Output(g.Mul(gate, tanh), "output", "batch", 6);
        var expected = x.Select(v => (float)(1 / (1 + Math.Exp(-v)) * Math.Tanh(v))).ToArray();
        AssertClose(expected, Run(g.ToBytes(), "input", x, [2, 6]).Data);
    }
}
