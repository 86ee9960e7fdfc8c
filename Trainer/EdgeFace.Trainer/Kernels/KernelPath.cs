using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeFace.Trainer.Kernels;

/// <summary>The SIMD instruction sets a kernel can run on. <see cref="Scalar"/> is the plain reference code.</summary>
public enum KernelPath
{
    Scalar,
    /// <summary>Portable 128-bit vectors: SSE on x64, AdvSIMD (NEON) on ARM64.</summary>
    Vector128,
    /// <summary>256-bit AVX2 with FMA.</summary>
    Avx2,
    /// <summary>512-bit AVX-512F.</summary>
    Avx512,
}

/// <summary>Which <see cref="KernelPath"/>s this process can run, decided once from the JIT's view of the CPU
/// (so <c>DOTNET_EnableAVX512=0</c> / <c>DOTNET_EnableAVX2=0</c> take effect).</summary>
public static class KernelPaths
{
    /// <summary>The fastest supported path; what the entry points without a path argument use.</summary>
    public static KernelPath Best { get; } =
        Avx512Ops.IsSupported ? KernelPath.Avx512
        : Avx2Ops.IsSupported ? KernelPath.Avx2
        : Vector128Ops.IsSupported ? KernelPath.Vector128
        : KernelPath.Scalar;

    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Scalar => true,
        KernelPath.Vector128 => Vector128Ops.IsSupported,
        KernelPath.Avx2 => Avx2Ops.IsSupported,
        KernelPath.Avx512 => Avx512Ops.IsSupported,
        _ => false,
    };

    /// <summary>All supported paths, slowest first.</summary>
    public static IReadOnlyList<KernelPath> Supported { get; } =
        Enum.GetValues<KernelPath>().Where(IsSupported).ToArray();

    /// <summary>Throws <see cref="PlatformNotSupportedException"/> when <paramref name="path"/> cannot run here.</summary>
    public static void Require(KernelPath path)
    {
        if (!IsSupported(path))
            throw new PlatformNotSupportedException($"kernel path {path} is not supported on this CPU/runtime (best available: {Best})");
    }

    /// <summary>One line describing the CPU features the JIT reports, for benchmark output.</summary>
    public static string Describe() =>
        $"best={Best} avx512f={Avx512F.IsSupported} avx2={Avx2.IsSupported} fma={Fma.IsSupported} " +
        $"v512={Vector512.IsHardwareAccelerated} v256={Vector256.IsHardwareAccelerated} v128={Vector128.IsHardwareAccelerated}";
}
