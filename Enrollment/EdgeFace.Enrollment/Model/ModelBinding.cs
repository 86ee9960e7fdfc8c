using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Model;

/// <summary>
/// The embedding model a template was made with. Templates of different models live in different spaces,
/// so every comparison first checks that both sides carry the same binding.
/// </summary>
public sealed record ModelBinding(string Id, string Sha256)
{
    public override string ToString() => $"{Id} (sha256 {Short(Sha256)})";

    public bool SameModel(ModelBinding other) =>
        string.Equals(Id, other.Id, StringComparison.Ordinal) && string.Equals(Sha256, other.Sha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws an <see cref="EdgeFaceException"/> naming both models when <paramref name="probe"/> was made by another model.</summary>
    public void RequireSame(ModelBinding probe, string what)
    {
        if (!SameModel(probe))
            throw new EdgeFaceException($"{what} was enrolled with model {this} but the probe comes from model {probe}; re-enrol with the current model or use the old one");
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
