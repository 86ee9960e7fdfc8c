using System.Runtime.CompilerServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>A plain row-major matrix operand. When <see cref="OuterContiguous"/>, element(o, p) = ptr[p·ld + o]
/// (A transposed, B as stored); otherwise element(o, p) = ptr[o·ld + p] (A as stored, B transposed).</summary>
internal readonly unsafe struct DensePanelSource(float* ptr, int ld, bool outerContiguous) : IPanelSource
{
    public bool OuterContiguous => outerContiguous;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel)
    {
        for (var t = 0; t < count; t += panel)
        {
            var n = Math.Min(panel, count - t);
            var d = dst + t * kc;
            if (outerContiguous)
            {
                var src = ptr + (long)p0 * ld + outer0 + t;
                for (var p = 0; p < kc; p++, src += ld, d += panel)
                {
                    Im2colPanelSource.ShortCopy(d, src, n);
                    for (var o = n; o < panel; o++) d[o] = 0;
                }
            }
            else
            {
                TransposePacker.Pack(d, panel, ptr + (long)(outer0 + t) * ld + p0, ld, n, kc);
                for (var o = n; o < panel; o++)
                    for (var p = 0; p < kc; p++) d[p * panel + o] = 0;
            }
        }
    }
}
