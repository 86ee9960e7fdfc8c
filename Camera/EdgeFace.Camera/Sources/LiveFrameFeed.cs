using EdgeFace.Runtime;
using OpenCvSharp;

namespace EdgeFace.Camera.Sources;

/// <summary>
/// Captures on its own thread into a <see cref="LatestFrameSlot"/> so the loop always gets the newest frame.
/// When the source fails it is re-opened with exponential backoff while the loop carries on.
/// Finite media are paced at their nominal frame rate, as a camera would deliver them.
/// Owns the source, the slot and the thread; <see cref="Dispose"/> stops and joins the thread.
/// </summary>
public sealed class LiveFrameFeed : IFrameFeed
{
    private readonly IFrameSource _source;
    private readonly ReconnectPolicy _reconnect;
    private readonly bool _waitForSource;
    private readonly LatestFrameSlot _slot = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private volatile SourceState _state = SourceState.Connecting;
    private long _reconnects;
    private long _sequence;

    public LiveFrameFeed(IFrameSource source, ReconnectPolicy? reconnect = null, bool waitForSource = false)
    {
        _source = source;
        _reconnect = reconnect ?? ReconnectPolicy.Default;
        _waitForSource = waitForSource;
    }

    public string Description => _source.Description;
    public SourceState State => _state;
    public long Dropped => _slot.Dropped;
    public long Reconnects => Interlocked.Read(ref _reconnects);
    public double? NominalFps => _source.NominalFps;

    /// <summary>The last error that made the source reconnect, for telemetry.</summary>
    public string? LastError { get; private set; }

    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("feed already started");
        var opened = TryOpen();
        if (!opened && !_waitForSource) throw new EdgeFaceException($"{LastError} (pass --wait-for-camera to keep retrying)");
        _state = opened ? SourceState.Live : SourceState.Connecting;
        _thread = new Thread(CaptureLoop) { IsBackground = true, Name = "edgeface-capture" };
        _thread.Start();
    }

    public bool TryNext(out Mat frame, out long index) => _slot.TryTake(out frame, out index);

    private bool TryOpen()
    {
        try
        {
            _source.Open();
            return true;
        }
        catch (Exception e) when (e is EdgeFaceException or OpenCVException or IOException)
        {
            LastError = e.Message;
            return false;
        }
    }

    private void CaptureLoop()
    {
        var token = _stop.Token;
        var failures = _state == SourceState.Live ? 0 : 1;
        var pace = System.Diagnostics.Stopwatch.StartNew();
        long paced = 0;
        while (!token.IsCancellationRequested)
        {
            if (_state is SourceState.Connecting or SourceState.Reconnecting)
            {
                token.WaitHandle.WaitOne(_reconnect.Delay(failures));
                if (token.IsCancellationRequested) break;
                if (!TryOpen()) { failures++; continue; }
                if (_state == SourceState.Reconnecting) Interlocked.Increment(ref _reconnects);
                _state = SourceState.Live;
                failures = 0;
                pace.Restart();
                paced = 0;
            }
            FrameReadResult result;
            try { result = _source.Read(_slot.WriteBuffer); }
            catch (OpenCVException e) { LastError = e.Message; result = FrameReadResult.Failed; }
            switch (result)
            {
                case FrameReadResult.Frame:
                    _slot.Publish(_sequence++);
                    if (!_source.IsLive && _source.NominalFps is { } fps) Pace(pace, ++paced, fps, token);
                    break;
                case FrameReadResult.EndOfStream:
                    _state = SourceState.Ended;
                    return;
                default:
                    LastError ??= $"{_source.Description} stopped delivering frames";
                    _state = SourceState.Reconnecting;
                    failures = 1;
                    break;
            }
        }
    }

    private static void Pace(System.Diagnostics.Stopwatch clock, long frames, double fps, CancellationToken token)
    {
        var due = TimeSpan.FromSeconds(frames / fps) - clock.Elapsed;
        if (due > TimeSpan.Zero) token.WaitHandle.WaitOne(due);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _state = SourceState.Stopped;
        _source.Dispose();
        _slot.Dispose();
        _stop.Dispose();
    }
}
