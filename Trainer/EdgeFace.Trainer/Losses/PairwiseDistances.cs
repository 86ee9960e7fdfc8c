namespace EdgeFace.Trainer.Losses;

/// <summary>Euclidean distances between the rows of [N, D] and their gradients, shared by the metric losses.</summary>
internal static class PairwiseDistances
{
    private const float MinSquared = 1e-12f; // keeps √ differentiable for identical rows

    /// <summary>dist [N, N] = ‖e_i − e_j‖.</summary>
    public static void Compute(ReadOnlySpan<float> e, int n, int d, Span<float> dist)
    {
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            double sq = 0;
            for (var t = 0; t < d; t++) { var diff = e[i * d + t] - e[j * d + t]; sq += diff * diff; }
            dist[i * n + j] = MathF.Sqrt(MathF.Max((float)sq, MinSquared));
        }
    }

    /// <summary>Adds w·∂‖e_i − e_j‖/∂e to grad: w·(e_i − e_j)/dist to row i and the opposite to row j.</summary>
    public static void AccumulateGrad(ReadOnlySpan<float> e, int d, int i, int j, float dist, float w, Span<float> grad)
    {
        var k = w / dist;
        for (var t = 0; t < d; t++)
        {
            var diff = e[i * d + t] - e[j * d + t];
            grad[i * d + t] += k * diff;
            grad[j * d + t] -= k * diff;
        }
    }
}
