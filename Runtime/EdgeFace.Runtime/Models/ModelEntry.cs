namespace EdgeFace.Runtime.Models;

/// <summary>Where a model's manifest came from.</summary>
public enum ModelOrigin
{
    /// <summary>A <c>NAME.manifest.json</c> beside the file (our own trained models, or a user's).</summary>
    Manifest,
    /// <summary>A built-in card matched by SHA-256.</summary>
    BuiltInCard,
}

/// <summary>
/// One .onnx file found on the model search path. <see cref="Problem"/> is set (and <see cref="Manifest"/> null)
/// when the file could not be identified; such entries are listed but never chosen as a default.
/// </summary>
public sealed record ModelEntry(string Path, ModelManifest? Manifest, ModelOrigin Origin, string? Problem = null)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The manifest, or throws the identification problem as an <see cref="EdgeFaceException"/>.</summary>
    public ModelManifest RequireManifest() => Manifest ?? throw new EdgeFaceException($"{Path}: {Problem}");

    /// <summary>Path of the manifest file that describes (or would describe) this model.</summary>
    public string ManifestPath => System.IO.Path.ChangeExtension(Path, null) + ModelManifest.FileSuffix;
}
