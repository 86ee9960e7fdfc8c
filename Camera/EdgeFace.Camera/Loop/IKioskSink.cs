using EdgeFace.Camera.Decisions;
using OpenCvSharp;

namespace EdgeFace.Camera.Loop;

/// <summary>
/// Receives what the kiosk presents: annotated frames and decisions. Called on the loop thread, so implementations
/// must return quickly (copy or encode, never block on a client). The annotated Mat is only valid during the call.
/// </summary>
public interface IKioskSink
{
    /// <summary>False lets the loop skip drawing overlays when nobody looks.</summary>
    bool WantsFrames { get; }
    void OnFrame(Mat annotated, KioskContext context);
    /// <summary>Called once per tick after the frame (if any), with the tick's guidance and state.</summary>
    void OnTick(KioskContext context);
    void OnDecision(KioskDecision decision);
}
