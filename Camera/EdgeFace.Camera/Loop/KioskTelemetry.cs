using EdgeFace.Camera.Sources;

namespace EdgeFace.Camera.Loop;

/// <summary>
/// Live figures of the loop: written by the loop thread each tick, read by anyone through <see cref="Snapshot"/>.
/// Stage times and fps are exponential moving averages (alpha 0.1, about the last 10–20 ticks).
/// </summary>
public sealed class KioskTelemetry
{
    private const double Alpha = 0.1;
    private readonly string[] _stageNames;
    private readonly MovingAverage[] _stageMs;
    private MovingAverage _tickMs = new(Alpha);
    private MovingAverage _framePeriodMs = new(Alpha);
    private TimeSpan? _lastFrameAt;

    public KioskTelemetry(IReadOnlyList<string> stageNames)
    {
        _stageNames = stageNames.ToArray();
        _stageMs = _stageNames.Select(_ => new MovingAverage(Alpha)).ToArray();
        StageTotalsMs = new double[_stageNames.Length];
    }

    public long Ticks { get; internal set; }
    public long FramesProcessed { get; internal set; }
    public long Detections { get; internal set; }
    public long Embeddings { get; internal set; }
    public long SkippedTicks { get; internal set; }
    public int DetectEvery { get; internal set; } = 1;
    public bool RunningSlowly { get; internal set; }
    /// <summary>Total milliseconds per stage since start (for benchmarks: mean = total / ticks).</summary>
    public double[] StageTotalsMs { get; }
    public double TickTotalMs { get; private set; }
    public IReadOnlyList<string> StageNames => _stageNames;

    internal void RecordStage(int stage, double ms)
    {
        _stageMs[stage].Add(ms);
        StageTotalsMs[stage] += ms;
    }

    internal void RecordTick(double ms)
    {
        _tickMs.Add(ms);
        TickTotalMs += ms;
    }

    internal void RecordFrame(TimeSpan now)
    {
        FramesProcessed++;
        if (_lastFrameAt is { } last) _framePeriodMs.Add((now - last).TotalMilliseconds);
        _lastFrameAt = now;
    }

    public TelemetrySnapshot Snapshot(IFrameFeed feed) => new(
        Fps: _framePeriodMs.Value > 0 ? Math.Round(1000.0 / _framePeriodMs.Value, 2) : 0,
        TickMs: Math.Round(_tickMs.Value, 3),
        StageMs: _stageNames.Select((n, i) => (n, Math.Round(_stageMs[i].Value, 3))).ToDictionary(x => x.n, x => x.Item2),
        Ticks: Ticks,
        FramesProcessed: FramesProcessed,
        DroppedFrames: feed.Dropped,
        SkippedTicks: SkippedTicks,
        RunningSlowly: RunningSlowly,
        DetectEvery: DetectEvery,
        Source: feed.Description,
        SourceState: feed.State.ToString(),
        Reconnects: feed.Reconnects);
}

/// <summary>A copy of the telemetry at one moment, as served by /api/status and printed by benchmarks.</summary>
public sealed record TelemetrySnapshot(
    double Fps, double TickMs, Dictionary<string, double> StageMs, long Ticks, long FramesProcessed, long DroppedFrames,
    long SkippedTicks, bool RunningSlowly, int DetectEvery, string Source, string SourceState, long Reconnects);
