using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>Elementwise loops over raw pointers, one specialised copy per SIMD path; vector body plus scalar tail.</summary>
internal static unsafe class VectorKernels<TOps, TV>
    where TOps : struct, ISimdOps<TV> where TV : struct
{
    /// <summary>dst[i] += src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInto(float* dst, float* src, int n)
    {
        var w = TOps.Width;
        var i = 0;
        for (; i + w <= n; i += w) TOps.Store(dst + i, TOps.Add(TOps.Load(dst + i), TOps.Load(src + i)));
        for (; i < n; i++) dst[i] += src[i];
    }

    /// <summary>y[i] += alpha·x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(float alpha, float* x, float* y, int n)
    {
        var w = TOps.Width;
        var av = TOps.Splat(alpha);
        var i = 0;
        for (; i + w <= n; i += w) TOps.Store(y + i, TOps.MulAdd(av, TOps.Load(x + i), TOps.Load(y + i)));
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    /// <summary>x[i] *= alpha.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(float alpha, float* x, int n)
    {
        var w = TOps.Width;
        var av = TOps.Splat(alpha);
        var i = 0;
        for (; i + w <= n; i += w) TOps.Store(x + i, TOps.Mul(av, TOps.Load(x + i)));
        for (; i < n; i++) x[i] *= alpha;
    }

    /// <summary>dst[i] = a[i] + b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(float* a, float* b, float* dst, int n)
    {
        var w = TOps.Width;
        var i = 0;
        for (; i + w <= n; i += w) TOps.Store(dst + i, TOps.Add(TOps.Load(a + i), TOps.Load(b + i)));
        for (; i < n; i++) dst[i] = a[i] + b[i];
    }

    /// <summary>dst[i] = a[i]·b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(float* a, float* b, float* dst, int n)
    {
        var w = TOps.Width;
        var i = 0;
        for (; i + w <= n; i += w) TOps.Store(dst + i, TOps.Mul(TOps.Load(a + i), TOps.Load(b + i)));
        for (; i < n; i++) dst[i] = a[i] * b[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum(float* x, int n)
    {
        var w = TOps.Width;
        TV acc0 = TOps.Zero, acc1 = TOps.Zero;
        var i = 0;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            acc0 = TOps.Add(acc0, TOps.Load(x + i));
            acc1 = TOps.Add(acc1, TOps.Load(x + i + w));
        }
        for (; i + w <= n; i += w) acc0 = TOps.Add(acc0, TOps.Load(x + i));
        var sum = TOps.Sum(TOps.Add(acc0, acc1));
        for (; i < n; i++) sum += x[i];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(float* a, float* b, int n)
    {
        var w = TOps.Width;
        TV acc0 = TOps.Zero, acc1 = TOps.Zero;
        var i = 0;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            acc0 = TOps.MulAdd(TOps.Load(a + i), TOps.Load(b + i), acc0);
            acc1 = TOps.MulAdd(TOps.Load(a + i + w), TOps.Load(b + i + w), acc1);
        }
        for (; i + w <= n; i += w) acc0 = TOps.MulAdd(TOps.Load(a + i), TOps.Load(b + i), acc0);
        var sum = TOps.Sum(TOps.Add(acc0, acc1));
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>dst[i] = x[i] &gt; 0 ? x[i] : slope·x[i] (ReLU when slope is 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LeakyForward(float* x, float slope, float* dst, int n)
    {
        var w = TOps.Width;
        var sv = TOps.Splat(slope);
        var i = 0;
        for (; i + w <= n; i += w)
        {
            var v = TOps.Load(x + i);
            TOps.Store(dst + i, TOps.SelectPositive(v, v, TOps.Mul(v, sv)));
        }
        for (; i < n; i++) dst[i] = x[i] > 0 ? x[i] : slope * x[i];
    }

    /// <summary>gradX[i] += x[i] &gt; 0 ? gradY[i] : slope·gradY[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LeakyBackward(float* x, float* gradY, float slope, float* gradX, int n)
    {
        var w = TOps.Width;
        var sv = TOps.Splat(slope);
        var i = 0;
        for (; i + w <= n; i += w)
        {
            var g = TOps.Load(gradY + i);
            TOps.Store(gradX + i, TOps.Add(TOps.Load(gradX + i), TOps.SelectPositive(TOps.Load(x + i), g, TOps.Mul(g, sv))));
        }
        for (; i < n; i++) gradX[i] += x[i] > 0 ? gradY[i] : slope * gradY[i];
    }

    /// <summary>gradX[i] += x[i] &gt; 0 ? gradY[i] : slope·gradY[i]; returns Σ over x[i] ≤ 0 of x[i]·gradY[i], the slope gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float PReluBackward(float* x, float* gradY, float slope, float* gradX, int n)
    {
        LeakyBackward(x, gradY, slope, gradX, n);
        var w = TOps.Width;
        var acc = TOps.Zero;
        var i = 0;
        for (; i + w <= n; i += w)
        {
            var v = TOps.Load(x + i);
            acc = TOps.MulAdd(TOps.SelectPositive(v, TOps.Zero, v), TOps.Load(gradY + i), acc);
        }
        var sum = TOps.Sum(acc);
        for (; i < n; i++) if (!(x[i] > 0)) sum += x[i] * gradY[i];
        return sum;
    }
}
