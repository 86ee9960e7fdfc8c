using System.Runtime.Intrinsics;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Vectorised elementwise helpers for the engine's layers, on the best SIMD path by default or an explicit one
/// (<see cref="KernelPath.Scalar"/> is the plain-loop twin). Single-threaded, allocation-free; spans are borrowed.
/// </summary>
public static unsafe class VectorOps
{
    /// <summary>y[i] += alpha·x[i].</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y) => Axpy(KernelPaths.Best, alpha, x, y);

    /// <summary>y[i] += alpha·x[i]. On an explicit path.</summary>
    public static void Axpy(KernelPath path, float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        KernelPaths.Require(path);
        SameLength("y", x.Length, y.Length);
        fixed (float* px = x, py = y)
        {
            switch (path)
            {
                case KernelPath.Avx512: VectorKernels<Avx512Ops, Vector512<float>>.Axpy(alpha, px, py, x.Length); break;
                case KernelPath.Avx2: VectorKernels<Avx2Ops, Vector256<float>>.Axpy(alpha, px, py, x.Length); break;
                case KernelPath.Vector128: VectorKernels<Vector128Ops, Vector128<float>>.Axpy(alpha, px, py, x.Length); break;
                default: VectorKernels<ScalarOps, float>.Axpy(alpha, px, py, x.Length); break;
            }
        }
    }

    /// <summary>x[i] *= alpha.</summary>
    public static void Scale(float alpha, Span<float> x) => Scale(KernelPaths.Best, alpha, x);

    /// <summary>x[i] *= alpha. On an explicit path.</summary>
    public static void Scale(KernelPath path, float alpha, Span<float> x)
    {
        KernelPaths.Require(path);
        fixed (float* px = x)
        {
            switch (path)
            {
                case KernelPath.Avx512: VectorKernels<Avx512Ops, Vector512<float>>.Scale(alpha, px, x.Length); break;
                case KernelPath.Avx2: VectorKernels<Avx2Ops, Vector256<float>>.Scale(alpha, px, x.Length); break;
                case KernelPath.Vector128: VectorKernels<Vector128Ops, Vector128<float>>.Scale(alpha, px, x.Length); break;
                default: VectorKernels<ScalarOps, float>.Scale(alpha, px, x.Length); break;
            }
        }
    }

    /// <summary>dst[i] = a[i] + b[i] (dst may alias a or b).</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) => Add(KernelPaths.Best, a, b, dst);

    /// <summary>dst[i] = a[i] + b[i] (dst may alias a or b). On an explicit path.</summary>
    public static void Add(KernelPath path, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        KernelPaths.Require(path);
        SameLength("b", a.Length, b.Length);
        SameLength("dst", a.Length, dst.Length);
        fixed (float* pa = a, pb = b, pd = dst)
        {
            switch (path)
            {
                case KernelPath.Avx512: VectorKernels<Avx512Ops, Vector512<float>>.Add(pa, pb, pd, a.Length); break;
                case KernelPath.Avx2: VectorKernels<Avx2Ops, Vector256<float>>.Add(pa, pb, pd, a.Length); break;
                case KernelPath.Vector128: VectorKernels<Vector128Ops, Vector128<float>>.Add(pa, pb, pd, a.Length); break;
                default: VectorKernels<ScalarOps, float>.Add(pa, pb, pd, a.Length); break;
            }
        }
    }

    /// <summary>dst[i] = a[i]·b[i] (dst may alias a or b).</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) => Multiply(KernelPaths.Best, a, b, dst);

