using EdgeFace.Camera.Liveness;

namespace EdgeFace.Camera.Decisions;

/// <summary>How evidence turns into a decision. Times are on the loop's clock, so replays decide identically.</summary>
public sealed record DecisionOptions
{
    /// <summary>Fused score needed to accept; null uses the matcher's threshold.</summary>
    public float? AcceptThreshold { get; init; }
    /// <summary>Accept only after this many scored frames (early accept once reached).</summary>
    public int MinFrames { get; init; } = 3;
    /// <summary>Reject a track that has not been accepted this long after it became eligible.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>No new decision this long after the previous one.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>After <see cref="MinFrames"/>, a track is embedded again only if its quality is at least this fraction of its best so far.</summary>
    public float ReembedQualityRatio { get; init; } = 0.9f;
    /// <summary>Embed at most this many tracks per tick (largest faces first) to bound the tick's cost.</summary>
    public int MaxEmbedsPerTick { get; init; } = 2;

    public LivenessPolicy Liveness { get; init; } = LivenessPolicy.None;
    /// <summary>Mean passive liveness probability needed (MiniFASNet ensemble, class "live").</summary>
    public float LivenessThreshold { get; init; } = 0.5f;

    /// <summary>Enrol mode: good frames captured before the identity is stored.</summary>
    public int EnrolFrames { get; init; } = 5;
}
