using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Tests.Kernels;

[Trait("Category", "Kernels")]
public sealed class GemmTests
{
    // Odd sizes around the micro-tile (6×2w), the k block (256) and tiny degenerate shapes.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 17, 3), (3, 1, 17), (17, 3, 1), (6, 32, 8), (7, 33, 9), (17, 17, 17), (65, 3, 65),
        (3, 65, 257), (65, 65, 65), (257, 17, 33), (13, 257, 300), (1, 257, 65), (70, 100, 0), (2, 2100, 5),
    ];

    public static IEnumerable<object[]> PathCases() =>
        from path in KernelAssert.SimdPaths
        from ta in new[] { false, true }
        from tb in new[] { false, true }
        select new object[] { path, ta, tb };

    [Theory]
    [MemberData(nameof(PathCases))]
    public void Every_simd_path_matches_the_scalar_reference(KernelPath path, bool transA, bool transB)
    {
        var seed = 1;
        foreach (var (m, n, k) in Shapes)
        foreach (var accumulate in new[] { false, true })
        foreach (var pad in new[] { 0, 5 })
        {
            int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
            var a = KernelAssert.Random((transA ? k : m) * lda, seed++);
            var b = KernelAssert.Random((transB ? n : k) * ldb, seed++);
            var c0 = KernelAssert.Random(m * ldc, seed++);
            var expected = (float[])c0.Clone();
            ReferenceKernels.Gemm(transA, transB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
            var scale = new float[m * ldc];
            ReferenceKernels.Gemm(transA, transB, m, n, k, KernelAssert.Abs(a), lda, KernelAssert.Abs(b), ldb, scale, ldc, false);

            var actual = (float[])c0.Clone();
            if (!KernelAssert.RequireOrProveUnsupported(path, () => Gemm.Multiply(path, transA, transB, m, n, k, a, lda, b, ldb, actual, ldc, accumulate)))
                return;
            Gemm.Multiply(path, transA, transB, m, n, k, a, lda, b, ldb, actual, ldc, accumulate);
            KernelAssert.Close(expected, actual, scale, $"{path} tA={transA} tB={transB} {m}x{n}x{k} acc={accumulate} pad={pad}");
            // Padding between rows of C must be left alone.
            for (var i = 0; i < m; i++)
                for (var j = n; j < ldc; j++)
                    Assert.Equal(c0[i * ldc + j], actual[i * ldc + j]);
        }
    }

    [Fact]
    public void Selected_path_is_the_best_supported_one()
    {
        Assert.True(KernelPaths.IsSupported(Gemm.Selected));
        foreach (var path in KernelAssert.SimdPaths.Where(p => p > Gemm.Selected))
            Assert.False(KernelPaths.IsSupported(path));
        // What this run exercises, visible in the test log when CI disables AVX-512 or AVX2.
        Console.WriteLine($"kernel paths: {KernelPaths.Describe()}");
    }

    [Fact]
    public void Spans_too_short_for_the_shape_are_rejected()
    {
        var a = new float[10];
        var b = new float[10];
        var c = new float[10];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 3, 4, a, 4, b, 3, c, 3));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 2, a, 1, b, 2, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = 0);
    }
}
