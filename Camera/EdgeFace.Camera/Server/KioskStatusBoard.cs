using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Loop;
using EdgeFace.Camera.Loop.Stages;
using EdgeFace.Camera.Sources;
using OpenCvSharp;

namespace EdgeFace.Camera.Server;

/// <summary>What the kiosk screen shows, as pushed over SSE and served by /api/status.</summary>
public sealed record KioskStatus(
    long Version, string Mode, string Guidance, string GuidanceText, string? Claimed, int Faces, string SourceState,
    KioskDecision? Decision, string? ResultText, double Fps, bool RunningSlowly, long DroppedFrames, long Reconnects);

/// <summary>
/// Collects the screen state from the loop thread (a few fields per tick, no allocation unless something changed)
/// and lets web requests read it and wait for changes. Thread-safe.
/// </summary>
public sealed class KioskStatusBoard(KioskSession session) : IKioskSink
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;
    private Guidance _guidance = Guidance.LookAtCamera;
    private int _faces;
    private SourceState _source = SourceState.Connecting;
    private KioskDecision? _decision;
    private string? _claimed;
    private KioskLoop? _loop;

    /// <summary>Connects the telemetry shown alongside the status.</summary>
    public void Attach(KioskLoop loop) => _loop = loop;

    public bool WantsFrames => false;
    public void OnFrame(Mat annotated, KioskContext context) { }

    public void OnDecision(KioskDecision decision)
    {
        lock (_lock) _decision = decision;
        Bump();
    }

    public void OnTick(KioskContext context)
    {
        var faces = context.Tracker.Active.Count;
        var claimed = session.ClaimedIdentity;
        if (context.Guidance == _guidance && faces == _faces && context.SourceState == _source && ReferenceEquals(claimed, _claimed)) return;
        lock (_lock)
        {
            _guidance = context.Guidance;
            _faces = faces;
            _source = context.SourceState;
            _claimed = claimed;
        }
        Bump();
    }

    public KioskStatus Current
    {
        get
        {
            var telemetry = _loop?.Telemetry;
            var feed = _loop?.Feed;
            lock (_lock)
            {
                return new KioskStatus(_version, session.Mode.ToString().ToLowerInvariant(), _guidance.ToString(), GuidanceText.Of(_guidance),
                    session.ClaimedIdentity, _faces, _source.ToString(), _decision, _decision is null ? null : PresentStage.ResultLine(_decision),
                    telemetry?.Snapshot(feed!).Fps ?? 0, telemetry?.RunningSlowly ?? false, feed?.Dropped ?? 0, feed?.Reconnects ?? 0);
            }
        }
    }

    /// <summary>Completes when the status changes after <paramref name="seenVersion"/>, or at the timeout.</summary>
    public async Task WaitForChangeAsync(long seenVersion, TimeSpan timeout, CancellationToken cancellation)
    {
        Task task;
        lock (_lock)
        {
            if (_version != seenVersion) return;
            task = _changed.Task;
        }
        try { await task.WaitAsync(timeout, cancellation); }
        catch (TimeoutException) { }
    }

    /// <summary>Marks a change made outside the loop (a claim from the screen).</summary>
    public void Bump()
    {
        TaskCompletionSource old;
        lock (_lock)
        {
            _version++;
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }
}
