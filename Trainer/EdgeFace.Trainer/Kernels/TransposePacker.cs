using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// The transposing copy at the heart of packing an operand whose k dimension is contiguous (A as stored,
/// B transposed, and both operands of a convolution's weight gradient, which contracts over pixels):
/// dst[q·panel + o] = src[o·rowStride + q]. Done in 4×4 register transposes where SSE exists, which is several
/// times faster than the element-by-element strided copy (still the fallback, e.g. on ARM).
/// </summary>
internal static unsafe class TransposePacker
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* dst, int panel, float* src, long rowStride, int rows, int length)
    {
        var o = 0;
        if (Sse.IsSupported)
        {
            for (; o + 4 <= rows; o += 4)
            {
                var r0 = src + o * rowStride;
                PackFour(dst + o, panel, r0, r0 + rowStride, r0 + 2 * rowStride, r0 + 3 * rowStride, length);
            }
        }
        for (; o < rows; o++)
        {
            var row = src + o * rowStride;
            for (var q = 0; q < length; q++) dst[q * panel + o] = row[q];
        }
    }

    /// <summary>dst[q·panel + i] = ri[q] for four rows at any addresses; needs <see cref="Sse"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PackFour(float* dst, int panel, float* r0, float* r1, float* r2, float* r3, int length)
    {
        var q = 0;
        for (; q + 4 <= length; q += 4, dst += 4 * panel)
            Transpose4(dst, panel, Vector128.Load(r0 + q), Vector128.Load(r1 + q), Vector128.Load(r2 + q), Vector128.Load(r3 + q));
        for (; q < length; q++, dst += panel)
        {
            dst[0] = r0[q];
            dst[1] = r1[q];
            dst[2] = r2[q];
            dst[3] = r3[q];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(float* d, int panel, Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> e)
    {
        var abLow = Sse.UnpackLow(a, b);   // a0 b0 a1 b1
        var abHigh = Sse.UnpackHigh(a, b); // a2 b2 a3 b3
        var ceLow = Sse.UnpackLow(c, e);
        var ceHigh = Sse.UnpackHigh(c, e);
        Sse.MoveLowToHigh(abLow, ceLow).Store(d);                 // a0 b0 c0 e0
        Sse.MoveHighToLow(ceLow, abLow).Store(d + panel);         // a1 b1 c1 e1
        Sse.MoveLowToHigh(abHigh, ceHigh).Store(d + 2 * panel);
        Sse.MoveHighToLow(ceHigh, abHigh).Store(d + 3 * panel);
    }
}
