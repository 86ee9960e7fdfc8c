using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;

namespace EdgeFace.Enrollment.Tests;

/// <summary>Synthetic embeddings and samples for store, policy and index tests.</summary>
internal static class TestSamples
{
    public static readonly ModelBinding ModelA = new("test-embedder-a", new string('a', 64));
    public static readonly ModelBinding ModelB = new("test-embedder-b", new string('b', 64));
    public static readonly SampleQuality Good = new(1, 120, 150, 120, 0.95);

    public static float[] RandomUnit(Random rng, int dim)
    {
        var v = new float[dim];
        double sum = 0;
        for (var i = 0; i < dim; i++)
        {
            // Box-Muller: isotropic directions.
            var g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            v[i] = (float)g;
            sum += g * g;
        }
        var inv = 1 / Math.Sqrt(sum);
        for (var i = 0; i < dim; i++) v[i] = (float)(v[i] * inv);
        return v;
    }

    /// <summary>A noisy copy of <paramref name="center"/> (cosine ~0.9 for noise 0.5).</summary>
    public static float[] Near(Random rng, float[] center, double noise = 0.5)
    {
        var n = RandomUnit(rng, center.Length);
        var v = new float[center.Length];
        var scale = noise;
        for (var i = 0; i < v.Length; i++) v[i] = center[i] + (float)(n[i] * scale);
        return v;
    }

    public static BiometricSample Sample(float[] embedding, string source = "img.jpg", ModelBinding? model = null, SampleQuality? quality = null, byte[]? image = null) =>
        new(embedding, quality ?? Good, model ?? ModelA, source, image);

    public static AuditEntry Entry(string action = "enrol") => new("test", action, "ok");
}