    /// <summary>dst[i] = a[i]·b[i] (dst may alias a or b). On an explicit path.</summary>
    public static void Multiply(KernelPath path, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        KernelPaths.Require(path);
        SameLength("b", a.Length, b.Length);
        SameLength("dst", a.Length, dst.Length);
        fixed (float* pa = a, pb = b, pd = dst)
        {
            switch (path)
            {
                case KernelPath.Avx512: VectorKernels<Avx512Ops, Vector512<float>>.Multiply(pa, pb, pd, a.Length); break;
                case KernelPath.Avx2: VectorKernels<Avx2Ops, Vector256<float>>.Multiply(pa, pb, pd, a.Length); break;
                case KernelPath.Vector128: VectorKernels<Vector128Ops, Vector128<float>>.Multiply(pa, pb, pd, a.Length); break;
                default: VectorKernels<ScalarOps, float>.Multiply(pa, pb, pd, a.Length); break;
            }
        }
    }

    /// <summary>Σ x[i].</summary>
    public static float Sum(ReadOnlySpan<float> x) => Sum(KernelPaths.Best, x);

    /// <summary>Σ x[i]. On an explicit path.</summary>
    public static float Sum(KernelPath path, ReadOnlySpan<float> x)
    {
        KernelPaths.Require(path);
        fixed (float* px = x)
        {
            switch (path)
            {
                case KernelPath.Avx512: return VectorKernels<Avx512Ops, Vector512<float>>.Sum(px, x.Length);
                case KernelPath.Avx2: return VectorKernels<Avx2Ops, Vector256<float>>.Sum(px, x.Length);
                case KernelPath.Vector128: return VectorKernels<Vector128Ops, Vector128<float>>.Sum(px, x.Length);
                default: return VectorKernels<ScalarOps, float>.Sum(px, x.Length);
            }
        }
    }

    /// <summary>Σ a[i]·b[i].</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot(KernelPaths.Best, a, b);

    /// <summary>Σ a[i]·b[i]. On an explicit path.</summary>
    public static float Dot(KernelPath path, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        KernelPaths.Require(path);
        SameLength("b", a.Length, b.Length);
        fixed (float* pa = a, pb = b)
        {
            switch (path)
            {
                case KernelPath.Avx512: return VectorKernels<Avx512Ops, Vector512<float>>.Dot(pa, pb, a.Length);
                case KernelPath.Avx2: return VectorKernels<Avx2Ops, Vector256<float>>.Dot(pa, pb, a.Length);
                case KernelPath.Vector128: return VectorKernels<Vector128Ops, Vector128<float>>.Dot(pa, pb, a.Length);
                default: return VectorKernels<ScalarOps, float>.Dot(pa, pb, a.Length);
            }
        }
    }

    /// <summary>dst[i] = max(x[i], 0) (dst may alias x).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> dst) => Relu(KernelPaths.Best, x, dst);

    /// <summary>dst[i] = max(x[i], 0) (dst may alias x). On an explicit path.</summary>
    public static void Relu(KernelPath path, ReadOnlySpan<float> x, Span<float> dst)
    {
        KernelPaths.Require(path);
        SameLength("dst", x.Length, dst.Length);
        fixed (float* px = x, pd = dst)
        {
            switch (path)
            {
                case KernelPath.Avx512: VectorKernels<Avx512Ops, Vector512<float>>.LeakyForward(px, 0f, pd, x.Length); break;
                case KernelPath.Avx2: VectorKernels<Avx2Ops, Vector256<float>>.LeakyForward(px, 0f, pd, x.Length); break;
                case KernelPath.Vector128: VectorKernels<Vector128Ops, Vector128<float>>.LeakyForward(px, 0f, pd, x.Length); break;
                default: VectorKernels<ScalarOps, float>.LeakyForward(px, 0f, pd, x.Length); break;
            }
        }
    }

    /// <summary>gradX[i] += x[i] &gt; 0 ? gradY[i] : 0, with x the ReLU input.</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> gradY, Span<float> gradX) => ReluBackward(KernelPaths.Best, x, gradY, gradX);

