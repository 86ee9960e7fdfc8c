using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Liveness;

namespace EdgeFace.Camera.Loop.Stages;

/// <summary>
/// Passive: scores the MiniFASNet ensemble on each freshly embedded face and averages it per track.
/// Active: feeds landmarks to the track's head-turn challenge once the decision stage has started it.
/// </summary>
public sealed class LivenessStage(DecisionOptions options, PassiveLivenessModel? passive) : KioskStage
{
    public override string Name => "liveness";

    private bool NeedsPassive => options.Liveness is LivenessPolicy.Passive or LivenessPolicy.Both;
    private bool NeedsActive => options.Liveness is LivenessPolicy.Active or LivenessPolicy.Both;

    public override void Open(KioskContext context)
    {
        if (NeedsPassive && passive is null)
            throw new Runtime.EdgeFaceException($"liveness policy '{options.Liveness}' needs the MiniFASNet models");
    }

    public override void Process(KioskContext context)
    {
        if (NeedsPassive)
        {
            foreach (var t in context.EmbeddedThisTick)
            {
                t.LivenessSum += passive!.Score(context.Frame, t.Face.Box);
                t.LivenessSamples++;
            }
        }
        if (!NeedsActive || !context.DetectedThisTick) return;
        foreach (var t in context.Tracker.Active)
            if (t.ChallengeStarted && t.SeenThisTick && !t.Decided) t.Challenge.Observe(t.Face.Landmarks, context.Now);
    }
}
