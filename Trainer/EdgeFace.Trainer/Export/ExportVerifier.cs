using EdgeFace.Runtime;
using EdgeFace.Trainer.Engine;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeFace.Trainer.Export;

/// <summary>How far ONNX Runtime's output was from the engine's on the same inputs.</summary>
public sealed record ExportCheck(int RandomInputs, int RealInputs, double MaxAbsDifference, double MaxReference, double MaxNormalizedDifference)
{
    /// <summary>Tolerance on raw outputs, relative to their magnitude (floating-point reassociation grows with it).</summary>
    public const double Tolerance = 1e-4;
    public bool Passed => MaxAbsDifference <= Tolerance * Math.Max(1, MaxReference) && MaxNormalizedDifference <= Tolerance;
}

/// <summary>
/// Runs an exported model in ONNX Runtime and compares it with the engine's eval-mode output on random inputs
/// and on real images, so a model that would behave differently from the one trained never leaves export.
/// </summary>
public static class ExportVerifier
{
    public static ExportCheck Verify(ExportedNetworks networks, byte[] onnx, ReadOnlySpan<float> realImages, int realCount, int randomCount = 4)
    {
        var rng = new Rng(2024);
        var random = new float[randomCount * networks.InputLength];
        for (var i = 0; i < random.Length; i++) random[i] = rng.Normal();
        var all = new float[(randomCount + realCount) * networks.InputLength];
        random.CopyTo(all, 0);
        realImages[..(realCount * networks.InputLength)].CopyTo(all.AsSpan(random.Length));
        var count = randomCount + realCount;

        var expected = networks.Embed(all, count);
        var actual = RunOnnx(onnx, all, count, networks);
        double maxDiff = 0, maxRef = 0, maxNormDiff = 0;
        var d = networks.EmbeddingSize;
        for (var n = 0; n < count; n++)
        {
            var e = expected.AsSpan(n * d, d); var a = actual.AsSpan(n * d, d);
            double ne = 0, na = 0;
            for (var i = 0; i < d; i++) { ne += e[i] * (double)e[i]; na += a[i] * (double)a[i]; }
            ne = Math.Sqrt(ne) + 1e-12; na = Math.Sqrt(na) + 1e-12;
            for (var i = 0; i < d; i++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(e[i] - a[i]));
                maxRef = Math.Max(maxRef, Math.Abs(e[i]));
                maxNormDiff = Math.Max(maxNormDiff, Math.Abs(e[i] / ne - a[i] / na));
            }
        }
        return new ExportCheck(randomCount, realCount, maxDiff, maxRef, maxNormDiff);
    }

    /// <summary>Embeds with ONNX Runtime, one batch of all inputs.</summary>
    public static float[] RunOnnx(byte[] onnx, float[] inputs, int count, ExportedNetworks networks)
    {
        var network = networks.First;
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnx, options);
        var tensor = new DenseTensor<float>(inputs.AsMemory(0, count * network.InputLength),
            [count, network.InputChannels, network.InputHeight, network.InputWidth]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, tensor)]);
        var output = results.First(r => r.Name == OnnxExporter.OutputName).AsTensor<float>();
        if (output.Length != (long)count * networks.EmbeddingSize)
            throw new EdgeFaceException($"exported model produced {output.Length} values for {count} inputs, expected {count * networks.EmbeddingSize}");
        return output.ToArray();
    }
}
