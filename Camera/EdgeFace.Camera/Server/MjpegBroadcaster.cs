using System.Diagnostics;
using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Loop;
using OpenCvSharp;

namespace EdgeFace.Camera.Server;

/// <summary>
/// Latest-frame-wins JPEG hand-off from the loop to MJPEG viewers. The loop encodes only while someone watches and
/// at most <c>maxFps</c> times a second; slow viewers skip frames instead of queueing them. Thread-safe.
/// </summary>
public sealed class MjpegBroadcaster(double maxFps = 15, int quality = 80) : IKioskSink
{
    private readonly Lock _lock = new();
    private readonly int[] _encodeParams = [(int)ImwriteFlags.JpegQuality, quality];
    private readonly TimeSpan _minInterval = TimeSpan.FromSeconds(1 / maxFps);
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _jpeg;
    private long _version;
    private long _lastEncode;
    private int _viewers;

    public int Viewers => Volatile.Read(ref _viewers);
    public bool WantsFrames => Viewers > 0 && Stopwatch.GetElapsedTime(_lastEncode) >= _minInterval;

    public void OnFrame(Mat annotated, KioskContext context)
    {
        _lastEncode = Stopwatch.GetTimestamp();
        Cv2.ImEncode(".jpg", annotated, out var jpeg, _encodeParams);
        TaskCompletionSource signal;
        lock (_lock)
        {
            _jpeg = jpeg;
            _version++;
            signal = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    public void OnTick(KioskContext context) { }
    public void OnDecision(KioskDecision decision) { }

    /// <summary>Registers a viewer; dispose the result when the viewer leaves.</summary>
    public IDisposable Watch()
    {
        Interlocked.Increment(ref _viewers);
        return new Viewer(this);
    }

    /// <summary>The newest JPEG after <paramref name="seenVersion"/>, waiting for one if needed.</summary>
    public async Task<(byte[] Jpeg, long Version)> NextAsync(long seenVersion, CancellationToken cancellation)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_jpeg is not null && _version != seenVersion) return (_jpeg, _version);
                wait = _next.Task;
            }
            await wait.WaitAsync(cancellation);
        }
    }

    private sealed class Viewer(MjpegBroadcaster owner) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner._viewers);
        }
    }
}
