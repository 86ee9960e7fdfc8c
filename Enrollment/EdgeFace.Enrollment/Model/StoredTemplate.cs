namespace EdgeFace.Enrollment.Model;

/// <summary>
/// A template as stored: one sample's embedding, or the identity's aggregate (<see cref="IsAggregate"/>:
/// the L2-normalised mean of its samples of that kind and model), which is what 1:N search uses.
/// </summary>
public sealed record StoredTemplate(
    long Id,
    long IdentityId,
    TemplateKind Kind,
    bool IsAggregate,
    float[] Embedding,
    SampleQuality Quality,
    ModelBinding Model,
    string Source,
    DateTimeOffset CreatedUtc,
    bool HasImage);
