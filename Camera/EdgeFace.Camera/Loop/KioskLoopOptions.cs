namespace EdgeFace.Camera.Loop;

/// <summary>
/// Timing of the kiosk loop. The loop ticks at <see cref="TickRate"/>; each tick has a budget of one tick period.
/// When ticks run late the loop sheds work (detects every Nth tick and lets the tracker carry faces in between)
/// rather than queueing frames, and after a long stall it skips the missed time instead of bursting.
/// </summary>
public sealed record KioskLoopOptions
{
    /// <summary>Ticks per second.</summary>
    public double TickRate { get; init; } = 15;
    /// <summary>Lateness beyond which missed ticks are forgotten rather than caught up (MonoGame's MaxElapsedTime).</summary>
    public TimeSpan MaxCatchUp { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Detect on every Nth tick at least (1 = every tick).</summary>
    public int DetectEvery { get; init; } = 1;
    /// <summary>Largest detection interval the loop may back off to while running slowly.</summary>
    public int MaxDetectEvery { get; init; } = 4;
    /// <summary>Consecutive late ticks before "running slowly" turns on.</summary>
    public int SlowAfterLateTicks { get; init; } = 5;
    /// <summary>Consecutive on-time ticks before "running slowly" turns off again.</summary>
    public int RecoverAfterOnTimeTicks { get; init; } = 30;
    /// <summary>Stop when finite media end (replays, benchmarks); a kiosk on a camera never ends on its own.</summary>
    public bool StopWhenSourceEnds { get; init; } = true;

    public TimeSpan TickPeriod => TimeSpan.FromSeconds(1.0 / TickRate);

    public void Validate()
    {
        if (TickRate is <= 0 or > 1000) throw new Runtime.EdgeFaceException($"tick rate must be in (0, 1000] per second, got {TickRate}");
        if (DetectEvery < 1 || MaxDetectEvery < DetectEvery)
            throw new Runtime.EdgeFaceException($"detect interval must be at least 1 and at most the maximum ({DetectEvery} vs {MaxDetectEvery})");
    }
}
