using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Layers;
using EdgeFace.Trainer.Losses;

namespace EdgeFace.Trainer.Tests.Engine;

/// <summary>Finite-difference checks of every op and loss, w.r.t. inputs and parameters, on small shapes.</summary>
public class GradientCheckTests
{
    private static void CheckLayer(Func<ParameterStore, Rng, Layer> make, (int N, int C, int H, int W) shape,
        bool training = true, float avoidBelow = 0f, float[]? input = null, float eps = 1e-2f)
    {
        var store = new ParameterStore();
        var layer = make(store, new Rng(3));
        input ??= GradientChecker.RandomInput(shape.N * shape.C * shape.H * shape.W, 11, 1f, avoidBelow);
        GradientChecker.Check(store, input, shape, (g, x) => GradientChecker.Project(g, layer.Forward(g, x)), training, eps);
    }

    [Theory]
    [InlineData(3, 4, 3, 1, 1, 1, true)]
    [InlineData(4, 6, 3, 2, 1, 2, false)]
    [InlineData(4, 4, 3, 1, 1, 4, false)]   // depthwise
    [InlineData(3, 5, 1, 1, 0, 1, false)]   // pointwise
    [InlineData(2, 3, 5, 2, 0, 1, true)]
    public void Conv2d(int cin, int cout, int k, int stride, int pad, int groups, bool bias) =>
        CheckLayer((s, r) => new Conv2d(s, r, "conv", cin, cout, k, stride, pad, groups, bias), (2, cin, 6, 7));

    [Fact]
    public void BatchNorm2d_training_uses_batch_statistics() =>
        CheckLayer((s, _) => new BatchNorm(s, "bn", 3), (4, 3, 3, 2));

    [Fact]
    public void BatchNorm2d_eval_uses_running_statistics() =>
        CheckLayer((s, _) => new BatchNorm(s, "bn", 3), (2, 3, 3, 2), training: false);

    [Fact]
    public void BatchNorm1d_training() =>
        CheckLayer((s, _) => new BatchNorm(s, "bn", 5), (6, 5, 1, 1));

    [Fact]
    public void ReLU() => CheckLayer((_, _) => new ReLU(), (2, 3, 4, 4), avoidBelow: 0.05f);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReLU_in_place_or_fused_into_batch_norm_gives_the_same_values_and_gradients_as_a_separate_output(bool training)
    {
        // In place, the ReLU shares its input's values and gradient slot: the batch norm before it must still see
        // the masked gradient. Fused, the batch norm applies it and recomputes the mask from its input. All three
        // must agree bit for bit. (A finite-difference check would trip over the kink at 0 of batch-normed values.)
        // 5×5 planes run both the vector loops and their scalar tails.
        (float[] Output, float[] InputGrad, float[] ParamGrad) Run(string relu)
        {
            var store = new ParameterStore();
            var rng = new Rng(3);
            Layer[] middle = relu == "fused"
                ? [new BatchNorm(store, "bn", 3, relu: true)]
                : [new BatchNorm(store, "bn", 3), new ReLU(inPlace: relu == "in place")];
            var net = new Sequential([new Conv2d(store, rng, "conv", 2, 3, 3, 1, 1), .. middle, new Conv2d(store, rng, "conv2", 3, 2, 1)]);
            store.Seal();
            var graph = new Graph(store, training, needsGrad: true, new Rng(99));
            var x = graph.Input(GradientChecker.RandomInput(2 * 2 * 5 * 5, 11, 1f, 0f), 2, 2, 5, 5, withGrad: true);
            var y = net.Forward(graph, x);
            GradientChecker.Project(graph, y);
            graph.Backward();
            return (y.Data.ToArray(), x.Grad.ToArray(), store.Grads.ToArray());
        }
        var separate = Run("separate");
        Assert.Contains(separate.ParamGrad, v => v != 0);
        foreach (var variant in new[] { "in place", "fused" })
        {
            var other = Run(variant);
            Assert.Equal(separate.Output, other.Output);
            Assert.Equal(separate.InputGrad, other.InputGrad);
            Assert.Equal(separate.ParamGrad, other.ParamGrad);
        }
    }

    [Fact]
    public void PReLU() => CheckLayer((s, _) => new PReLU(s, "prelu", 3), (2, 3, 4, 4), avoidBelow: 0.05f);

    [Theory]
    [InlineData(3, 2, 1, 7, 7)]
    [InlineData(3, 2, 1, 6, 37)]   // rows wider than a vector: the vectorised column pass and its tail
    [InlineData(3, 2, 0, 7, 40)]   // SigNet's pooling
    [InlineData(2, 2, 0, 4, 34)]
    public void MaxPool2d(int kernel, int stride, int pad, int h, int w)
    {
        // Distinct values spaced wider than the finite-difference step, so the arg-max never flips.
        var rng = new Rng(4);
        var values = Enumerable.Range(0, 2 * 2 * h * w).Select(i => i * 0.05f - 4.9f).ToArray();
        rng.Shuffle(values.AsSpan());
        CheckLayer((_, _) => new MaxPool2d(kernel, stride, pad), (2, 2, h, w), input: values);
    }

