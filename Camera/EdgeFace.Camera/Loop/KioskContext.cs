using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Sources;
using OpenCvSharp;

namespace EdgeFace.Camera.Loop;

/// <summary>
/// The state one tick's stages share. Owned by the loop thread; everything here is reused across ticks.
/// <see cref="Frame"/> belongs to the feed and is valid only during the tick.
/// </summary>
public sealed class KioskContext(IouTracker tracker)
{
    public long Tick { get; internal set; }
    public TimeSpan Now { get; internal set; }
    public Mat Frame { get; internal set; } = null!;
    public long FrameIndex { get; internal set; }
    public bool HasFrame { get; internal set; }
    public bool DetectedThisTick { get; internal set; }
    public SourceState SourceState { get; internal set; }

    public List<FaceObservation> Detections { get; } = [];
    public IouTracker Tracker { get; } = tracker;
    public List<Track> RemovedTracks { get; } = [];
    /// <summary>Tracks embedded (and therefore freshly scored) this tick.</summary>
    public List<Track> EmbeddedThisTick { get; } = [];
    /// <summary>True when several people of similar size are in view; nobody is scored then.</summary>
    public bool Crowded { get; internal set; }

    public Guidance Guidance { get; internal set; } = Guidance.LookAtCamera;
    /// <summary>The track the guidance is about (largest face), if any.</summary>
    public Track? Primary { get; internal set; }
    public List<KioskDecision> DecisionsThisTick { get; } = [];
    public KioskDecision? LastDecision { get; internal set; }
}
