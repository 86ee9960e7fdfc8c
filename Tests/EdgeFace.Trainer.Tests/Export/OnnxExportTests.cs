using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Export;
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
        var check = ExportVerifier.Verify(net, onnx, real, 2);
        Assert.True(check.Passed, $"max |diff| {check.MaxAbsDifference} (max |y| {check.MaxReference}), normalised {check.MaxNormalizedDifference}");
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
