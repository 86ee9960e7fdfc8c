using System.Runtime.Intrinsics;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Single-precision matrix multiply, the engine's workhorse. Semantics as <see cref="ReferenceKernels.Gemm"/>:
/// C[m,n] = op(A)·op(B) (+ C when accumulating), row-major with leading dimensions.
/// Runs a packed, register-blocked GEMM on the best SIMD path of this CPU (<see cref="Selected"/>), threaded over
/// <see cref="KernelThreads.Count"/> threads. Allocates nothing per call once each thread's scratch is warm.
/// </summary>
public static class Gemm
{
    /// <summary>The path <see cref="Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/> uses.</summary>
    public static KernelPath Selected => KernelPaths.Best;

    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate = false)
        => Multiply(Selected, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>As the default overload, on an explicit path (tests, benchmarks).
    /// <see cref="KernelPath.Scalar"/> is the reference kernel. Throws <see cref="PlatformNotSupportedException"/> for a path this CPU lacks.</summary>
    public static unsafe void Multiply(KernelPath path, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate = false)
    {
        KernelPaths.Require(path);
        if (k < 0) throw new ArgumentException($"negative inner dimension k={k}");
        if (transA) KernelGuard.Matrix("A", a.Length, k, m, lda); else KernelGuard.Matrix("A", a.Length, m, k, lda);
        if (transB) KernelGuard.Matrix("B", b.Length, n, k, ldb); else KernelGuard.Matrix("B", b.Length, k, n, ldb);
        KernelGuard.Matrix("C", c.Length, m, n, ldc);
        if (m == 0 || n == 0) return;
        if (path == KernelPath.Scalar)
        {
            ReferenceKernels.Gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var sa = new DensePanelSource(pa, lda, outerContiguous: transA);
            var sb = new DensePanelSource(pb, ldb, outerContiguous: !transB);
            switch (path)
            {
                case KernelPath.Avx512:
                    GemmDriver.Run<Avx512Ops, Vector512<float>, DensePanelSource, DensePanelSource>(sa, sb, m, n, k, pc, ldc, accumulate);
                    break;
                case KernelPath.Avx2:
                    GemmDriver.Run<Avx2Ops, Vector256<float>, DensePanelSource, DensePanelSource>(sa, sb, m, n, k, pc, ldc, accumulate);
                    break;
                default:
                    GemmDriver.Run<Vector128Ops, Vector128<float>, DensePanelSource, DensePanelSource>(sa, sb, m, n, k, pc, ldc, accumulate);
                    break;
            }
        }
    }
}