    /// <summary>gradX[i] += x[i] &gt; 0 ? gradY[i] : 0, with x the ReLU input. On an explicit path.</summary>
    public static void ReluBackward(KernelPath path, ReadOnlySpan<float> x, ReadOnlySpan<float> gradY, Span<float> gradX)
    {
        KernelPaths.Require(path);
        SameLength("gradY", x.Length, gradY.Length);
        SameLength("gradX", x.Length, gradX.Length);
        fixed (float* px = x, pg = gradY, pgx = gradX)
        {
            switch (path)
            {
                case KernelPath.Avx512: VectorKernels<Avx512Ops, Vector512<float>>.LeakyBackward(px, pg, 0f, pgx, x.Length); break;
                case KernelPath.Avx2: VectorKernels<Avx2Ops, Vector256<float>>.LeakyBackward(px, pg, 0f, pgx, x.Length); break;
                case KernelPath.Vector128: VectorKernels<Vector128Ops, Vector128<float>>.LeakyBackward(px, pg, 0f, pgx, x.Length); break;
                default: VectorKernels<ScalarOps, float>.LeakyBackward(px, pg, 0f, pgx, x.Length); break;
            }
        }
    }

    /// <summary>dst[i] = x[i] &gt; 0 ? x[i] : slope·x[i], for one channel's values (dst may alias x).</summary>
    public static void PRelu(ReadOnlySpan<float> x, float slope, Span<float> dst) => PRelu(KernelPaths.Best, x, slope, dst);

    /// <summary>dst[i] = x[i] &gt; 0 ? x[i] : slope·x[i], for one channel's values (dst may alias x). On an explicit path.</summary>
    public static void PRelu(KernelPath path, ReadOnlySpan<float> x, float slope, Span<float> dst)
    {
        KernelPaths.Require(path);
        SameLength("dst", x.Length, dst.Length);
        fixed (float* px = x, pd = dst)
        {
            switch (path)
            {
                case KernelPath.Avx512: VectorKernels<Avx512Ops, Vector512<float>>.LeakyForward(px, slope, pd, x.Length); break;
                case KernelPath.Avx2: VectorKernels<Avx2Ops, Vector256<float>>.LeakyForward(px, slope, pd, x.Length); break;
                case KernelPath.Vector128: VectorKernels<Vector128Ops, Vector128<float>>.LeakyForward(px, slope, pd, x.Length); break;
                default: VectorKernels<ScalarOps, float>.LeakyForward(px, slope, pd, x.Length); break;
            }
        }
    }

    /// <summary>gradX[i] += x[i] &gt; 0 ? gradY[i] : slope·gradY[i] for one channel; returns this channel's slope gradient Σ over x[i] ≤ 0 of x[i]·gradY[i].</summary>
    public static float PReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> gradY, float slope, Span<float> gradX) => PReluBackward(KernelPaths.Best, x, gradY, slope, gradX);

    /// <summary>gradX[i] += x[i] &gt; 0 ? gradY[i] : slope·gradY[i] for one channel; returns this channel's slope gradient Σ over x[i] ≤ 0 of x[i]·gradY[i]. On an explicit path.</summary>
    public static float PReluBackward(KernelPath path, ReadOnlySpan<float> x, ReadOnlySpan<float> gradY, float slope, Span<float> gradX)
    {
        KernelPaths.Require(path);
        SameLength("gradY", x.Length, gradY.Length);
        SameLength("gradX", x.Length, gradX.Length);
        fixed (float* px = x, pg = gradY, pgx = gradX)
        {
            switch (path)
            {
                case KernelPath.Avx512: return VectorKernels<Avx512Ops, Vector512<float>>.PReluBackward(px, pg, slope, pgx, x.Length);
                case KernelPath.Avx2: return VectorKernels<Avx2Ops, Vector256<float>>.PReluBackward(px, pg, slope, pgx, x.Length);
                case KernelPath.Vector128: return VectorKernels<Vector128Ops, Vector128<float>>.PReluBackward(px, pg, slope, pgx, x.Length);
                default: return VectorKernels<ScalarOps, float>.PReluBackward(px, pg, slope, pgx, x.Length);
            }
        }
    }

    private static void SameLength(string name, int expected, int actual)
    {
        if (expected != actual) throw new ArgumentException($"{name}: length {actual} differs from {expected}");
    }
}
