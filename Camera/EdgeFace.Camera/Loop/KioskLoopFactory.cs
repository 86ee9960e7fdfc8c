using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Liveness;
using EdgeFace.Camera.Loop.Stages;
using EdgeFace.Camera.Sources;

namespace EdgeFace.Camera.Loop;

/// <summary>Everything a kiosk loop is assembled from. The caller keeps ownership of every disposable here.</summary>
public sealed record KioskParts
{
    public required IClock Clock { get; init; }
    public required IFrameFeed Feed { get; init; }
    public required IFrameAnalyzer Analyzer { get; init; }
    public required IIdentityMatcher Matcher { get; init; }
    public required FaceQualityAssessor Quality { get; init; }
    public required KioskSession Session { get; init; }
    public DecisionOptions Decisions { get; init; } = new();
    public KioskLoopOptions Loop { get; init; } = new();
    public PassiveLivenessModel? PassiveLiveness { get; init; }
    public IReadOnlyList<IKioskSink> Sinks { get; init; } = [];
    /// <summary>How long the last result stays on the overlay.</summary>
    public TimeSpan ResultShownFor { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>Builds the standard stage order: capture → detect → track → embed → liveness → decide → present.</summary>
public static class KioskLoopFactory
{
    public static KioskLoop Create(KioskParts p)
    {
        var tracker = new IouTracker(p.Analyzer.EmbeddingSize);
        var context = new KioskContext(tracker);
        KioskStage[] stages =
        [
            new CaptureStage(p.Feed),
            new DetectStage(p.Analyzer, p.Quality),
            new TrackStage { CrowdRatio = p.Quality.Options.CrowdRatio },
            new EmbedStage(p.Analyzer, p.Matcher, p.Quality, p.Session, p.Decisions),
            new LivenessStage(p.Decisions, p.PassiveLiveness),
            new DecideStage(p.Matcher, p.Quality, p.Session, p.Decisions),
            new PresentStage(p.Sinks, p.ResultShownFor),
        ];
        return new KioskLoop(p.Clock, p.Feed, context, stages, p.Loop);
    }
}
