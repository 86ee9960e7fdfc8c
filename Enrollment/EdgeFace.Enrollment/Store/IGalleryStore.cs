using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;

namespace EdgeFace.Enrollment.Store;

/// <summary>
/// Where enrolled identities, their templates and the audit trail live. Every write method is atomic
/// (all of it happens, with its audit record, or nothing does) and thread-safe. Implementations own their
/// connections and must be disposed.
/// <para>
/// For faces use <see cref="TemplateKind.Face"/>; signature references use the same calls with
/// <see cref="TemplateKind.Signature"/>: <c>Enroll(name, null, TemplateKind.Signature, samples, audit)</c>,
/// <c>AddTemplates(id, TemplateKind.Signature, samples, audit)</c>, <c>GetTemplates(id, TemplateKind.Signature)</c>.
/// </para>
/// </summary>
public interface IGalleryStore : IDisposable
{
    /// <summary>A description of the store for messages (a file path, "memory").</summary>
    string Location { get; }

    /// <summary>
    /// Creates an identity with its first samples, their aggregate and the audit record (its subject set to the new id).
    /// Throws when the name is already enrolled (names compare trimmed, whitespace-collapsed, case-insensitive).
    /// </summary>
    IdentityRecord Enroll(string displayName, string? metadataJson, TemplateKind kind, IReadOnlyList<BiometricSample> samples, AuditEntry audit);

    /// <summary>
    /// Adds samples of one kind to an identity and recomputes its aggregate for that kind. All samples must come
    /// from one model; samples from a model other than the stored ones are refused unless <paramref name="replace"/>
    /// drops the identity's existing templates of that kind (re-enrolment). Returns the identity's templates of that kind.
    /// </summary>
    IReadOnlyList<StoredTemplate> AddTemplates(long identityId, TemplateKind kind, IReadOnlyList<BiometricSample> samples, AuditEntry audit, bool replace = false);

    IdentityRecord? FindIdentity(string displayName);
    IdentityRecord? GetIdentity(long identityId);
    IReadOnlyList<IdentityRecord> ListIdentities();

    /// <summary>The identity's templates of one kind: samples in insertion order, then the aggregate.</summary>
    IReadOnlyList<StoredTemplate> GetTemplates(long identityId, TemplateKind kind);

    /// <summary>Every identity's aggregate of one kind (what a 1:N index loads).</summary>
    IReadOnlyList<StoredTemplate> GetAggregates(TemplateKind kind);

    /// <summary>One line per identity and kind: the model its templates are bound to, sample count and length (no decryption).</summary>
    IReadOnlyList<TemplateSummary> Summarise();

    /// <summary>The sample image stored with a template (only when the operator opted in), else null.</summary>
    byte[]? GetSampleImage(long templateId);

    /// <summary>Deletes the identity and all its templates and images. Returns false when it does not exist.</summary>
    bool RemoveIdentity(long identityId, AuditEntry audit);

    /// <summary>
    /// Adds many identities at once, all or nothing (bundle import). Names already enrolled are refused unless
    /// <paramref name="replaceExisting"/>, which replaces that identity's data.
    /// </summary>
    IReadOnlyList<IdentityRecord> Import(IReadOnlyList<IdentityImport> identities, bool replaceExisting, AuditEntry audit);

    /// <summary>Appends a record (decisions: verify, identify) and returns it as stored.</summary>
    AuditRecord AppendAudit(AuditEntry entry);

    IReadOnlyList<AuditRecord> ReadAudit();

    /// <summary>Checks the audit chain and its signed head; names the first bad record.</summary>
    AuditVerification VerifyAudit();
}

/// <summary>One identity to import: its personal data and its templates per kind (samples only; aggregates are recomputed).</summary>
public sealed record IdentityImport(string DisplayName, string? MetadataJson, DateTimeOffset CreatedUtc, IReadOnlyList<(TemplateKind Kind, BiometricSample Sample)> Samples);

/// <summary>What an identity has enrolled for one kind.</summary>
public sealed record TemplateSummary(long IdentityId, TemplateKind Kind, ModelBinding Model, int Samples, int Dimension);
