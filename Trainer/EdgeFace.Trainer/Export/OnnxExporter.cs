using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Layers;
using EdgeFace.Trainer.Onnx;

namespace EdgeFace.Trainer.Export;

/// <summary>
/// Writes a network's eval-mode computation as ONNX (opset 17) with trainer-io's <see cref="OnnxGraphBuilder"/>.
/// BatchNorm is folded into the convolution or linear layer right before it (w' = w·γ/σ, b' = (b − μ)·γ/σ + β),
/// so the exported graph has no BatchNormalization nodes where a fold is possible. Dropout exports as nothing.
/// </summary>
public static class OnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "embedding";

    public static byte[] ToOnnx(Network network, string docString = "") => ToOnnx(new ExportedNetworks([network]), docString);

    /// <summary>
    /// One network as its raw output; an ensemble as every member on the same input, each L2-normalised, concatenated
    /// along the features (member i's values and nodes are named with the prefix <c>m{i}_</c>).
    /// </summary>
    public static byte[] ToOnnx(ExportedNetworks networks, string docString = "")
    {
        var first = networks.First;
        var graphName = networks.IsEnsemble ? $"{first.Architecture}-ensemble-{networks.Members.Count}" : first.Architecture;
        var b = new OnnxGraphBuilder(graphName) { DocString = docString, ProducerVersion = "1" };
        var x = b.Input(InputName, "batch", first.InputChannels, first.InputHeight, first.InputWidth);
        var outputs = new List<string>();
        for (var m = 0; m < networks.Members.Count; m++)
        {
            var prefix = networks.IsEnsemble ? $"m{m + 1}_" : "";
            var member = networks.Members[m];
            var (y, rank) = new EmitState(b, member.Parameters, prefix).Emit(member.Body, x, 4);
            if (rank != 2) y = b.Flatten(y, 1, prefix + "flatten_out");
            outputs.Add(networks.IsEnsemble ? b.L2Normalize(y, 1, prefix + "l2norm") : y);
        }
        var output = networks.IsEnsemble ? b.Node("Concat", outputs, [OnnxAttribute.Int("axis", 1)], "ensemble_concat") : outputs[0];
        b.Output(output, OutputName, "batch", networks.EmbeddingSize);
        return b.ToBytes();
    }

    private sealed class EmitState(OnnxGraphBuilder b, ParameterStore p, string prefix)
    {
        public (string Value, int Rank) Emit(Layer layer, string x, int rank)
        {
            switch (layer)
            {
                case Sequential seq:
                    var children = seq.Children;
                    for (var i = 0; i < children.Count; i++)
                    {
                        var bn = i + 1 < children.Count ? children[i + 1] as BatchNorm : null;
                        if (bn is not null && children[i] is Conv2d conv) { x = FusedRelu(bn, EmitConv(conv, bn, x)); i++; continue; }
                        if (bn is not null && children[i] is Linear linear) { x = FusedRelu(bn, EmitLinear(linear, bn, x, ref rank)); i++; continue; }
                        (x, rank) = Emit(children[i], x, rank);
                    }
                    return (x, rank);
                case Conv2d conv: return (EmitConv(conv, null, x), 4);
                case Linear linear: return (EmitLinear(linear, null, x, ref rank), rank);
                case BatchNorm bn:
                    return (FusedRelu(bn, b.BatchNormalization(x, Init(bn.Gamma.Name, [bn.Channels], p.Value(bn.Gamma)), Init(bn.Beta.Name, [bn.Channels], p.Value(bn.Beta)),
                        Init(bn.RunningMean.Name, [bn.Channels], p.Buffer(bn.RunningMean)), Init(bn.RunningVar.Name, [bn.Channels], p.Buffer(bn.RunningVar)),
                        BatchNorm.Epsilon)), rank);
                case PReLU prelu:
                    long[] slopeShape = rank == 4 ? [prelu.Channels, 1, 1] : [prelu.Channels];
                    return (b.PRelu(x, Init(prelu.Slope.Name, slopeShape, p.Value(prelu.Slope))), rank);
                case ReLU: return (b.Relu(x), rank);
                case MaxPool2d m: return (b.MaxPool(x, m.Kernel, m.Kernel, m.Stride, m.Stride, m.Pad, m.Pad), 4);
                case AvgPool2d a: return (b.AveragePool(x, a.Kernel, a.Kernel, a.Stride, a.Stride, a.Pad, a.Pad, countIncludePad: true), 4);
                case GlobalAvgPool: return (b.GlobalAveragePool(x), 4);
                case Flatten: return (b.Flatten(x, 1), 2);
                case Dropout: return (x, rank);
                case L2Normalize: return (b.L2Normalize(x, 1), rank);
                case Residual r:
                    var (main, _) = Emit(r.Body, x, rank);
                    var skip = r.Shortcut is null ? x : Emit(r.Shortcut, x, rank).Value;
                    var sum = b.Add(main, skip);
                    return (r.ReluAfter ? b.Relu(sum) : sum, rank);
                default:
                    throw new NotSupportedException($"no ONNX export for layer {layer.GetType().Name}");
            }
        }

        /// <summary>The ReLU a batch norm computes in its own passes is a node of its own in ONNX.</summary>
        private string FusedRelu(BatchNorm bn, string x) => bn.Relu ? b.Relu(x) : x;

        private string EmitConv(Conv2d conv, BatchNorm? bn, string x)
        {
            var (w, bias) = Fold(p.Value(conv.Weight).ToArray(), conv.Bias is null ? null : p.Value(conv.Bias).ToArray(), conv.OutChannels, bn);
            var name = conv.Weight.Name[..^".weight".Length];
            var wName = Init(name + ".weight", [conv.OutChannels, conv.InChannels / conv.Groups, conv.Kernel, conv.Kernel], w);
            var bName = bias is null ? null : Init(name + ".bias", [conv.OutChannels], bias);
            return b.Conv(x, wName, bName, conv.Kernel, conv.Kernel, conv.Stride, conv.Stride, conv.Pad, conv.Pad, conv.Groups, name: prefix + name);
        }

        private string EmitLinear(Linear linear, BatchNorm? bn, string x, ref int rank)
        {
            if (rank != 2) { x = b.Flatten(x, 1); rank = 2; }
            var (w, bias) = Fold(p.Value(linear.Weight).ToArray(), linear.Bias is null ? null : p.Value(linear.Bias).ToArray(), linear.OutFeatures, bn);
            var name = linear.Weight.Name[..^".weight".Length];
            var wName = Init(name + ".weight", [linear.OutFeatures, linear.InFeatures], w);
            var bName = bias is null ? null : Init(name + ".bias", [linear.OutFeatures], bias);
            return b.Gemm(x, wName, bName, transB: true, name: prefix + name);
        }

        /// <summary>Folds eval-mode BN (running statistics) into weight rows [Out, ...] and bias [Out].</summary>
        private (float[] Weight, float[]? Bias) Fold(float[] weight, float[]? bias, int outputs, BatchNorm? bn)
        {
            if (bn is null) return (weight, bias);
            var gamma = p.Value(bn.Gamma); var beta = p.Value(bn.Beta);
            var mean = p.Buffer(bn.RunningMean); var variance = p.Buffer(bn.RunningVar);
            var folded = new float[outputs];
            var row = weight.Length / outputs;
            for (var o = 0; o < outputs; o++)
            {
                var scale = (double)gamma[o] / Math.Sqrt(variance[o] + (double)BatchNorm.Epsilon);
                for (var i = 0; i < row; i++) weight[o * row + i] = (float)(weight[o * row + i] * scale);
                folded[o] = (float)(((bias is null ? 0 : bias[o]) - mean[o]) * scale + beta[o]);
            }
            return (weight, folded);
        }

        private string Init(string name, long[] dims, ReadOnlySpan<float> data) =>
            b.Initializer(b.UniqueName(prefix + name), dims, data);
    }
}
