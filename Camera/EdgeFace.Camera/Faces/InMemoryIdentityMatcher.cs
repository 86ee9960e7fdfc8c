using System.Collections.Immutable;

using EdgeFace.Runtime;

namespace EdgeFace.Camera.Faces;

/// <summary>
/// Identity templates held in memory; each identity scores as its best template (cosine).
/// Thread-safe: enrolment swaps an immutable snapshot, so the loop reads without locking.
/// </summary>
public sealed class InMemoryIdentityMatcher(float acceptThreshold, int embeddingSize) : IIdentityMatcher
{
    private readonly Lock _write = new();
    private ImmutableSortedDictionary<string, float[][]> _templates = ImmutableSortedDictionary.Create<string, float[][]>(StringComparer.Ordinal);

    public float AcceptThreshold => acceptThreshold;
    public IReadOnlyList<string> Identities => _templates.Keys.ToArray();

    public IdentityMatch Verify(string identity, ReadOnlySpan<float> embedding) =>
        _templates.TryGetValue(identity, out var t) ? new(identity, Best(t, embedding)) : new(null, 0f);

    public IdentityMatch Identify(ReadOnlySpan<float> embedding)
    {
        string? best = null;
        var bestScore = float.NegativeInfinity;
        foreach (var (id, t) in _templates)
        {
            var s = Best(t, embedding);
            if (s > bestScore) { bestScore = s; best = id; }
        }
        return best is null ? new(null, 0f) : new(best, bestScore);
    }

    public void Enrol(string identity, IReadOnlyList<float[]> embeddings)
    {
        if (string.IsNullOrWhiteSpace(identity)) throw new EdgeFaceException("identity name is empty");
        if (embeddings.Count == 0) throw new EdgeFaceException($"no face templates to enrol for '{identity}'");
        foreach (var e in embeddings)
            if (e.Length != embeddingSize) throw new EdgeFaceException($"template for '{identity}' has {e.Length} values, expected {embeddingSize}");
        lock (_write)
        {
            var existing = _templates.TryGetValue(identity, out var t) ? t : [];
            _templates = _templates.SetItem(identity, [.. existing, .. embeddings.Select(e => (float[])e.Clone())]);
        }
    }

    public bool Remove(string identity)
    {
        lock (_write)
        {
            var before = _templates;
            _templates = _templates.Remove(identity);
            return before.Count != _templates.Count;
        }
    }

    private static float Best(float[][] templates, ReadOnlySpan<float> embedding)
    {
        var best = float.NegativeInfinity;
        foreach (var t in templates) best = Math.Max(best, VectorMath.Dot(t, embedding));
        return best;
    }
}
