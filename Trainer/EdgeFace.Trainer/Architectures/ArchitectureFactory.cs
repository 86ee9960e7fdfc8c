using EdgeFace.Runtime;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Layers;

namespace EdgeFace.Trainer.Architectures;

/// <summary>
/// The networks the trainer builds, layer for layer as /work/shared/anchors/torch_train_bench.py defines them,
/// so parameter counts and arithmetic match the PyTorch reference. <see cref="Create"/> leaves the parameter
/// store unsealed so a loss head can still register its weights.
/// </summary>
public static class ArchitectureFactory
{
    public static readonly string[] Names = ["mobilefacenet", "resnet18-face", "signet-lite", "signet-small"];

    /// <summary>Whether the architecture embeds signatures (1×150×220 cleaned canvases) rather than faces.</summary>
    public static bool IsSignature(string architecture) => architecture.StartsWith("signet", StringComparison.Ordinal);

    public static int DefaultEmbeddingSize(string architecture) => architecture == "resnet18-face" ? 512 : 128;

    /// <summary>Input size the architecture is defined for (C, H, W).</summary>
    public static (int C, int H, int W) DefaultInput(string architecture) => architecture switch
    {
        "signet-lite" or "signet-small" => (1, 150, 220),
        _ => (3, 112, 112),
    };

    public static Network Create(string architecture, int embeddingSize, Rng rng, (int C, int H, int W)? input = null)
    {
        var store = new ParameterStore();
        var (c, h, w) = input ?? DefaultInput(architecture);
        Layer body = architecture switch
        {
            "mobilefacenet" => MobileFaceNet(store, rng, c, h, w, embeddingSize),
            "resnet18-face" => ResNet18Face(store, rng, c, embeddingSize),
            "signet-lite" => SigNetLite(store, rng, c, h, w, embeddingSize, [96, 256, 384, 256], 1024),
            // A quarter-width SigNet (≈12× fewer multiply-adds) for CPU training budgets of minutes.
            "signet-small" => SigNetLite(store, rng, c, h, w, embeddingSize, [32, 64, 96, 64], 256),
            _ => throw new EdgeFaceException($"unknown architecture '{architecture}' (expected {string.Join(", ", Names)})"),
        };
        return new Network
        {
            Architecture = architecture, Body = body, Parameters = store,
            InputChannels = c, InputHeight = h, InputWidth = w, EmbeddingSize = embeddingSize,
        };
    }

    /// <summary>Conv (no bias) → BN → optional PReLU, "same" padding unless given: MobileFaceNet's unit.</summary>
    private static Sequential ConvBn(ParameterStore s, Rng rng, string name, int cin, int cout, int k, int stride = 1,
        int groups = 1, bool act = true, int? pad = null)
    {
        var layers = new List<Layer>
        {
            new Conv2d(s, rng, name + ".conv", cin, cout, k, stride, pad ?? k / 2, groups),
            new BatchNorm(s, name + ".bn", cout),
        };
        if (act) layers.Add(new PReLU(s, name + ".prelu", cout));
        return new Sequential([.. layers]);
    }

    /// <summary>Chen et al. 2018, Table 1. The final depthwise "GDConv" spans the whole 7×7 map at 112×112 input.</summary>
    private static Layer MobileFaceNet(ParameterStore s, Rng rng, int c, int h, int w, int embedding)
    {
        var layers = new List<Layer> { ConvBn(s, rng, "conv1", c, 64, 3, 2), ConvBn(s, rng, "conv2_dw", 64, 64, 3, groups: 64) };
        var cin = 64;
        var block = 0;
        foreach (var (t, cout, n, stride) in new[] { (2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1) })
            for (var i = 0; i < n; i++)
            {
                var name = $"bottleneck{block++}";
                var hidden = cin * t;
                var st = i == 0 ? stride : 1;
                var body = new Sequential(ConvBn(s, rng, name + ".expand", cin, hidden, 1),
                    ConvBn(s, rng, name + ".dw", hidden, hidden, 3, st, groups: hidden),
                    ConvBn(s, rng, name + ".project", hidden, cout, 1, act: false));
                layers.Add(st == 1 && cin == cout ? new Residual(body) : body);
                cin = cout;
            }
        // Spatial size after the four stride-2 stages (conv1 + three bottleneck stages).
        int fh = h, fw = w;
        for (var i = 0; i < 4; i++) { fh = (fh + 1) / 2; fw = (fw + 1) / 2; }
        if (fh != fw) throw new EdgeFaceException($"mobilefacenet needs a square input, got {h}x{w}");
        layers.Add(ConvBn(s, rng, "conv_sep", cin, 512, 1));
        layers.Add(ConvBn(s, rng, "gdconv", 512, 512, fh, groups: 512, act: false, pad: 0));
        layers.Add(ConvBn(s, rng, "embedding", 512, embedding, 1, act: false));
        layers.Add(new Flatten());
        return new Sequential([.. layers]);
    }

