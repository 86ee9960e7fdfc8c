using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Losses;

namespace EdgeFace.Trainer.Tests.Engine;

/// <summary>The architectures match the PyTorch anchor (torch_train_bench.py) parameter for parameter.</summary>
public class ArchitectureTests
{
    [Theory]
    [InlineData("mobilefacenet", 128, 1_003_136, 128_000)]
    [InlineData("resnet18-face", 512, 11_440_192, 512_000)]
    public void Margin_softmax_networks_match_the_anchor(string arch, int embedding, int backbone, int head)
    {
        var rng = new Rng(1);
        var net = ArchitectureFactory.Create(arch, embedding, rng);
        _ = new MarginSoftmaxLoss(net.Parameters, rng, embedding, 1000, MarginKind.ArcFace);
        Assert.Equal(backbone, net.BackboneParameterCount);
        Assert.Equal(head, net.HeadParameterCount);
    }

    [Fact]
    public void Signet_lite_matches_the_anchor()
    {
        var net = ArchitectureFactory.Create("signet-lite", 128, new Rng(1));
        Assert.Equal(6_461_856, net.BackboneParameterCount);
    }

    [Fact]
    public void Mobilefacenet_512_option_changes_only_the_embedding_layer()
    {
        var n128 = ArchitectureFactory.Create("mobilefacenet", 128, new Rng(1));
        var n512 = ArchitectureFactory.Create("mobilefacenet", 512, new Rng(1));
        // embedding conv 512→E plus its BN (2E).
        Assert.Equal(384 * 512 + 384 * 2, n512.BackboneParameterCount - n128.BackboneParameterCount);
    }

    [Theory]
    [InlineData("mobilefacenet", 128)]
    [InlineData("signet-lite", 128)]
    public void Forward_gives_one_embedding_per_image(string arch, int embedding)
    {
        var net = ArchitectureFactory.Create(arch, embedding, new Rng(2));
        net.Parameters.Seal();
        var g = new Graph(net.Parameters, training: false, needsGrad: false);
        var input = GradientChecker.RandomInput(2 * net.InputLength, 3);
        var y = net.Embed(g, g.Input(input, 2, net.InputChannels, net.InputHeight, net.InputWidth));
        Assert.Equal((2, embedding), (y.N, y.C));
        Assert.All(y.Data.ToArray(), v => Assert.True(float.IsFinite(v)));
    }
}
