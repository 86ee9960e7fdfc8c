using System.Diagnostics;

namespace EdgeFace.Camera.Loop;

/// <summary>
/// Time as the kiosk loop sees it. Injected so tests and replays can step time instead of reading the wall clock,
/// which makes a recorded video give the same decisions on every run.
/// </summary>
public interface IClock
{
    /// <summary>Monotonic time since the clock started.</summary>
    TimeSpan Now { get; }

    /// <summary>Waits (or, for a stepped clock, advances) by <paramref name="duration"/>.</summary>
    void Sleep(TimeSpan duration, CancellationToken cancellation);
}

/// <summary>The real monotonic clock (Stopwatch).</summary>
public sealed class SystemClock : IClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public TimeSpan Now => Stopwatch.GetElapsedTime(_start);

    public void Sleep(TimeSpan duration, CancellationToken cancellation)
    {
        if (duration <= TimeSpan.Zero) return;
        cancellation.WaitHandle.WaitOne(duration);
    }
}

/// <summary>A clock that only moves when told: <see cref="Sleep"/> and <see cref="Advance"/> step it instantly.</summary>
public sealed class ManualClock : IClock
{
    private long _ticks;

    public TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public void Advance(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "time cannot go backwards");
        Interlocked.Add(ref _ticks, duration.Ticks);
    }

    public void Sleep(TimeSpan duration, CancellationToken cancellation)
    {
        if (duration > TimeSpan.Zero) Advance(duration);
    }
}
