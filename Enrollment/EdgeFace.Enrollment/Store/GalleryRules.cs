using System.Text.Json;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Store;

/// <summary>Input checks every store applies before writing, so both backends refuse the same things with the same words.</summary>
public static class GalleryRules
{
    public const int MaxNameLength = 200;

    public static void ValidateName(string displayName)
    {
        if (string.IsNullOrWhiteSpace(displayName)) throw new EdgeFaceException("identity name is empty");
        if (displayName.Length > MaxNameLength) throw new EdgeFaceException($"identity name is longer than {MaxNameLength} characters");
        if (displayName.Any(char.IsControl)) throw new EdgeFaceException($"identity name '{displayName.Trim()}' contains control characters");
    }

    public static void ValidateMetadata(string? metadataJson)
    {
        if (metadataJson is null) return;
        try
        {
            using var doc = JsonDocument.Parse(metadataJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new EdgeFaceException("identity metadata must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new EdgeFaceException($"identity metadata is not valid JSON ({e.Message.Split('.')[0]})");
        }
    }

    /// <summary>
    /// Samples must exist, be valid, come from one model and have one length; and match the identity's
    /// stored templates of that kind (<paramref name="existing"/>) unless those are being replaced.
    /// </summary>
    public static void ValidateSamples(string identity, TemplateKind kind, IReadOnlyList<BiometricSample> samples, StoredTemplate? existing)
    {
        if (samples.Count == 0) throw new EdgeFaceException($"no {kind.ToText()} samples to enrol for '{identity}'");
        var first = samples[0];
        foreach (var s in samples)
        {
            s.Validate();
            if (!s.Model.SameModel(first.Model))
                throw new EdgeFaceException($"{s.Source}: made by model {s.Model}, but {first.Source} by {first.Model}; enrol samples of one model at a time");
            if (s.Embedding.Length != first.Embedding.Length)
                throw new EdgeFaceException($"{s.Source}: embedding has {s.Embedding.Length} values, {first.Source} has {first.Embedding.Length}");
        }
        if (existing is null) return;
        if (!existing.Model.SameModel(first.Model))
            throw new EdgeFaceException($"'{identity}' has {kind.ToText()} templates from model {existing.Model}, the new samples come from {first.Model}; re-enrol (replace) to switch models");
        if (existing.Embedding.Length != first.Embedding.Length)
            throw new EdgeFaceException($"'{identity}' has {existing.Embedding.Length}-value {kind.ToText()} templates, the new samples have {first.Embedding.Length}");
    }
}
