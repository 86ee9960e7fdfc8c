namespace EdgeFace.Runtime.Signatures;

/// <summary>How a query's similarities to a writer's references become one score.</summary>
public enum ReferenceAggregation
{
    /// <summary>Mean cosine over the references: steadier, the default.</summary>
    Mean,
    /// <summary>Highest cosine over the references: forgives one odd reference, but also rewards one lucky match.</summary>
    Max,
}

/// <summary>
/// Settings of the writer-independent protocol (<see cref="SignatureProtocol"/>).
/// <para>
/// Adaptive threshold: writer w is accepted when score ≥ base + α·(m_w − μ), where m_w is the mean pairwise cosine
/// among w's references and μ the population mean of m_w. A writer who signs very consistently gets a stricter
/// threshold, an erratic one a laxer one, with no per-writer training. The protocol applies it as an adapted score
/// s − α·(m_w − μ) compared with the base threshold, so one ROC covers all writers. With one reference m_w is
/// undefined and no adaptation happens.
/// </para>
/// </summary>
public sealed record SignatureProtocolOptions
{
    /// <summary>References per writer, R (default 5), drawn from the writer's genuine signatures.</summary>
    public int References { get; init; } = 5;

    /// <summary>Seed of the reference draw (default 1). Writer w's draw uses its own generator seeded from this and w.</summary>
    public int Seed { get; init; } = 1;

    public ReferenceAggregation Aggregation { get; init; } = ReferenceAggregation.Mean;

    /// <summary>
    /// α of the adaptive threshold (default 1; 0 turns adaptation off). It depends on the embedder's similarity scale:
    /// 1 was the best of 0, 0.5, 0.75, 1, 1.25, 1.5 for the baseline embedder on the training writers 001-040
    /// (skilled-forgery EER 29.9% at α=0, 21.8% at α=1). Re-tune it for each trained model on training writers only.
    /// </summary>
    public double Adaptation { get; init; } = 1;

    /// <summary>μ of the adaptive threshold; null estimates it from the evaluated writers' references (never from queries).</summary>
    public double? PopulationSimilarity { get; init; }

    /// <summary>Base threshold for the FAR/FRR figures; null uses the threshold at the skilled-forgery EER.</summary>
    public double? Threshold { get; init; }

    public void Validate()
    {
        if (References < 1) throw new EdgeFaceException($"references must be at least 1, got {References}");
        if (!double.IsFinite(Adaptation) || Adaptation < 0 || Adaptation > 10) throw new EdgeFaceException($"adaptation α must be between 0 and 10, got {Adaptation}");
        if (PopulationSimilarity is { } mu && !double.IsFinite(mu)) throw new EdgeFaceException($"population similarity must be a number, got {mu}");
        if (Threshold is { } t && !double.IsFinite(t)) throw new EdgeFaceException($"threshold must be a number, got {t}");
    }
}
