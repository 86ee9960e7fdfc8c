namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The handful of vector operations the kernels need, implemented once per instruction set by a struct.
/// Kernels are generic over the struct, so the JIT emits one specialised copy per path with every call inlined.
/// </summary>
internal unsafe interface ISimdOps<TV> where TV : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Width { get; }
    static abstract bool IsSupported { get; }
    static abstract TV Zero { get; }
    static abstract TV Load(float* p);
    static abstract void Store(float* p, TV v);
    static abstract TV Splat(float x);
    /// <summary>a·b + c, fused where the hardware can.</summary>
    static abstract TV MulAdd(TV a, TV b, TV c);
    static abstract TV Add(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    static abstract TV Max(TV a, TV b);
    static abstract TV Min(TV a, TV b);
    /// <summary>Lanes of <paramref name="ifPositive"/> where x &gt; 0, else lanes of <paramref name="otherwise"/>.</summary>
    static abstract TV SelectPositive(TV x, TV ifPositive, TV otherwise);
    static abstract float Sum(TV v);
}
