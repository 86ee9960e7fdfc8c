using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;

namespace EdgeFace.Camera.Loop.Stages;

/// <summary>
/// Embeds only the tracks that need it: seen this tick (fresh landmarks), good enough quality, not decided yet,
/// and either short of <see cref="DecisionOptions.MinFrames"/> samples or better than their earlier frames.
/// At most <see cref="DecisionOptions.MaxEmbedsPerTick"/> per tick, largest faces first. Scores each new embedding
/// against the gallery and fuses it into the track, weighted by quality.
/// </summary>
public sealed class EmbedStage(IFrameAnalyzer analyzer, IIdentityMatcher matcher, FaceQualityAssessor quality,
    KioskSession session, DecisionOptions options) : KioskStage
{
    public override string Name => "embed";

    public override void Process(KioskContext context)
    {
        context.EmbeddedThisTick.Clear();
        if (!context.DetectedThisTick || context.Crowded) return;
        var claim = session.ClaimedIdentity;
        if (session.Mode == KioskMode.Verify && claim is null) return;
        var enrolling = session.Mode == KioskMode.Enrol;
        if (enrolling && session.PendingEnrolment is null) return;

        for (var n = 0; n < options.MaxEmbedsPerTick; n++)
        {
            var track = NextCandidate(context, enrolling);
            if (track is null) break;
            analyzer.Embed(context.Frame, track.Face, track.Embedding);
            context.EmbeddedThisTick.Add(track);
            track.Samples++;
            track.BestEmbeddedQuality = Math.Max(track.BestEmbeddedQuality, track.Face.Quality.Overall);
            if (enrolling) continue;
            var match = session.Mode == KioskMode.Verify ? matcher.Verify(claim!, track.Embedding) : matcher.Identify(track.Embedding);
            if (match.Identity is not null) track.AddScore(match.Identity, match.Score, track.Face.Quality.Overall);
        }
    }

    private Track? NextCandidate(KioskContext context, bool enrolling)
    {
        if (enrolling)
        {
            var p = context.Primary;
            return p is not null && p.SeenThisTick && !context.EmbeddedThisTick.Contains(p) && quality.Check(p.Face.Quality) is null ? p : null;
        }
        Track? best = null;
        foreach (var t in context.Tracker.Active)
        {
            if (!t.SeenThisTick || t.Decided || context.EmbeddedThisTick.Contains(t)) continue;
            if (quality.Check(t.Face.Quality) is not null) continue;
            if (t.Samples >= options.MinFrames && t.Face.Quality.Overall < options.ReembedQualityRatio * t.BestEmbeddedQuality) continue;
            if (best is null || t.Face.Box.Area > best.Face.Box.Area) best = t;
        }
        return best;
    }
}
