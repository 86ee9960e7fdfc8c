using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeFace.Trainer.Engine;

/// <summary>
/// Element-wise loops of the non-GEMM layers (BatchNorm, PReLU, ReLU, Add), written with <see cref="Vector{T}"/>
/// so the JIT picks the machine's width at run time (AVX-512/AVX2/SSE/NEON, or scalar when SIMD is off) and
/// branches become selects. Each has a plain scalar tail for the last Length mod Vector&lt;float&gt;.Count values.
/// </summary>
public static class ElementwiseOps
{
    private static int Width => Vector.IsHardwareAccelerated ? Vector<float>.Count : int.MaxValue;

    private static ref float At(ReadOnlySpan<float> s) => ref MemoryMarshal.GetReference(s);

    /// <summary>The loops read and write through refs, so every span must cover the first one's length.</summary>
    private static void Check(int length, int other)
    {
        if (other < length) throw new ArgumentException($"span of {other} values where {length} are needed");
    }
    private static Vector<float> Load(ref float p, int i) => Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref p, i)));
    private static void Store(ref float p, int i, Vector<float> v) => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref p, i)), v);

    /// <summary>y = x·scale + shift, or with <paramref name="relu"/> max(x·scale + shift, 0) in the same pass (the values
    /// of <see cref="Relu"/> run afterwards).</summary>
    public static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, Span<float> y, bool relu = false)
    {
        Check(x.Length, y.Length);
        ref var px = ref At(x); ref var py = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (x.Length >= Width)
        {
            Vector<float> vs = new(scale), vb = new(shift);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Load(ref px, i) * vs + vb;
                Store(ref py, i, relu ? Vector.Max(v, Vector<float>.Zero) : v);
            }
        }
        for (; i < x.Length; i++)
        {
            var v = x[i] * scale + shift;
            y[i] = relu ? MathF.Max(v, 0f) : v;
        }
    }

    /// <summary>dy where the fused ReLU after x·scale + shift let the value through, else 0 (what
    /// <see cref="ReluMaskGrad"/> leaves in a gradient), recomputed from x rather than read from the output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Gate(Vector<float> x, Vector<float> dy, Vector<float> scale, Vector<float> shift) =>
        Vector.ConditionalSelect(Vector.GreaterThan(x * scale + shift, Vector<float>.Zero), dy, Vector<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Gate(float x, float dy, float scale, float shift) => x * scale + shift > 0 ? dy : 0f;

    /// <summary>(Σx, Σx²), accumulated in float vectors per call and returned in double.</summary>
    public static (double Sum, double SumSquares) SumAndSquares(ReadOnlySpan<float> x)
    {
        ref var px = ref At(x);
        double sum = 0, sq = 0;
        var i = 0;
        if (x.Length >= Width)
        {
            Vector<float> s = default, q = default;
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count) { var v = Load(ref px, i); s += v; q += v * v; }
            sum = Vector.Sum(s); sq = Vector.Sum(q);
        }
        for (; i < x.Length; i++) { sum += x[i]; sq += (double)x[i] * x[i]; }
        return (sum, sq);
    }

    /// <summary>(Σdy, Σdy·(x − mean)).</summary>
    public static (double SumDy, double SumDyCentered) CenteredDot(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float mean, ReluGate gate = default)
    {
        Check(x.Length, dy.Length);
        ref var px = ref At(x); ref var pd = ref At(dy);
        double s = 0, d = 0;
        var i = 0;
        if (x.Length >= Width)
        {
            Vector<float> vs = default, vd = default, vm = new(mean), gs = new(gate.Scale), gb = new(gate.Shift);
            if (gate.On)
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var v = Load(ref px, i);
                    var g = Gate(v, Load(ref pd, i), gs, gb);
                    vs += g; vd += g * (v - vm);
                }
            else
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var g = Load(ref pd, i);
                    vs += g; vd += g * (Load(ref px, i) - vm);
                }
            s = Vector.Sum(vs); d = Vector.Sum(vd);
        }
        for (; i < x.Length; i++)
        {
            var g = gate.On ? Gate(x[i], dy[i], gate.Scale, gate.Shift) : dy[i];
            s += g; d += g * (double)(x[i] - mean);
        }
        return (s, d);
    }

    /// <summary>dx (+)= k·(dy − a − (x − mean)·b): BatchNorm's input gradient, added or (first writer) assigned.</summary>
    public static void BatchNormInputGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float k, float a, float mean, float b, bool accumulate = true,
        ReluGate gate = default)
    {
        Check(x.Length, dy.Length); Check(x.Length, dx.Length);
        ref var px = ref At(x); ref var pd = ref At(dy); ref var pg = ref MemoryMarshal.GetReference(dx);
        var i = 0;
        if (x.Length >= Width)
        {
            Vector<float> vk = new(k), va = new(a), vm = new(mean), vb = new(b), gs = new(gate.Scale), gh = new(gate.Shift);
            if (gate.On && accumulate)
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var v = Load(ref px, i);
                    Store(ref pg, i, Load(ref pg, i) + vk * (Gate(v, Load(ref pd, i), gs, gh) - va - (v - vm) * vb));
                }
            else if (gate.On)
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var v = Load(ref px, i);
                    Store(ref pg, i, vk * (Gate(v, Load(ref pd, i), gs, gh) - va - (v - vm) * vb));
                }
            else if (accumulate)
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                    Store(ref pg, i, Load(ref pg, i) + vk * (Load(ref pd, i) - va - (Load(ref px, i) - vm) * vb));
            else
                for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                    Store(ref pg, i, vk * (Load(ref pd, i) - va - (Load(ref px, i) - vm) * vb));
        }
        for (; i < x.Length; i++)
        {
            var g = gate.On ? Gate(x[i], dy[i], gate.Scale, gate.Shift) : dy[i];
            var v = k * (g - a - (x[i] - mean) * b);
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }

    /// <summary>y = x (x &gt; 0) or slope·x.</summary>
    public static void PRelu(ReadOnlySpan<float> x, float slope, Span<float> y)
    {
        Check(x.Length, y.Length);
        ref var px = ref At(x); ref var py = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (x.Length >= Width)
        {
            var va = new Vector<float>(slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Load(ref px, i);
                Store(ref py, i, Vector.Max(v, Vector<float>.Zero) + va * Vector.Min(v, Vector<float>.Zero));
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i];
    }

    /// <summary>dx += dy·(x &gt; 0 ? 1 : slope) (skipped when dx is empty); returns Σ dy·min(x, 0) = ∂/∂slope.</summary>
    public static double PReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float slope)
    {
        ref var px = ref At(x); ref var pd = ref At(dy); ref var pg = ref MemoryMarshal.GetReference(dx);
        var withInput = !dx.IsEmpty;
        Check(x.Length, dy.Length);
        if (withInput) Check(x.Length, dx.Length);
        double da = 0;
        var i = 0;
        if (x.Length >= Width)
        {
            Vector<float> acc = default, va = new(slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Load(ref px, i); var g = Load(ref pd, i);
                acc += g * Vector.Min(v, Vector<float>.Zero);
                if (withInput) Store(ref pg, i, Load(ref pg, i) + g * Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), Vector<float>.One, va));
            }
            da = Vector.Sum(acc);
        }
        for (; i < x.Length; i++)
        {
            if (x[i] <= 0) da += dy[i] * x[i];
            if (withInput) dx[i] += x[i] > 0 ? dy[i] : slope * dy[i];
        }
        return da;
    }

    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        Check(x.Length, y.Length);
        ref var px = ref At(x); ref var py = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (x.Length >= Width)
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count) Store(ref py, i, Vector.Max(Load(ref px, i), Vector<float>.Zero));
        for (; i < x.Length; i++) y[i] = MathF.Max(x[i], 0f);
    }

    /// <summary>dx += dy where y &gt; 0, or (first writer) dx = dy where y &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate = true)
    {
        Check(y.Length, dy.Length); Check(y.Length, dx.Length);
        ref var py = ref At(y); ref var pd = ref At(dy); ref var pg = ref MemoryMarshal.GetReference(dx);
        var i = 0;
        if (y.Length >= Width)
        {
            if (accumulate)
                for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
                    Store(ref pg, i, Load(ref pg, i) + Vector.ConditionalSelect(Vector.GreaterThan(Load(ref py, i), Vector<float>.Zero), Load(ref pd, i), Vector<float>.Zero));
            else
                for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
                    Store(ref pg, i, Vector.ConditionalSelect(Vector.GreaterThan(Load(ref py, i), Vector<float>.Zero), Load(ref pd, i), Vector<float>.Zero));
        }
        for (; i < y.Length; i++)
        {
            var v = y[i] > 0 ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }

    /// <summary>g = 0 where y ≤ 0 (the backward of an in-place ReLU, whose input and output share g).</summary>
    public static void ReluMaskGrad(ReadOnlySpan<float> y, Span<float> g)
    {
        Check(y.Length, g.Length);
        ref var py = ref At(y); ref var pg = ref MemoryMarshal.GetReference(g);
        var i = 0;
        if (y.Length >= Width)
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
                Store(ref pg, i, Vector.ConditionalSelect(Vector.GreaterThan(Load(ref py, i), Vector<float>.Zero), Load(ref pg, i), Vector<float>.Zero));
        for (; i < y.Length; i++) if (!(y[i] > 0)) g[i] = 0;
    }

    /// <summary>y = a + b.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        Check(a.Length, b.Length); Check(a.Length, y.Length);
        ref var pa = ref At(a); ref var pb = ref At(b); ref var py = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (a.Length >= Width)
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count) Store(ref py, i, Load(ref pa, i) + Load(ref pb, i));
        for (; i < a.Length; i++) y[i] = a[i] + b[i];
    }

    /// <summary>dst += src.</summary>
    public static void AddInto(Span<float> dst, ReadOnlySpan<float> src)
    {
        Check(dst.Length, src.Length);
        ref var ps = ref At(src); ref var pd = ref MemoryMarshal.GetReference(dst);
        var i = 0;
        if (dst.Length >= Width)
            for (; i <= dst.Length - Vector<float>.Count; i += Vector<float>.Count) Store(ref pd, i, Load(ref pd, i) + Load(ref ps, i));
        for (; i < dst.Length; i++) dst[i] += src[i];
    }
}

/// <summary>A ReLU fused after BatchNorm's x·<see cref="Scale"/> + <see cref="Shift"/> (<see cref="On"/>): its backward
/// passes dy only where that value was positive. The default is no ReLU.</summary>
public readonly record struct ReluGate(bool On, float Scale, float Shift);
