using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Export;
using EdgeFace.Trainer.Layers;
using EdgeFace.Trainer.Tests.Engine;

namespace EdgeFace.Trainer.Tests.Export;

/// <summary>Exported graphs (BN folded) run in ONNX Runtime give the engine's eval-mode output.</summary>
public class OnnxExportTests
{
    /// <summary>Non-trivial BN statistics and affine parameters, so folding is really exercised.</summary>
    private static void Randomize(ParameterStore p)
    {
        var rng = new Rng(77);
        foreach (var info in p.Parameters.Where(i => i.Kind == ParameterKind.Norm))
            foreach (ref var v in p.Value(info)) v += rng.Uniform(-0.3f, 0.3f);
        foreach (var b in p.BufferInfos)
            foreach (ref var v in p.Buffer(b)) v = b.Name.EndsWith("running_var", StringComparison.Ordinal) ? rng.Uniform(0.5f, 2f) : rng.Uniform(-0.2f, 0.2f);
    }

    [Theory]
    [InlineData("mobilefacenet", 3, 56, 56)]
    [InlineData("resnet18-face", 3, 32, 32)]
    [InlineData("signet-lite", 1, 80, 100)]
    public void Onnx_runtime_matches_the_engine(string arch, int c, int h, int w)
    {
        var net = ArchitectureFactory.Create(arch, 64, new Rng(5), (c, h, w));
        net.Parameters.Seal();
        Randomize(net.Parameters);
        var onnx = OnnxExporter.ToOnnx(net);
        var real = GradientChecker.RandomInput(2 * net.InputLength, 9, 2f);
        var check = ExportVerifier.Verify(new ExportedNetworks([net]), onnx, real, 2);
        Assert.True(check.Passed, $"max |diff| {check.MaxAbsDifference} (max |y| {check.MaxReference}), normalised {check.MaxNormalizedDifference}");
        Assert.True(check.MaxReference > 0.01);
    }

    [Fact]
    public void Seed_ensemble_exports_as_one_model_whose_cosine_is_the_mean_of_the_members()
    {
        var members = new[] { 5UL, 6UL, 7UL }.Select(seed =>
        {
            var net = ArchitectureFactory.Create("signet-small", 16, new Rng(seed), (1, 80, 100));
            net.Parameters.Seal();
            Randomize(net.Parameters);
            return net;
        }).ToArray();
        var ensemble = new ExportedNetworks(members);
        Assert.Equal(48, ensemble.EmbeddingSize);
        var onnx = OnnxExporter.ToOnnx(ensemble);
        var images = GradientChecker.RandomInput(2 * ensemble.InputLength, 9, 2f);
        var check = ExportVerifier.Verify(ensemble, onnx, images, 2);
        Assert.True(check.Passed, $"max |diff| {check.MaxAbsDifference}, normalised {check.MaxNormalizedDifference}");

        var whole = ExportVerifier.RunOnnx(onnx, images, 2, ensemble);
        var memberCosines = members.Select(m =>
        {
            var e = ExportVerifier.RunOnnx(OnnxExporter.ToOnnx(m), images, 2, new ExportedNetworks([m]));
            return Cosine(e.AsSpan(0, 16), e.AsSpan(16, 16));
        }).ToArray();
        Assert.Equal(memberCosines.Average(), Cosine(whole.AsSpan(0, 48), whole.AsSpan(48, 48)), 4);
    }

    [Fact]
    public void Ensemble_members_must_share_architecture_and_sizes()
    {
        var a = ArchitectureFactory.Create("signet-small", 16, new Rng(1), (1, 80, 100));
        var b = ArchitectureFactory.Create("signet-small", 32, new Rng(2), (1, 80, 100));
        var e = Assert.Throws<EdgeFace.Runtime.EdgeFaceException>(() => new ExportedNetworks([a, b]));
        Assert.Contains("must share", e.Message);
    }

    private static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double xy = 0, xx = 0, yy = 0;
        for (var i = 0; i < x.Length; i++) { xy += x[i] * (double)y[i]; xx += x[i] * (double)x[i]; yy += y[i] * (double)y[i]; }
        return xy / Math.Sqrt(xx * yy);
    }

    [Fact]
    public void A_batch_norm_with_a_fused_relu_exports_as_its_own_nodes_where_nothing_folds_it()
    {
        // A max pool comes between the convolution and the batch norm, so it cannot be folded.
        var store = new ParameterStore();
        var rng = new Rng(4);
        var net = new Network
        {
            Architecture = "test", Parameters = store, InputChannels = 2, InputHeight = 8, InputWidth = 8, EmbeddingSize = 3 * 4 * 4,
            Body = new Sequential(new Conv2d(store, rng, "conv", 2, 3, 3, 1, 1), new MaxPool2d(2, 2),
                new BatchNorm(store, "bn", 3, relu: true), new Flatten()),
        };
        store.Seal();
        Randomize(store);
        var onnx = OnnxExporter.ToOnnx(net);
        var text = System.Text.Encoding.ASCII.GetString(onnx);
        Assert.Contains("BatchNormalization", text);
        Assert.Contains("Relu", text);
        var check = ExportVerifier.Verify(new ExportedNetworks([net]), onnx, GradientChecker.RandomInput(2 * net.InputLength, 9, 2f), 2);
        Assert.True(check.Passed, $"max |diff| {check.MaxAbsDifference} (max |y| {check.MaxReference})");
        Assert.True(check.MaxReference > 0.01);
    }

    [Fact]
    public void Batch_norm_is_folded_away_after_convolutions()
    {
        var net = ArchitectureFactory.Create("mobilefacenet", 32, new Rng(5), (3, 32, 32));
        net.Parameters.Seal();
        var text = System.Text.Encoding.ASCII.GetString(OnnxExporter.ToOnnx(net));
        Assert.DoesNotContain("BatchNormalization", text);
        Assert.Contains("Conv", text);
        Assert.Contains("PRelu", text);
    }
}
