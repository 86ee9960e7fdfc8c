namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// A matrix operand of the packed GEMM, seen as element(outer, p): outer is the row of A or the column of B,
/// p runs along the shared k dimension. Implementations read plain matrices or gather convolution patches on the
/// fly (implicit GEMM), so no operand is ever materialised whole.
/// </summary>
internal unsafe interface IPanelSource
{
    /// <summary>
    /// Packs outer indices [outer0, outer0+count) × p in [p0, p0+kc) into ceil(count/panel) panels, panel t at
    /// dst + t·panel·kc, each stored p-major: dst[p·panel + o]. Lanes past count are zero.
    /// </summary>
    void Pack(float* dst, int outer0, int count, int p0, int kc, int panel);
}
