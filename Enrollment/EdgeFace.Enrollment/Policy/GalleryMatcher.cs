using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Search;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Policy;

/// <summary>A 1:N answer: the ranked candidates and the accepted match, or null for "unknown person".</summary>
public sealed record IdentifyResult(IReadOnlyList<(SearchHit Hit, string DisplayName)> Candidates, SearchHit? Match, double Threshold);

/// <summary>A 1:1 answer against one enrolled identity.</summary>
public sealed record VerifyResult(IdentityRecord Identity, double Score, double Threshold, bool Accepted);

/// <summary>
/// Decisions against the gallery, each recorded in the audit trail: 1:N identification with an open-set
/// threshold (below it the answer is "unknown person") and 1:1 verification of a claimed identity.
/// Scores are cosine similarities against the identity's aggregate template.
/// </summary>
public sealed class GalleryMatcher(IGalleryStore store, string actor)
{
    public IdentifyResult Identify(GalleryIndex index, float[] probe, ModelBinding probeModel, int top, double threshold, string? quality = null)
    {
        if (top < 1) throw new EdgeFaceException($"--top must be at least 1, got {top}");
        var hits = new SearchHit[top];
        var n = index.Search(probe, probeModel, hits);
        var candidates = hits.Take(n).Select(h => (h, store.GetIdentity(h.IdentityId)?.DisplayName ?? $"#{h.IdentityId}")).ToList();
        SearchHit? match = n > 0 && hits[0].Score >= threshold ? hits[0] : null;
        store.AppendAudit(new AuditEntry(actor, "identify", match is null ? "unknown" : "identified", match?.IdentityId,
            n > 0 ? hits[0].Score : null, threshold, probeModel.Id, quality));
        return new IdentifyResult(candidates, match, threshold);
    }

    public VerifyResult Verify(string displayName, float[] probe, ModelBinding probeModel, double threshold, string? quality = null)
    {
        var identity = store.FindIdentity(displayName) ?? throw new EdgeFaceException($"'{displayName}' is not enrolled");
        var aggregate = store.GetTemplates(identity.Id, TemplateKind.Face).FirstOrDefault(t => t.IsAggregate)
            ?? throw new EdgeFaceException($"'{identity.DisplayName}' has no face templates");
        aggregate.Model.RequireSame(probeModel, $"'{identity.DisplayName}'");
        if (aggregate.Embedding.Length != probe.Length) throw new EdgeFaceException($"probe has {probe.Length} values, '{identity.DisplayName}' has {aggregate.Embedding.Length}-value templates");
        var score = (double)Embeddings.Cosine(probe, aggregate.Embedding);
        var accepted = score >= threshold;
        store.AppendAudit(new AuditEntry(actor, "verify", accepted ? "accepted" : "rejected", identity.Id, score, threshold, probeModel.Id, quality));
        return new VerifyResult(identity, score, threshold, accepted);
    }
}