    private static Layer ResNet18Face(ParameterStore s, Rng rng, int c, int embedding)
    {
        var layers = new List<Layer>
        {
            new Conv2d(s, rng, "stem.conv", c, 64, 7, 2, 3), new BatchNorm(s, "stem.bn", 64, relu: true), new MaxPool2d(3, 2, 1),
        };
        var cin = 64;
        var index = 0;
        foreach (var (cout, stride) in new[] { (64, 1), (128, 2), (256, 2), (512, 2) })
        {
            layers.Add(BasicBlock(s, rng, $"block{index++}", cin, cout, stride));
            layers.Add(BasicBlock(s, rng, $"block{index++}", cout, cout, 1));
            cin = cout;
        }
        layers.Add(new GlobalAvgPool());
        layers.Add(new Flatten());
        layers.Add(new Linear(s, rng, "fc", 512, embedding));
        layers.Add(new BatchNorm(s, "fc.bn", embedding));
        return new Sequential([.. layers]);
    }

    private static Layer BasicBlock(ParameterStore s, Rng rng, string name, int cin, int cout, int stride)
    {
        var body = new Sequential(
            new Conv2d(s, rng, name + ".conv1", cin, cout, 3, stride, 1), new BatchNorm(s, name + ".bn1", cout, relu: true),
            new Conv2d(s, rng, name + ".conv2", cout, cout, 3, 1, 1), new BatchNorm(s, name + ".bn2", cout));
        Layer? down = stride != 1 || cin != cout
            ? new Sequential(new Conv2d(s, rng, name + ".down.conv", cin, cout, 1, stride), new BatchNorm(s, name + ".down.bn", cout))
            : null;
        return new Residual(body, down, reluAfter: true);
    }

    private static Layer SigNetLite(ParameterStore s, Rng rng, int c, int h, int w, int embedding, int[] widths, int hidden)
    {
        static int Conv(int size, int k, int stride, int pad) => (size + 2 * pad - k) / stride + 1;
        Layer[] Cbr(string name, int cin, int cout, int k, int stride = 1)
        {
            var pad = stride == 1 ? k / 2 : 0;
            return [new Conv2d(s, rng, name + ".conv", cin, cout, k, stride, pad), new BatchNorm(s, name + ".bn", cout, relu: true)];
        }
        var features = new List<Layer>();
        features.AddRange(Cbr("conv1", c, widths[0], 11, 4)); features.Add(new MaxPool2d(3, 2));
        features.AddRange(Cbr("conv2", widths[0], widths[1], 5)); features.Add(new MaxPool2d(3, 2));
        features.AddRange(Cbr("conv3", widths[1], widths[2], 3));
        features.AddRange(Cbr("conv4", widths[2], widths[3], 3)); features.Add(new MaxPool2d(3, 2));
        features.Add(new Flatten());
        int fh = Conv(Conv(Conv(Conv(h, 11, 4, 0), 3, 2, 0), 3, 2, 0), 3, 2, 0);
        int fw = Conv(Conv(Conv(Conv(w, 11, 4, 0), 3, 2, 0), 3, 2, 0), 3, 2, 0);
        if (fh <= 0 || fw <= 0) throw new EdgeFaceException($"signet-lite input {h}x{w} is too small");
        features.Add(new Linear(s, rng, "fc1", widths[3] * fh * fw, hidden));
        features.Add(new ReLU(inPlace: true));
        features.Add(new Linear(s, rng, "fc2", hidden, embedding));
        return new Sequential([.. features]);
    }
}
