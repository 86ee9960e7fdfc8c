using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using OpenCvSharp;

namespace EdgeFace.Camera.Loop.Stages;

/// <summary>
/// Draws face boxes, the guidance line and the latest result onto a reused canvas and hands it, with any decisions,
/// to the sinks (MJPEG preview, headless recorder). Skips drawing when no sink wants frames. Owns the canvas.
/// </summary>
public sealed class PresentStage(IReadOnlyList<IKioskSink> sinks, TimeSpan resultShownFor) : KioskStage
{
    private static readonly Scalar Green = new(60, 200, 60);
    private static readonly Scalar Red = new(50, 50, 230);
    private static readonly Scalar Amber = new(0, 190, 255);
    private static readonly Scalar White = new(255, 255, 255);
    private readonly Mat _canvas = new();
    private KioskDecision? _shown;
    private string _resultText = "";

    public override string Name => "present";

    public override void Process(KioskContext context)
    {
        foreach (var d in context.DecisionsThisTick)
            foreach (var s in sinks) s.OnDecision(d);
        var wanted = false;
        foreach (var s in sinks) wanted |= s.WantsFrames;
        if (context.HasFrame && wanted) Draw(context);
        foreach (var s in sinks) s.OnTick(context);
    }

    private void Draw(KioskContext context)
    {
        context.Frame.CopyTo(_canvas);
        foreach (var t in context.Tracker.Active)
        {
            var b = t.Face.Box;
            var color = !t.Decided ? Amber : context.LastDecision is { Outcome: DecisionOutcome.Accepted or DecisionOutcome.Enrolled } d && d.Track == t.Id ? Green : Red;
            Cv2.Rectangle(_canvas, new Rect((int)b.X, (int)b.Y, (int)b.Width, (int)b.Height), color, 2);
        }
        Cv2.Rectangle(_canvas, new Rect(0, 0, _canvas.Width, 28), Scalar.Black, -1);
        Cv2.PutText(_canvas, GuidanceText.Of(context.Guidance), new Point(8, 20), HersheyFonts.HersheySimplex, 0.6, White, 1, LineTypes.AntiAlias);
        var last = context.LastDecision;
        if (last is not null && context.Now.TotalSeconds - last.TimeSeconds <= resultShownFor.TotalSeconds)
        {
            if (!ReferenceEquals(last, _shown)) { _shown = last; _resultText = ResultLine(last); }
            var accepted = last.Outcome is DecisionOutcome.Accepted or DecisionOutcome.Enrolled;
            Cv2.Rectangle(_canvas, new Rect(0, _canvas.Height - 30, _canvas.Width, 30), accepted ? Green : Red, -1);
            Cv2.PutText(_canvas, _resultText, new Point(8, _canvas.Height - 9), HersheyFonts.HersheySimplex, 0.6, White, 1, LineTypes.AntiAlias);
        }
        foreach (var s in sinks) if (s.WantsFrames) s.OnFrame(_canvas, context);
    }

    /// <summary>The result sentence shown on screen and on the overlay.</summary>
    public static string ResultLine(KioskDecision d) => d.Outcome switch
    {
        DecisionOutcome.Accepted when d.Mode == KioskMode.Verify => $"Verified: {d.Identity}",
        DecisionOutcome.Accepted => $"Welcome, {d.Identity}",
        DecisionOutcome.Rejected when d.Mode == KioskMode.Verify => $"Not verified as {d.Identity}",
        DecisionOutcome.Rejected => "Not recognised",
        DecisionOutcome.SpoofSuspected => "Liveness check failed",
        DecisionOutcome.Enrolled => $"Enrolled: {d.Identity}",
        _ => d.Outcome.ToString(),
    };

    public override void Close(KioskContext context) => _canvas.Dispose();
}
