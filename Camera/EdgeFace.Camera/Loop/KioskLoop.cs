using System.Diagnostics;
using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Sources;

namespace EdgeFace.Camera.Loop;

/// <summary>
/// The kiosk's fixed-rate loop. One <see cref="Tick"/> owns time: it waits for the tick's slot on the injected
/// clock, notes how late it is, forgets lateness beyond <see cref="KioskLoopOptions.MaxCatchUp"/> (skipping time
/// instead of bursting through stale frames), updates "running slowly" with hysteresis, and runs the stages once in
/// order. While running slowly it detects on fewer ticks; when it recovers it goes back.
/// The loop owns nothing it was given: the caller disposes the feed, models and sinks after <see cref="Run"/> returns.
/// </summary>
public sealed class KioskLoop
{
    private readonly IClock _clock;
    private readonly IFrameFeed _feed;
    private readonly KioskLoopOptions _options;
    private readonly IReadOnlyList<KioskStage> _stages;
    private readonly Stages.DetectStage? _detect;
    private readonly SlowTickDetector _slow;
    private TimeSpan _nextTickAt;
    private bool _opened;
    private volatile bool _exitRequested;

    public KioskLoop(IClock clock, IFrameFeed feed, KioskContext context, IReadOnlyList<KioskStage> stages, KioskLoopOptions options)
    {
        options.Validate();
        _clock = clock;
        _feed = feed;
        _options = options;
        _stages = stages;
        _detect = stages.OfType<Stages.DetectStage>().FirstOrDefault();
        if (_detect is not null) _detect.Interval = options.DetectEvery;
        _slow = new SlowTickDetector(options.SlowAfterLateTicks, options.RecoverAfterOnTimeTicks);
        Context = context;
        Telemetry = new KioskTelemetry(stages.Select(s => s.Name).ToArray()) { DetectEvery = options.DetectEvery };
    }

    public KioskContext Context { get; }
    public KioskTelemetry Telemetry { get; }
    public IFrameFeed Feed => _feed;

    /// <summary>Raised on the loop thread for every decision, after the sinks saw it.</summary>
    public event Action<KioskDecision>? DecisionMade;

    /// <summary>Asks the loop to stop at the end of the current tick (thread-safe).</summary>
    public void Exit() => _exitRequested = true;

    /// <summary>Opens the stages, ticks until cancelled, told to exit, or finite media end; then closes the stages.</summary>
    public void Run(CancellationToken cancellation)
    {
        Open();
        try
        {
            while (!cancellation.IsCancellationRequested && !_exitRequested)
            {
                if (!Tick(cancellation)) break;
            }
        }
        finally
        {
            Close();
        }
    }

    public void Open()
    {
        if (_opened) return;
        foreach (var s in _stages) s.Open(Context);
        _opened = true;
        _nextTickAt = _clock.Now;
    }

    public void Close()
    {
        if (!_opened) return;
        _opened = false;
        foreach (var s in _stages) s.Close(Context);
    }

    /// <summary>One tick. Returns false when the source has ended and the options say to stop.</summary>
    public bool Tick(CancellationToken cancellation = default)
    {
        var now = _clock.Now;
        if (now < _nextTickAt)
        {
            _clock.Sleep(_nextTickAt - now, cancellation);
            now = _clock.Now;
        }
        var lateness = now - _nextTickAt;
        if (lateness > _options.MaxCatchUp)
        {
            Telemetry.SkippedTicks += (long)(lateness / _options.TickPeriod);
            _nextTickAt = now;
            lateness = TimeSpan.Zero;
        }
        _nextTickAt += _options.TickPeriod;
        AdaptDetection(_slow.Update(lateness >= _options.TickPeriod));

        Context.Tick = Telemetry.Ticks++;
        Context.Now = now;
        var tickStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < _stages.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _stages[i].Process(Context);
            Telemetry.RecordStage(i, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Telemetry.RecordTick(Stopwatch.GetElapsedTime(tickStart).TotalMilliseconds);
        if (Context.HasFrame) Telemetry.RecordFrame(now);
        if (Context.DetectedThisTick) Telemetry.Detections++;
        Telemetry.Embeddings += Context.EmbeddedThisTick.Count;
        foreach (var d in Context.DecisionsThisTick) DecisionMade?.Invoke(d);
        return !(_options.StopWhenSourceEnds && !Context.HasFrame && _feed.State == SourceState.Ended);
    }

    private void AdaptDetection(bool slow)
    {
        Telemetry.RunningSlowly = slow;
        if (_detect is null) return;
        var interval = slow ? Math.Min(_detect.Interval + 1, _options.MaxDetectEvery) : _options.DetectEvery;
        // Back off one step per slow tick streak, not per tick: only raise when the detector just ran at the old interval.
        if (slow && Telemetry.Ticks % _detect.Interval != 0) interval = _detect.Interval;
        _detect.Interval = interval;
        Telemetry.DetectEvery = interval;
    }
}
