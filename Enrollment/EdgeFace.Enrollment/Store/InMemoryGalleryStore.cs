using System.Security.Cryptography;
using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Security;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Store;

/// <summary>
/// A gallery held in process memory: for tests, demos and kiosks that load their people from elsewhere.
/// Same rules and audit chain as the SQLite store; nothing is persisted or encrypted. Thread-safe (one lock).
/// </summary>
public sealed class InMemoryGalleryStore : IGalleryStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, IdentityRecord> _identities = new();
    private readonly Dictionary<string, long> _byName = new(StringComparer.Ordinal);
    private readonly List<StoredTemplate> _templates = new();
    private readonly Dictionary<long, byte[]> _images = new();
    private readonly List<AuditRecord> _audit = new();
    private readonly byte[] _auditKey = RandomNumberGenerator.GetBytes(32);
    private AuditHead? _head;
    private long _nextIdentity = 1;
    private long _nextTemplate = 1;

    public string Location => "memory";

    public IdentityRecord Enroll(string displayName, string? metadataJson, TemplateKind kind, IReadOnlyList<BiometricSample> samples, AuditEntry audit)
    {
        GalleryRules.ValidateName(displayName);
        GalleryRules.ValidateMetadata(metadataJson);
        GalleryRules.ValidateSamples(displayName.Trim(), kind, samples, null);
        lock (_gate)
        {
            var key = FieldCipher.NormaliseName(displayName);
            if (_byName.ContainsKey(key)) throw new EdgeFaceException($"'{displayName.Trim()}' is already enrolled");
            var identity = CreateIdentity(displayName.Trim(), metadataJson, DateTimeOffset.UtcNow);
            InsertSamples(identity.Id, kind, samples);
            Append(audit with { SubjectId = identity.Id });
            return identity;
        }
    }

    public IReadOnlyList<StoredTemplate> AddTemplates(long identityId, TemplateKind kind, IReadOnlyList<BiometricSample> samples, AuditEntry audit, bool replace = false)
    {
        lock (_gate)
        {
            var identity = _identities.GetValueOrDefault(identityId) ?? throw new EdgeFaceException($"identity {identityId} does not exist");
            var existing = replace ? null : _templates.FirstOrDefault(t => t.IdentityId == identityId && t.Kind == kind && t.IsAggregate);
            GalleryRules.ValidateSamples(identity.DisplayName, kind, samples, existing);
            if (replace) DropTemplates(identityId, kind);
            InsertSamples(identityId, kind, samples);
            _identities[identityId] = identity with { UpdatedUtc = DateTimeOffset.UtcNow };
            Append(audit with { SubjectId = identityId });
            return TemplatesOf(identityId, kind);
        }
    }

    public IdentityRecord? FindIdentity(string displayName)
    {
        lock (_gate)
            return _byName.TryGetValue(FieldCipher.NormaliseName(displayName), out var id) ? _identities[id] : null;
    }

    public IdentityRecord? GetIdentity(long identityId)
    {
        lock (_gate) return _identities.GetValueOrDefault(identityId);
    }

    public IReadOnlyList<IdentityRecord> ListIdentities()
    {
        lock (_gate) return _identities.Values.OrderBy(i => i.Id).ToList();
    }

    public IReadOnlyList<StoredTemplate> GetTemplates(long identityId, TemplateKind kind)
    {
        lock (_gate) return TemplatesOf(identityId, kind);
    }

    public IReadOnlyList<StoredTemplate> GetAggregates(TemplateKind kind)
    {
        lock (_gate) return _templates.Where(t => t.Kind == kind && t.IsAggregate).OrderBy(t => t.IdentityId).ToList();
    }

    public IReadOnlyList<TemplateSummary> Summarise()
    {
        lock (_gate)
            return _templates.Where(t => t.IsAggregate).OrderBy(t => t.IdentityId).ThenBy(t => t.Kind)
                .Select(a => new TemplateSummary(a.IdentityId, a.Kind, a.Model,
                    _templates.Count(t => t.IdentityId == a.IdentityId && t.Kind == a.Kind && !t.IsAggregate), a.Embedding.Length))
                .ToList();
    }

    public byte[]? GetSampleImage(long templateId)
    {
        lock (_gate) return _images.TryGetValue(templateId, out var image) ? image.ToArray() : null;
    }

    public bool RemoveIdentity(long identityId, AuditEntry audit)
    {
        lock (_gate)
        {
            if (!_identities.Remove(identityId, out var identity)) return false;
            _byName.Remove(FieldCipher.NormaliseName(identity.DisplayName));
            DropTemplates(identityId, null);
            Append(audit with { SubjectId = identityId });
            return true;
        }
    }

    public IReadOnlyList<IdentityRecord> Import(IReadOnlyList<IdentityImport> identities, bool replaceExisting, AuditEntry audit)
    {
        foreach (var item in identities)
        {
            GalleryRules.ValidateName(item.DisplayName);
            GalleryRules.ValidateMetadata(item.MetadataJson);
            foreach (var group in item.Samples.GroupBy(s => s.Kind))
                GalleryRules.ValidateSamples(item.DisplayName, group.Key, group.Select(s => s.Sample).ToList(), null);
        }
        var names = identities.Select(i => FieldCipher.NormaliseName(i.DisplayName)).ToList();
        if (names.Distinct().Count() != names.Count) throw new EdgeFaceException("the bundle names the same identity twice");
        lock (_gate)
        {
            var clash = identities.FirstOrDefault(i => _byName.ContainsKey(FieldCipher.NormaliseName(i.DisplayName)));
            if (clash is not null && !replaceExisting)
                throw new EdgeFaceException($"'{clash.DisplayName}' is already enrolled; nothing was imported (use replace to overwrite existing identities)");
            var result = new List<IdentityRecord>();
            foreach (var item in identities)
            {
                if (_byName.TryGetValue(FieldCipher.NormaliseName(item.DisplayName), out var old))
                {
                    _identities.Remove(old);
                    _byName.Remove(FieldCipher.NormaliseName(item.DisplayName));
                    DropTemplates(old, null);
                }
                var identity = CreateIdentity(item.DisplayName.Trim(), item.MetadataJson, item.CreatedUtc);
                foreach (var group in item.Samples.GroupBy(s => s.Kind))
                    InsertSamples(identity.Id, group.Key, group.Select(s => s.Sample).ToList());
                result.Add(identity);
            }
            Append(audit with { Detail = audit.Detail ?? $"{identities.Count} identities" });
            return result;
        }
    }

    public AuditRecord AppendAudit(AuditEntry entry)
    {
        lock (_gate) return Append(entry);
    }

    public IReadOnlyList<AuditRecord> ReadAudit()
    {
        lock (_gate) return _audit.ToList();
    }

    public AuditVerification VerifyAudit()
    {
        lock (_gate) return AuditChain.Verify(_audit, _head, _auditKey);
    }

    private IdentityRecord CreateIdentity(string name, string? metadataJson, DateTimeOffset created)
    {
        var identity = new IdentityRecord(_nextIdentity++, name, metadataJson, created, DateTimeOffset.UtcNow);
        _identities[identity.Id] = identity;
        _byName[FieldCipher.NormaliseName(name)] = identity.Id;
        return identity;
    }

    private void InsertSamples(long identityId, TemplateKind kind, IReadOnlyList<BiometricSample> samples)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var s in samples)
        {
            var id = _nextTemplate++;
            _templates.Add(new StoredTemplate(id, identityId, kind, false, s.Embedding.ToArray(), s.Quality, s.Model, s.Source, now, s.Image is not null));
            if (s.Image is not null) _images[id] = s.Image.ToArray();
        }
        _templates.RemoveAll(t => t.IdentityId == identityId && t.Kind == kind && t.IsAggregate);
        var own = _templates.Where(t => t.IdentityId == identityId && t.Kind == kind).ToList();
        var aggregate = Embeddings.NormalisedMean(own.Select(t => t.Embedding));
        _templates.Add(new StoredTemplate(_nextTemplate++, identityId, kind, true, aggregate, default, own[0].Model, $"aggregate of {own.Count}", now, false));
    }

    private void DropTemplates(long identityId, TemplateKind? kind)
    {
        foreach (var t in _templates.Where(t => t.IdentityId == identityId && (kind is null || t.Kind == kind))) _images.Remove(t.Id);
        _templates.RemoveAll(t => t.IdentityId == identityId && (kind is null || t.Kind == kind));
    }

    private List<StoredTemplate> TemplatesOf(long identityId, TemplateKind kind) =>
        _templates.Where(t => t.IdentityId == identityId && t.Kind == kind).OrderBy(t => t.IsAggregate).ThenBy(t => t.Id).ToList();

    private AuditRecord Append(AuditEntry entry)
    {
        var record = AuditChain.Next(_audit.Count == 0 ? null : _audit[^1], entry, DateTimeOffset.UtcNow, _auditKey);
        _audit.Add(record);
        _head = AuditChain.HeadFor(record.Seq, record.Hash, _auditKey);
        return record;
    }

    public void Dispose() { }
}
