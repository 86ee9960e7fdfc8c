using EdgeFace.Camera.Decisions;
using EdgeFace.Enrollment.Model;

namespace EdgeFace.Camera.Faces;

/// <summary>Who an embedding matched, and how well. <see cref="Score"/> is a cosine similarity (higher = more alike).</summary>
public readonly record struct IdentityMatch(string? Identity, float Score);

/// <summary>
/// The kiosk's view of the gallery: 1:1 verification against a claimed identity, 1:N identification, enrolment,
/// and the audit of decisions. Per-frame scoring is in memory; only decisions and enrolments are written.
/// Embeddings are L2-normalised. Scoring methods are called from the loop thread; the rest may come from any thread.
/// </summary>
public interface IIdentityMatcher
{
    /// <summary>Score at or above which a (fused) match counts as the same person.</summary>
    float AcceptThreshold { get; }

    /// <summary>The model every probe must come from.</summary>
    ModelBinding Model { get; }

    IReadOnlyList<string> Identities { get; }

    /// <summary>Similarity to <paramref name="identity"/>'s aggregate template; Identity null when not enrolled.</summary>
    IdentityMatch Verify(string identity, ReadOnlySpan<float> embedding);

    /// <summary>The most similar enrolled identity regardless of threshold; Identity null when the gallery is empty.</summary>
    IdentityMatch Identify(ReadOnlySpan<float> embedding);

    /// <summary>Enrols (or adds samples to) <paramref name="identity"/> durably; throws EdgeFaceException when refused.</summary>
    void Enrol(string identity, IReadOnlyList<BiometricSample> samples);

    /// <summary>Removes an identity; false if it was not enrolled.</summary>
    bool Remove(string identity);

    /// <summary>Records a kiosk decision in the gallery's audit trail.</summary>
    void Audit(KioskDecision decision);
}