    [Fact]
    public void AvgPool2d() => CheckLayer((_, _) => new AvgPool2d(2, 2), (2, 2, 6, 6));

    [Fact]
    public void GlobalAvgPool() => CheckLayer((_, _) => new GlobalAvgPool(), (2, 3, 4, 5));

    [Fact]
    public void Linear_with_bias() => CheckLayer((s, r) => new Linear(s, r, "fc", 12, 5), (3, 3, 2, 2));

    [Fact]
    public void Linear_without_bias() => CheckLayer((s, r) => new Linear(s, r, "fc", 6, 4, bias: false), (3, 6, 1, 1));

    [Fact]
    public void Dropout_in_training_uses_its_mask() => CheckLayer((_, _) => new Dropout(0.3f), (3, 4, 2, 2));

    [Fact]
    public void Flatten_then_linear() =>
        CheckLayer((s, r) => new Sequential(new Flatten(), new Linear(s, r, "fc", 18, 3)), (2, 2, 3, 3));

    [Fact]
    public void Residual_add_with_shortcut_and_relu() =>
        CheckLayer((s, r) => new Residual(new Conv2d(s, r, "a", 3, 4, 3, 1, 1), new Conv2d(s, r, "b", 3, 4, 1), reluAfter: true),
            (2, 3, 4, 4), eps: 1e-3f);

    [Fact]
    public void Residual_identity() =>
        CheckLayer((s, r) => new Residual(new Sequential(new Conv2d(s, r, "a", 3, 3, 3, 1, 1), new BatchNorm(s, "bn", 3))), (2, 3, 4, 4));

    [Fact]
    public void L2Normalize() => CheckLayer((_, _) => new L2Normalize(), (3, 4, 2, 1));

    // ---- losses: the scalar is the loss itself; the input is the embedding batch [N, D]

    private static void CheckLoss(Func<ParameterStore, Rng, EmbeddingLoss> make, int[] labels, int d, float scale = 1f)
    {
        var store = new ParameterStore();
        var loss = make(store, new Rng(8));
        var input = GradientChecker.RandomInput(labels.Length * d, 21, scale);
        GradientChecker.Check(store, input, (labels.Length, d, 1, 1), (g, x) => loss.Forward(g, x, labels), eps: 1e-2f,
            // Head weights start at N(0, 0.01); scale them up so a ±eps step is small against a row's norm.
            prepare: p => { foreach (var w in p.Parameters) foreach (ref var v in p.Value(w)) v *= 50; });
    }

    private static readonly int[] PkLabels = [0, 0, 1, 1, 2, 2, 3, 3];

    [Fact]
    public void Softmax_cross_entropy() => CheckLoss((s, r) => new SoftmaxLoss(s, r, 6, 4), [0, 1, 2, 3, 1], 6);

    [Fact]
    public void ArcFace() => CheckLoss((s, r) => new MarginSoftmaxLoss(s, r, 6, 5, MarginKind.ArcFace, scale: 4f, margin: 0.5f), [0, 1, 2, 3, 4, 1], 6);

    [Fact]
    public void ArcFace_easy_margin() =>
        CheckLoss((s, r) => new MarginSoftmaxLoss(s, r, 6, 5, MarginKind.ArcFace, scale: 4f, margin: 0.5f, easyMargin: true), [0, 1, 2, 3, 4, 1], 6);

    [Fact]
    public void CosFace() => CheckLoss((s, r) => new MarginSoftmaxLoss(s, r, 6, 5, MarginKind.CosFace, scale: 4f, margin: 0.35f), [0, 1, 2, 3, 4, 1], 6);

    [Fact]
    public void Contrastive() => CheckLoss((_, _) => new ContrastiveLoss(margin: 1.2f), PkLabels, 5);

    [Fact]
    public void Triplet_batch_hard() => CheckLoss((_, _) => new TripletLoss(margin: 0.5f, TripletMining.BatchHard), PkLabels, 5);

    [Fact]
    public void Triplet_semi_hard() => CheckLoss((_, _) => new TripletLoss(margin: 0.5f, TripletMining.SemiHard), PkLabels, 5);

    /// <summary>P×K genuine samples followed by negative-only skilled forgeries (label −1 − writer) of writers 0 and 1.</summary>
    private static readonly int[] PkWithForgeries = [0, 0, 1, 1, 2, 2, -1, -2];

    [Theory]
    [InlineData(TripletMining.BatchHard)]
    [InlineData(TripletMining.SemiHard)]
    public void Triplet_with_own_forgery_terms(TripletMining mining) =>
        CheckLoss((_, _) => new TripletLoss(margin: 0.5f, mining, forgeryMargin: 0.7f), PkWithForgeries, 5);
}
