namespace EdgeFace.Trainer.Kernels;

/// <summary>A panel source seen from (<paramref name="outerOffset"/>, <paramref name="depthOffset"/>): lets a GEMM
/// cover one column block, or one slice of the shared k dimension, of a larger operand.</summary>
internal readonly unsafe struct OffsetPanelSource<TSource>(TSource inner, int outerOffset, int depthOffset = 0) : IPanelSource
    where TSource : struct, IPanelSource
{
    public void Pack(float* dst, int outer0, int count, int p0, int kc, int panel) =>
        inner.Pack(dst, outer0 + outerOffset, count, p0 + depthOffset, kc, panel);
}
