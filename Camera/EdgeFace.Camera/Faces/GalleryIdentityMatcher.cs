using System.Collections.Frozen;
using EdgeFace.Camera.Decisions;
using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Policy;
using EdgeFace.Enrollment.Search;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;

namespace EdgeFace.Camera.Faces;

/// <summary>
/// <see cref="IIdentityMatcher"/> over the enrolment gallery: 1:N through the in-memory <see cref="GalleryIndex"/>,
/// 1:1 against each identity's aggregate template (cached in an immutable snapshot, swapped on change so the loop
/// never locks), enrolment through the gallery's <see cref="Enroller"/> policy, decisions into its audit log.
/// Owns the index (dispose this matcher); the caller owns and disposes the store.
/// </summary>
public sealed class GalleryIdentityMatcher : IIdentityMatcher, IDisposable
{
    private const string Actor = "kiosk";
    private readonly IGalleryStore _store;
    private readonly GalleryIndex _index;
    private readonly EnrollmentOptions _enrolment;
    private readonly Lock _write = new();
    private Snapshot _snapshot = Snapshot.Empty;

    /// <param name="store">The gallery; only identities enrolled with <paramref name="model"/> take part.</param>
    /// <param name="threshold">Cosine score at which a fused match is accepted (the model's calibrated threshold).</param>
    public GalleryIdentityMatcher(IGalleryStore store, ModelBinding model, int dimension, float threshold, EnrollmentOptions? enrolment = null)
    {
        if (threshold is <= -1 or >= 1) throw new EdgeFaceException($"match threshold must be a cosine score in (-1, 1), got {threshold}");
        _store = store;
        Model = model;
        AcceptThreshold = threshold;
        _enrolment = enrolment ?? new EnrollmentOptions { DuplicateThreshold = threshold, Actor = Actor, AddToExisting = true };
        _index = GalleryIndex.Load(store, model, dimension, out var otherModel, new IndexOptions { Threads = 1 });
        OtherModelIdentities = otherModel;
        Refresh();
    }

    public float AcceptThreshold { get; }
    public ModelBinding Model { get; }
    /// <summary>Identities enrolled with a different model, which this kiosk cannot match (re-enrol them).</summary>
    public int OtherModelIdentities { get; }
    public IReadOnlyList<string> Identities => _snapshot.Names;

    public IdentityMatch Verify(string identity, ReadOnlySpan<float> embedding) =>
        _snapshot.ByName.TryGetValue(identity, out var e) ? new(e.Name, Embeddings.Cosine(embedding, e.Aggregate)) : new(null, 0f);

    public IdentityMatch Identify(ReadOnlySpan<float> embedding)
    {
        Span<SearchHit> hits = stackalloc SearchHit[1];
        if (_index.Search(embedding, Model, hits) == 0) return new(null, 0f);
        return _snapshot.ById.TryGetValue(hits[0].IdentityId, out var name) ? new(name, hits[0].Score) : new(null, 0f);
    }

    public void Enrol(string identity, IReadOnlyList<BiometricSample> samples)
    {
        lock (_write)
        {
            new Enroller(_store, _enrolment).Enroll(identity, samples, index: _index);
            Refresh();
        }
    }

    public bool Remove(string identity)
    {
        lock (_write)
        {
            var record = _store.FindIdentity(identity);
            if (record is null) return false;
            _store.RemoveIdentity(record.Id, new AuditEntry(Actor, "remove", "removed", record.Id));
            _index.Remove(record.Id);
            Refresh();
            return true;
        }
    }

    public void Audit(KioskDecision d)
    {
        long? subject = d.Identity is null ? null : _snapshot.ByName.TryGetValue(d.Identity, out var e) ? e.Id : null;
        var action = d.Mode switch { KioskMode.Verify => "verify", KioskMode.Identify => "identify", _ => "enrol" };
        if (d.Mode == KioskMode.Enrol) return; // the enroller already audited it
        var outcome = d.Outcome switch
        {
            DecisionOutcome.Accepted => d.Mode == KioskMode.Verify ? "accepted" : "identified",
            DecisionOutcome.Rejected => d.Mode == KioskMode.Verify ? "rejected" : "unknown",
            _ => "spoof-suspected",
        };
        _store.AppendAudit(new AuditEntry(Actor, action, outcome, subject, d.Score, AcceptThreshold, Model.Id,
            d.Liveness is { } l ? $"{{\"liveness\":{l:0.###}}}" : null, $"track {d.Track}, frame {d.Frame}, {d.Samples} frames fused"));
    }

    /// <summary>Reloads names and aggregates from the store (after enrolment or removal).</summary>
    private void Refresh()
    {
        var entries = new List<Entry>();
        foreach (var identity in _store.ListIdentities())
        {
            var aggregate = _store.GetTemplates(identity.Id, TemplateKind.Face).FirstOrDefault(t => t.IsAggregate);
            if (aggregate is null || !aggregate.Model.SameModel(Model)) continue;
            entries.Add(new Entry(identity.Id, identity.DisplayName, aggregate.Embedding));
        }
        _snapshot = new Snapshot(
            entries.Select(e => e.Name).Order(StringComparer.Ordinal).ToArray(),
            entries.ToFrozenDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase),
            entries.ToFrozenDictionary(e => e.Id, e => e.Name));
    }

    public void Dispose() => _index.Dispose();

    private sealed record Entry(long Id, string Name, float[] Aggregate);

    private sealed record Snapshot(string[] Names, FrozenDictionary<string, Entry> ByName, FrozenDictionary<long, string> ById)
    {
        public static readonly Snapshot Empty = new([], FrozenDictionary<string, Entry>.Empty, FrozenDictionary<long, string>.Empty);
    }
}
