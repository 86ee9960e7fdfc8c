using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>One float per "vector": runs the vector loops as plain scalar code, the scalar twin of every path.</summary>
internal readonly unsafe struct ScalarOps : ISimdOps<float>
{
    public static int Width => 1;
    public static bool IsSupported => true;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, float v) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Splat(float x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MulAdd(float a, float b, float c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => Math.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Min(float a, float b) => Math.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float SelectPositive(float x, float ifPositive, float otherwise) => x > 0 ? ifPositive : otherwise;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(float v) => v;
}
