namespace EdgeFace.Camera.Loop.Stages;

/// <summary>Associates detections to tracks, or carries tracks on ticks without detection.</summary>
public sealed class TrackStage : KioskStage
{
    public override string Name => "track";

    public override void Process(KioskContext context)
    {
        context.Tracker.Recycle(context.RemovedTracks);
        if (context.DetectedThisTick) context.Tracker.Update(context.Detections, context.Now, context.FrameIndex, context.RemovedTracks);
        else if (context.HasFrame) context.Tracker.Carry();

        Track? primary = null;
        foreach (var t in context.Tracker.Active)
            if (primary is null || t.Face.Box.Area > primary.Face.Box.Area) primary = t;
        context.Primary = primary;
        context.Crowded = false;
        if (primary is null) return;
        foreach (var t in context.Tracker.Active)
            if (!ReferenceEquals(t, primary) && t.Face.Box.Width >= primary.Face.Box.Width * CrowdRatio) context.Crowded = true;
    }

    public float CrowdRatio { get; init; } = 0.6f;
}
