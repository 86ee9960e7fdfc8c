using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Liveness;
using EdgeFace.Camera.Sources;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime;

namespace EdgeFace.Camera.Loop.Stages;

/// <summary>
/// Turns fused evidence into decisions and the guidance line. A track is accepted early once its best candidate's
/// fused score reaches the threshold over at least MinFrames frames (and liveness passes); it is rejected when that
/// has not happened within Timeout of becoming eligible. After any decision the kiosk cools down.
/// Decision times come from the loop clock and frame indices from the feed, so replays are reproducible.
/// </summary>
public sealed class DecideStage(IIdentityMatcher matcher, FaceQualityAssessor quality, KioskSession session, DecisionOptions options)
    : KioskStage
{
    private readonly List<BiometricSample> _enrolCapture = [];
    private TimeSpan _cooldownUntil = TimeSpan.MinValue;

    public override string Name => "decide";

    private float Threshold => options.AcceptThreshold ?? matcher.AcceptThreshold;

    public override void Process(KioskContext context)
    {
        context.DecisionsThisTick.Clear();
        if (session.Mode == KioskMode.Enrol) CollectEnrolment(context);
        else if (context.Now >= _cooldownUntil)
        {
            foreach (var t in context.Tracker.Active)
            {
                if (t.Decided) continue;
                var d = Decide(t, context);
                if (d is null) continue;
                Emit(context, t, d);
                break; // one decision per tick; the cooldown then holds the others
            }
        }
        context.Guidance = GuidanceFor(context);
    }

    private KioskDecision? Decide(Track t, KioskContext c)
    {
        var best = t.Best;
        var matched = best.Identity is not null && best.Fused >= Threshold && best.Count >= options.MinFrames;
        if (matched)
        {
            var live = t.Liveness;
            if (options.Liveness is LivenessPolicy.Passive or LivenessPolicy.Both && live is { } p && p < options.LivenessThreshold)
                return Make(t, c, DecisionOutcome.SpoofSuspected, best.Identity, best.Fused, $"passive liveness {p:0.00} below {options.LivenessThreshold:0.00}");
            if (options.Liveness is LivenessPolicy.Active or LivenessPolicy.Both)
            {
                if (!t.ChallengeStarted)
                {
                    t.ChallengeStarted = true;
                    t.Challenge.Start(turnLeft: t.Id % 2 == 1, c.Now);
                    return null;
                }
                if (t.Challenge.State == ChallengeState.Waiting) return null;
                if (t.Challenge.State == ChallengeState.Failed)
                    return Make(t, c, DecisionOutcome.SpoofSuspected, best.Identity, best.Fused, "head-turn challenge not answered");
            }
            return Make(t, c, DecisionOutcome.Accepted, best.Identity, best.Fused, $"fused score {best.Fused:0.000} over {best.Count} frames");
        }
        var eligibleSince = t.FirstSeen > _cooldownUntil ? t.FirstSeen : _cooldownUntil;
        if (t.Samples == 0 || c.Now - eligibleSince < options.Timeout) return null;
        var claimed = session.Mode == KioskMode.Verify ? session.ClaimedIdentity : null;
        return Make(t, c, DecisionOutcome.Rejected, claimed, best.Fused,
            best.Identity is null ? "no gallery match" : $"best {best.Identity} fused {best.Fused:0.000} below {Threshold:0.000}");
    }

    private KioskDecision Make(Track t, KioskContext c, DecisionOutcome outcome, string? identity, float score, string reason) =>
        new(c.FrameIndex, Math.Round(c.Now.TotalSeconds, 3), t.Id, session.Mode, outcome, identity, MathF.Round(score, 4),
            t.Liveness is { } l ? MathF.Round(l, 4) : null, t.Samples, reason);

    private void Emit(KioskContext c, Track t, KioskDecision d)
    {
        t.Decided = true;
        _cooldownUntil = c.Now + options.Cooldown;
        c.DecisionsThisTick.Add(d);
        c.LastDecision = d;
    }

    private void CollectEnrolment(KioskContext c)
    {
        var name = session.PendingEnrolment;
        if (name is null) { _enrolCapture.Clear(); return; }
        var p = c.Primary;
        if (p is null || !c.EmbeddedThisTick.Contains(p)) return;
        var q = p.Face.Quality;
        _enrolCapture.Add(new BiometricSample((float[])p.Embedding.Clone(),
            new SampleQuality(c.Tracker.Active.Count, Math.Max(p.Face.Box.Width, p.Face.Box.Height), q.Sharpness, q.Brightness, p.Face.Score),
            matcher.Model, $"camera frame {c.FrameIndex}"));
        if (_enrolCapture.Count < options.EnrolFrames) return;
        var outcome = DecisionOutcome.Enrolled;
        var reason = $"{options.EnrolFrames} frames captured";
        try { matcher.Enrol(name, _enrolCapture); }
        catch (EdgeFaceException e) { outcome = DecisionOutcome.Rejected; reason = e.Message; }
        session.EnrolmentDone(name);
        _enrolCapture.Clear();
        var d = new KioskDecision(c.FrameIndex, Math.Round(c.Now.TotalSeconds, 3), p.Id, KioskMode.Enrol, outcome, name,
            outcome == DecisionOutcome.Enrolled ? 1f : 0f, null, p.Samples, reason);
        Emit(c, p, d);
    }

    private Guidance GuidanceFor(KioskContext c)
    {
        if (c.SourceState is SourceState.Reconnecting or SourceState.Connecting) return Guidance.CameraReconnecting;
        if (session.Mode == KioskMode.Verify && session.ClaimedIdentity is null) return Guidance.ChooseIdentity;
        var p = c.Primary;
        if (p is null) return Guidance.LookAtCamera;
        if (c.Crowded) return Guidance.OnePersonAtATime;
        if (p.ChallengeStarted && !p.Decided && p.Challenge.State == ChallengeState.Waiting) return p.Challenge.Direction;
        return quality.Check(p.Face.Quality) ?? Guidance.Checking;
    }
}
