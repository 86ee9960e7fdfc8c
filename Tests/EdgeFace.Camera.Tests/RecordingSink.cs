using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Loop;
using EdgeFace.Camera.Sources;
using OpenCvSharp;

namespace EdgeFace.Camera.Tests;

/// <summary>A kiosk sink that keeps what the loop presented, per tick, for assertions.</summary>
public sealed class RecordingSink : IKioskSink
{
    public List<(long Tick, SourceState Source, Guidance Guidance, bool HasFrame)> Ticks { get; } = [];
    public List<KioskDecision> Decisions { get; } = [];
    public bool WantsFrames => false;
    public void OnFrame(Mat annotated, KioskContext context) { }
    public void OnTick(KioskContext c) => Ticks.Add((c.Tick, c.SourceState, c.Guidance, c.HasFrame));
    public void OnDecision(KioskDecision decision) => Decisions.Add(decision);
}
