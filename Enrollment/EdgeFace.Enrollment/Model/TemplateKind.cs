namespace EdgeFace.Enrollment.Model;

/// <summary>What biometric a stored template describes. Faces and signatures share one store.</summary>
public enum TemplateKind
{
    Face,
    Signature,
}

/// <summary>Database spellings of <see cref="TemplateKind"/>.</summary>
public static class TemplateKinds
{
    public static string ToText(this TemplateKind kind) => kind switch
    {
        TemplateKind.Face => "face",
        TemplateKind.Signature => "signature",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static TemplateKind Parse(string text) => text switch
    {
        "face" => TemplateKind.Face,
        "signature" => TemplateKind.Signature,
        _ => throw new Runtime.EdgeFaceException($"unknown template kind '{text}' (expected face or signature)"),
    };
}
