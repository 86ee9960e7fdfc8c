namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// Maps a cleaned signature (the 150x220 output of <see cref="SignatureCleaner"/>, row-major, ink 0..1 on 0)
/// to an L2-normalised embedding, so that cosine similarity is a dot product and higher means "same writer".
/// </summary>
public interface ISignatureEmbedder
{
    /// <summary>Identifies the embedding space; embeddings of different ids must never be compared.</summary>
    string Id { get; }

    /// <summary>Length of the embedding.</summary>
    int Dimension { get; }

    /// <summary>Writes the L2-normalised embedding of <paramref name="cleaned"/> into <paramref name="destination"/>.</summary>
    void Embed(ReadOnlySpan<float> cleaned, Span<float> destination);
}
