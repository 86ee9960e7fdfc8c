using EdgeFace.Camera.Faces;

namespace EdgeFace.Camera.Loop.Stages;

/// <summary>
/// Runs the detector on every <see cref="Interval"/>th frame and measures each face's quality.
/// The loop raises the interval while running slowly; the tracker carries faces in between.
/// </summary>
public sealed class DetectStage(IFrameAnalyzer analyzer, FaceQualityAssessor quality) : KioskStage
{
    private long _framesSinceDetect = long.MaxValue / 2;

    public override string Name => "detect";
    public int Interval { get; set; } = 1;

    public override void Process(KioskContext context)
    {
        context.DetectedThisTick = false;
        if (!context.HasFrame) return;
        if (++_framesSinceDetect < Interval) return;
        _framesSinceDetect = 0;
        analyzer.Detect(context.Frame, context.Detections);
        for (var i = 0; i < context.Detections.Count; i++)
        {
            var face = context.Detections[i];
            context.Detections[i] = face with { Quality = quality.Assess(context.Frame, face) };
        }
        context.DetectedThisTick = true;
    }
}
