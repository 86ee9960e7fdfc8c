namespace EdgeFace.Enrollment.Search;

/// <summary>One candidate of a 1:N search: the identity and its cosine similarity to the probe.</summary>
public readonly record struct SearchHit(long IdentityId, float Score);

/// <summary>How the index stores and scans vectors.</summary>
public enum Quantization
{
    /// <summary>Exact float32 scan.</summary>
    None,
    /// <summary>Int8 codes (symmetric, one scale per vector) scanned first, the best candidates re-ranked exactly in float32.</summary>
    Int8,
}

/// <summary>Index settings with their defaults.</summary>
public sealed record IndexOptions
{
    /// <summary>Threads one search may use (default: all cores). Small galleries always scan on the caller's thread.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public Quantization Quantization { get; init; } = Quantization.None;

    /// <summary>Int8 only: how many int8 candidates are re-ranked in float32 (at least k). 32 gives recall@1 ≥ 0.99 on 128-d faces.</summary>
    public int RerankCandidates { get; init; } = 32;

    /// <summary>Below this many vectors a search runs on one thread: waking workers costs more than it saves.</summary>
    public int ParallelThreshold { get; init; } = 32_768;
}
