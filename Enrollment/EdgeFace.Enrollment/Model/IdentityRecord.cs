namespace EdgeFace.Enrollment.Model;

/// <summary>An enrolled person (or signer). <see cref="DisplayName"/> and <see cref="MetadataJson"/> are stored encrypted.</summary>
public sealed record IdentityRecord(long Id, string DisplayName, string? MetadataJson, DateTimeOffset CreatedUtc, DateTimeOffset UpdatedUtc);
