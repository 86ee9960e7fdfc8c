using System.Text.Json;
using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Search;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Policy;

/// <summary>The verdict on one offered sample.</summary>
public sealed record SampleVerdict(string Source, bool Accepted, string? Reason);

/// <summary>A look-alike found by the pre-enrolment 1:N check.</summary>
public sealed record DuplicateCandidate(long IdentityId, string DisplayName, double Score, double Threshold);

/// <summary>What an enrolment did: the identity, every sample's verdict, and a look-alike warning if any.</summary>
public sealed record EnrollmentResult(IdentityRecord Identity, bool Created, IReadOnlyList<SampleVerdict> Verdicts, DuplicateCandidate? Duplicate);

/// <summary>
/// Face enrolment policy: filters samples by quality (saying why each rejected one failed), checks the
/// accepted ones 1:N against everyone else (warn or refuse on a look-alike), then stores samples + aggregate
/// and the audit record in one transaction, and updates the live index if one is given.
/// Works on <see cref="BiometricSample"/>s, so files and camera frames enrol the same way.
/// </summary>
public sealed class Enroller(IGalleryStore store, EnrollmentOptions options)
{
    public EnrollmentResult Enroll(string displayName, IReadOnlyList<BiometricSample> samples, string? metadataJson = null, GalleryIndex? index = null)
    {
        GalleryRules.ValidateName(displayName);
        var verdicts = samples.Select(s => Judge(s)).ToList();
        var accepted = samples.Where((_, i) => verdicts[i].Accepted)
            .Select(s => options.StoreImages ? s : s with { Image = null }).ToList();
        if (accepted.Count == 0)
            throw new EdgeFaceException($"no usable sample for '{displayName.Trim()}': " + string.Join("; ", verdicts.Select(v => $"{v.Source}: {v.Reason}")));

        var existing = store.FindIdentity(displayName);
        if (existing is not null && !options.AddToExisting && !options.ReplaceExisting)
            throw new EdgeFaceException($"'{existing.DisplayName}' is already enrolled (use --append to add samples, --replace to re-enrol, or remove it first)");

        var model = accepted[0].Model;
        var probe = Embeddings.NormalisedMean(accepted.Select(s => s.Embedding));
        var duplicate = FindLookAlike(probe, model, existing?.Id, index);
        var quality = JsonSerializer.Serialize(new { accepted = accepted.Count, offered = samples.Count, min_face_px = accepted.Min(s => s.Quality.FaceSizePx) });
        if (duplicate is not null && options.OnDuplicate == DuplicatePolicy.Refuse)
        {
            store.AppendAudit(new AuditEntry(options.Actor, "enrol", "refused-duplicate", duplicate.IdentityId, duplicate.Score, duplicate.Threshold, model.Id, quality));
            throw new EdgeFaceException($"'{displayName.Trim()}' looks like the already enrolled '{duplicate.DisplayName}' (score {duplicate.Score:0.000} >= {duplicate.Threshold:0.000}); enrolment refused (--on-duplicate refuse)");
        }

        var detail = duplicate is null ? null : $"look-alike of identity {duplicate.IdentityId}";
        IdentityRecord identity;
        if (existing is null)
        {
            identity = store.Enroll(displayName, metadataJson, TemplateKind.Face, accepted,
                new AuditEntry(options.Actor, "enrol", "enrolled", null, duplicate?.Score, duplicate?.Threshold, model.Id, quality, detail));
        }
        else
        {
            store.AddTemplates(existing.Id, TemplateKind.Face, accepted,
                new AuditEntry(options.Actor, options.ReplaceExisting ? "re-enrol" : "add-templates", "enrolled", existing.Id, duplicate?.Score, duplicate?.Threshold, model.Id, quality, detail),
                replace: options.ReplaceExisting);
            identity = store.GetIdentity(existing.Id)!;
        }
        if (index is not null && index.Model.SameModel(model))
        {
            var aggregate = store.GetTemplates(identity.Id, TemplateKind.Face).Single(t => t.IsAggregate);
            index.Add(identity.Id, aggregate.Embedding);
        }
        return new EnrollmentResult(identity, existing is null, verdicts, duplicate);
    }

    private SampleVerdict Judge(BiometricSample s)
    {
        var reason = options.Quality.Reject(s.Quality);
        return new SampleVerdict(s.Source, reason is null, reason);
    }

    /// <summary>The most similar other identity above the open-set threshold, using the index when it matches the model.</summary>
    private DuplicateCandidate? FindLookAlike(float[] probe, ModelBinding model, long? self, GalleryIndex? index)
    {
        long bestId = -1;
        var bestScore = double.NegativeInfinity;
        if (index is not null && index.Model.SameModel(model) && index.Dimension == probe.Length)
        {
            Span<SearchHit> hits = stackalloc SearchHit[2];
            var n = index.Search(probe, model, hits);
            foreach (var h in hits[..n])
                if (h.IdentityId != self && h.Score > bestScore) { bestId = h.IdentityId; bestScore = h.Score; }
        }
        else
        {
            foreach (var t in store.GetAggregates(TemplateKind.Face))
            {
                if (t.IdentityId == self || !t.Model.SameModel(model) || t.Embedding.Length != probe.Length) continue;
                var score = Embeddings.Cosine(probe, t.Embedding);
                if (score > bestScore) { bestId = t.IdentityId; bestScore = score; }
            }
        }
        if (bestId < 0 || bestScore < options.DuplicateThreshold) return null;
        var other = store.GetIdentity(bestId);
        return other is null ? null : new DuplicateCandidate(bestId, other.DisplayName, bestScore, options.DuplicateThreshold);
    }
}
