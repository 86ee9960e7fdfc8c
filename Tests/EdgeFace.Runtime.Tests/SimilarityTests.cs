using EdgeFace.Runtime.Matching;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Runtime.Tests;

public class SimilarityTests
{
    private static float[] Random(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(128)]
    [InlineData(133)]
    [InlineData(512)]
    public void Vector_kernels_match_scalar_definitions(int n)
    {
        var a = Random(n, 1);
        var b = Random(n, 2);
        double dot = 0, na = 0, nb = 0, l2 = 0, l1 = 0;
        for (var i = 0; i < n; i++)
        {
            dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i];
            l2 += (a[i] - b[i]) * (a[i] - b[i]); l1 += Math.Abs(a[i] - b[i]);
        }
        Assert.Equal(dot / Math.Sqrt(na * nb), Similarity.Cosine(a, b), 4);
        Assert.Equal(Math.Sqrt(l2), Similarity.Euclidean(a, b), 3);
        Assert.Equal(l1, Similarity.Manhattan(a, b), 2);
    }

    [Fact]
    public void Decisions_follow_the_metric_direction()
    {
        Assert.True(Similarity.Decide(0.5, 0.4, Metric.Cosine).Accepted);
        Assert.False(Similarity.Decide(0.3, 0.4, Metric.Cosine).Accepted);
        Assert.True(Similarity.Decide(0.3, 0.4, Metric.Euclidean).Accepted);
        Assert.False(Similarity.Decide(0.5, 0.4, Metric.Manhattan).Accepted);
    }

    [Fact]
    public void Normalize_gives_unit_length_and_leaves_zero_alone()
    {
        var v = Random(128, 3);
        Similarity.Normalize(v);
        Assert.Equal(1f, Similarity.Dot(v, v), 4);
        var z = new float[9];
        Similarity.Normalize(z);
        Assert.All(z, x => Assert.Equal(0f, x));
    }
}
