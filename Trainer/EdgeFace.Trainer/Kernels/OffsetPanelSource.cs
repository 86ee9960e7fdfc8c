namespace EdgeFace.Trainer.Kernels;

/// <summary>A panel source whose outer index starts at <paramref name="offset"/>: lets a GEMM cover one column block of a longer operand.</summary>
internal readonly unsafe struct OffsetPanelSource<TSource>(TSource inner, int offset) : IPanelSource
    where TSource : struct, IPanelSource
{
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel) =>
        inner.Pack(dst, outer0 + offset, count, p0, kc, panel);
}
