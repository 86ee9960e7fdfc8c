using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Tests.Kernels;

/// <summary>Shared helpers of the kernel tests: deterministic data and tolerance-aware comparison.</summary>
internal static class KernelAssert
{
    public static readonly KernelPath[] SimdPaths = [KernelPath.Vector128, KernelPath.Avx2, KernelPath.Avx512];

    public static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var data = new float[length];
        for (var i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }

    /// <summary>Every element within relative 1e-4 of the expected value, relative to the magnitude of the terms
    /// summed to make it (<paramref name="scale"/>, e.g. |A|·|B|), so cancellation does not cause false failures.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, ReadOnlySpan<float> scale, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = 1e-4f * (Math.Abs(scale[i]) + Math.Abs(expected[i])) + 1e-6f;
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
                Assert.Fail($"{what}: element {i} expected {expected[i]} got {actual[i]} (tolerance {tolerance})");
        }
    }

    public static float[] Abs(float[] data) => data.Select(Math.Abs).ToArray();

    /// <summary>A path the CPU lacks must say so rather than let its test pass without running anything.</summary>
    public static bool RequireOrProveUnsupported(KernelPath path, Action call)
    {
        if (KernelPaths.IsSupported(path)) return true;
        Assert.Throws<PlatformNotSupportedException>(call);
        return false;
    }
}
