using EdgeFace.Camera.Sources;

namespace EdgeFace.Camera.Loop.Stages;

/// <summary>Takes the next frame from the feed (the newest one for live sources, the next one for replays).</summary>
public sealed class CaptureStage(IFrameFeed feed) : KioskStage
{
    public override string Name => "capture";

    public override void Process(KioskContext context)
    {
        context.HasFrame = feed.TryNext(out var frame, out var index);
        context.Frame = frame;
        if (context.HasFrame) context.FrameIndex = index;
        context.SourceState = feed.State;
    }
}
