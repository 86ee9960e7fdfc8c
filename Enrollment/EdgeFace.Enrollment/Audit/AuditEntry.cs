namespace EdgeFace.Enrollment.Audit;

/// <summary>
/// What happened, before it is appended to the audit log. Subjects are identity ids, never names, so the
/// log (which can never be rewritten) holds no personal data in clear and survives key rotation.
/// </summary>
/// <param name="Actor">Who or what acted: an operator's name, "kiosk", "cli".</param>
/// <param name="Action">enrol, add-templates, remove, verify, identify, import, export, rotate-key, ...</param>
/// <param name="Outcome">accepted, rejected, unknown, removed, ... in one word.</param>
/// <param name="SubjectId">The identity concerned, if any (the store fills it in for a new enrolment).</param>
/// <param name="Score">Decision score, for verify/identify and duplicate checks.</param>
/// <param name="Threshold">The threshold the score was compared with.</param>
/// <param name="ModelId">The embedding model involved.</param>
/// <param name="Quality">Sample quality summary (compact JSON), if a capture was involved.</param>
/// <param name="Detail">Anything else worth keeping (compact JSON or words), no personal data.</param>
public sealed record AuditEntry(
    string Actor,
    string Action,
    string Outcome,
    long? SubjectId = null,
    double? Score = null,
    double? Threshold = null,
    string? ModelId = null,
    string? Quality = null,
    string? Detail = null);

/// <summary>An appended audit record: its entry, sequence number, time and chain links.</summary>
public sealed record AuditRecord(long Seq, DateTimeOffset Utc, AuditEntry Entry, byte[] PreviousHash, byte[] Hash, byte[] Mac);

/// <summary>The signed head of the chain: how many records there are and the last hash, MACed with the audit key.</summary>
public sealed record AuditHead(long Count, byte[] LastHash, byte[] Mac);

/// <summary>Result of checking the chain. <see cref="FirstBadSeq"/> names the first record that does not check out.</summary>
public sealed record AuditVerification(bool Ok, long Count, long? FirstBadSeq, string Message);
