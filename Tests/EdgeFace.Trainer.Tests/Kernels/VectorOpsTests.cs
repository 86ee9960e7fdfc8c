using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Tests.Kernels;

[Trait("Category", "Kernels")]
public sealed class VectorOpsTests
{
    private static readonly int[] Lengths = [0, 1, 3, 15, 16, 17, 33, 64, 100, 257];

    public static IEnumerable<object[]> Paths() =>
        new[] { KernelPath.Scalar }.Concat(KernelAssert.SimdPaths).Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Paths))]
    public void Elementwise_ops_match_plain_loops(KernelPath path)
    {
        if (!KernelAssert.RequireOrProveUnsupported(path, () => VectorOps.Scale(path, 2f, new float[4]))) return;
        foreach (var n in Lengths)
        {
            var (x, y) = (Signed(n, 1), Signed(n, 2));
            var what = $"{path} n={n}";

            var axpy = (float[])y.Clone();
            VectorOps.Axpy(path, 0.75f, x, axpy);
            Close(x.Zip(y, (a, b) => 0.75f * a + b), axpy, what);

            var scaled = (float[])x.Clone();
            VectorOps.Scale(path, -1.5f, scaled);
            Close(x.Select(v => -1.5f * v), scaled, what);

            var sum = new float[n];
            VectorOps.Add(path, x, y, sum);
            Close(x.Zip(y, (a, b) => a + b), sum, what);

            var product = (float[])x.Clone();
            VectorOps.Multiply(path, product, y, product); // in place
            Close(x.Zip(y, (a, b) => a * b), product, what);

            var relu = (float[])x.Clone();
            VectorOps.Relu(path, relu, relu);
            Close(x.Select(v => Math.Max(v, 0f)), relu, what);

            var prelu = new float[n];
            VectorOps.PRelu(path, x, 0.25f, prelu);
            Close(x.Select(v => v > 0 ? v : 0.25f * v), prelu, what);

            var gradX = (float[])y.Clone();
            VectorOps.ReluBackward(path, x, y, gradX);
            Close(x.Zip(y, (a, g) => g + (a > 0 ? g : 0)), gradX, what);

            var pgrad = (float[])y.Clone();
            var slopeGrad = VectorOps.PReluBackward(path, x, y, 0.25f, pgrad);
            Close(x.Zip(y, (a, g) => g + (a > 0 ? g : 0.25f * g)), pgrad, what);
            Assert.Equal(x.Zip(y, (a, g) => a > 0 ? 0 : (double)a * g).Sum(), slopeGrad, 1e-4 * (1 + n));

            Assert.Equal(x.Sum(v => (double)v), VectorOps.Sum(path, x), 1e-4 * (1 + n));
            Assert.Equal(x.Zip(y, (a, b) => (double)a * b).Sum(), VectorOps.Dot(path, x, y), 1e-4 * (1 + n));
        }
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => VectorOps.Axpy(1f, new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => VectorOps.Add(new float[3], new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => VectorOps.Dot(new float[3], new float[2]));
    }

    private static float[] Signed(int n, int seed) => KernelAssert.Random(n, seed);

    private static void Close(IEnumerable<float> expected, float[] actual, string what)
    {
        var e = expected.ToArray();
        KernelAssert.Close(e, actual, e, what);
    }
}
