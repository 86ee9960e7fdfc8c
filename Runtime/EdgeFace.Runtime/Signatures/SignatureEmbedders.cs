namespace EdgeFace.Runtime.Signatures;

/// <summary>Chooses the signature embedder a command runs with.</summary>
public static class SignatureEmbedders
{
    /// <summary>
    /// The ONNX network described by <paramref name="manifestPath"/>, or the hand-crafted baseline when it is null.
    /// The caller owns the result and disposes it when it is <see cref="IDisposable"/>.
    /// </summary>
    public static ISignatureEmbedder Open(string? manifestPath) =>
        manifestPath is null ? new GradientHistogramSignatureEmbedder() : OnnxSignatureEmbedder.Load(manifestPath);
}
