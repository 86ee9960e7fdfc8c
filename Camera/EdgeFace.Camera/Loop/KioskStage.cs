namespace EdgeFace.Camera.Loop;

/// <summary>
/// One system of the kiosk tick (capture, detect, track, embed, liveness, decide, present). Same lifecycle for all:
/// <see cref="Open"/> once before the first tick, <see cref="Process"/> once per tick in pipeline order,
/// <see cref="Close"/> once after the last. Expensive objects are acquired in Open, not per tick.
/// </summary>
public abstract class KioskStage
{
    public abstract string Name { get; }
    public virtual void Open(KioskContext context) { }
    public abstract void Process(KioskContext context);
    public virtual void Close(KioskContext context) { }
}
