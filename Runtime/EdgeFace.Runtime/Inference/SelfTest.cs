using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeFace.Runtime.Inference;

/// <summary>Runs two sessions of the same graph on one fixed deterministic input and compares every output.</summary>
internal static class SelfTest
{
    /// <summary>Spatial size used for dynamic axes (a multiple of 32, as dynamic detectors need).</summary>
    private const int DynamicSide = 160;

    public static float MaxRelativeDifference(InferenceSession candidate, InferenceSession reference)
    {
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, meta) in reference.InputMetadata)
        {
            var dims = meta.Dimensions.Select((d, i) => d > 0 ? d : i == 0 ? 1 : DynamicSide).ToArray();
            var tensor = new DenseTensor<float>(dims);
            var span = tensor.Buffer.Span;
            // A smooth deterministic pattern in the 0..255 range most image models expect.
            for (var i = 0; i < span.Length; i++) span[i] = 127.5f + 100f * MathF.Sin(i * 0.0137f);
            inputs.Add(NamedOnnxValue.CreateFromTensor(name, tensor));
        }
        using var a = candidate.Run(inputs);
        using var b = reference.Run(inputs);
        var worst = 0f;
        for (var o = 0; o < b.Count; o++)
        {
            var x = a[o].AsEnumerable<float>().ToArray();
            var y = b[o].AsEnumerable<float>().ToArray();
            if (x.Length != y.Length) return float.PositiveInfinity;
            for (var i = 0; i < x.Length; i++)
            {
                var d = MathF.Abs(x[i] - y[i]) / MathF.Max(1f, MathF.Abs(y[i]));
                if (!(d <= worst)) worst = float.IsNaN(d) ? float.PositiveInfinity : d;
            }
        }
        return worst;
    }
}
