using Microsoft.ML.OnnxRuntime;

namespace EdgeFace.Trainer.Tests.Onnx;

/// <summary>Loads encoded ONNX bytes into a real ONNX Runtime session (strict shape inference on) and runs it.</summary>
internal static class OrtHarness
{
    public static InferenceSession Load(byte[] model)
    {
        using var options = new SessionOptions();
        // Make ORT fail, rather than warn, when shape/type inference disagrees with what the graph declares.
        options.AddSessionConfigEntry("session.strict_shape_type_inference", "1");
        // Default (full) graph optimisation, as the runtime loads models: fusions must not break the exported graph.
        return new InferenceSession(model, options);
    }

    public static (float[] Data, long[] Shape) Run(byte[] model, string inputName, float[] input, long[] inputShape)
    {
        using var session = Load(model);
        return Run(session, inputName, input, inputShape);
    }

    public static (float[] Data, long[] Shape) Run(InferenceSession session, string inputName, float[] input, long[] inputShape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], [session.OutputNames[0]]);
        var output = outputs[0];
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }

    public static float[] RandomArray(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (var i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return a;
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = Math.Abs(expected[i] - actual[i]);
            // Relative for large magnitudes, absolute near zero.
            var allowed = tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(diff <= allowed, $"element {i}: expected {expected[i]}, got {actual[i]} (|diff| {diff} > {allowed})");
        }
    }
}
