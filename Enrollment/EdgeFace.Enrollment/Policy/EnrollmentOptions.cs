namespace EdgeFace.Enrollment.Policy;

/// <summary>What to do when a new enrolment looks like someone already enrolled under another name.</summary>
public enum DuplicatePolicy
{
    /// <summary>Enrol anyway and report the look-alike (default: twins and namesakes exist).</summary>
    Warn,
    /// <summary>Refuse the enrolment; nothing is stored.</summary>
    Refuse,
}

/// <summary>Enrolment settings. <see cref="DuplicateThreshold"/> is the model's open-set threshold (cosine).</summary>
public sealed record EnrollmentOptions
{
    public QualityOptions Quality { get; init; } = new();
    public DuplicatePolicy OnDuplicate { get; init; } = DuplicatePolicy.Warn;
    public required double DuplicateThreshold { get; init; }
    /// <summary>Keep the sample images (encrypted) with the templates. Off by default: privacy first.</summary>
    public bool StoreImages { get; init; }
    /// <summary>Who is enrolling, for the audit trail (operator name, "kiosk", "cli").</summary>
    public string Actor { get; init; } = "cli";
    /// <summary>Add to an existing identity of the same name instead of refusing it.</summary>
    public bool AddToExisting { get; init; }
    /// <summary>Replace an existing identity's face templates (re-enrolment, e.g. after a model change). Implies adding to it.</summary>
    public bool ReplaceExisting { get; init; }
}
