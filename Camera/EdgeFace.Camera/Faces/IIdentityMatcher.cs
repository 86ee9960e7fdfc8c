namespace EdgeFace.Camera.Faces;

/// <summary>Who an embedding matched, and how well. <see cref="Score"/> is a cosine similarity (higher = more alike).</summary>
public readonly record struct IdentityMatch(string? Identity, float Score);

/// <summary>
/// The kiosk's view of the gallery: 1:1 verification against a claimed identity, 1:N identification, enrolment.
/// Embeddings are L2-normalised. The kiosk thresholds fused scores itself (see <see cref="AcceptThreshold"/>).
/// </summary>
public interface IIdentityMatcher
{
    /// <summary>Score at or above which a (fused) match counts as the same person.</summary>
    float AcceptThreshold { get; }

    IReadOnlyList<string> Identities { get; }

    /// <summary>Similarity to <paramref name="identity"/>'s templates; Identity is null when that identity is not enrolled.</summary>
    IdentityMatch Verify(string identity, ReadOnlySpan<float> embedding);

    /// <summary>The most similar enrolled identity (regardless of threshold), or Identity null when the gallery is empty.</summary>
    IdentityMatch Identify(ReadOnlySpan<float> embedding);

    /// <summary>Adds templates for <paramref name="identity"/> (creating it if new). Persistent matchers store them durably.</summary>
    void Enrol(string identity, IReadOnlyList<float[]> embeddings);

    /// <summary>Removes an identity; false if it was not enrolled.</summary>
    bool Remove(string identity);
}
