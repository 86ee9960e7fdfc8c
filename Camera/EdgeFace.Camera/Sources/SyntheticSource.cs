using EdgeFace.Runtime;
using OpenCvSharp;

namespace EdgeFace.Camera.Sources;

/// <summary>
/// Generated frames for tests and benchmarks: a moving gradient and a frame counter, drawn into the caller's Mat
/// without allocating. Failures are scriptable: <see cref="FailOpen"/> and <see cref="FailRead"/> decide,
/// from the open attempt number and the frame number, when the "device" breaks.
/// </summary>
public sealed class SyntheticSource(int width, int height, double fps, bool isLive = true) : IFrameSource
{
    private bool _open;
    private long _nextFrameAt;

    public string Description => $"synthetic {width}x{height}";
    public double? NominalFps => fps;
    public bool IsLive => isLive;

    /// <summary>Total frames before end of stream (finite sources only); null = endless.</summary>
    public long? Length { get; init; }

    /// <summary>Given the 1-based open attempt, true makes <see cref="Open"/> fail.</summary>
    public Func<int, bool> FailOpen { get; init; } = _ => false;

    /// <summary>Given the 0-based frame number about to be produced, true makes that read fail (a disconnect).</summary>
    public Func<long, bool> FailRead { get; init; } = _ => false;

    public int OpenAttempts { get; private set; }
    public long FramesProduced { get; private set; }

    public void Open()
    {
        OpenAttempts++;
        if (FailOpen(OpenAttempts)) throw new EdgeFaceException($"cannot open {Description} (scripted failure, attempt {OpenAttempts})");
        _open = true;
    }

    public FrameReadResult Read(Mat into)
    {
        if (!_open) return FrameReadResult.Failed;
        if (Length is { } n && FramesProduced >= n) return FrameReadResult.EndOfStream;
        if (FailRead(FramesProduced))
        {
            _open = false;
            FramesProduced++;
            return FrameReadResult.Failed;
        }
        if (isLive) WaitForNextFrame();
        into.Create(height, width, MatType.CV_8UC3);
        var shade = (int)(FramesProduced % 200);
        into.SetTo(new Scalar(40 + shade / 2, 60, 80 + shade / 3));
        Cv2.Rectangle(into, new Rect((int)(FramesProduced * 3 % Math.Max(1, width - 40)), height / 2 - 20, 40, 40), Scalar.White, -1);
        FramesProduced++;
        return FrameReadResult.Frame;
    }

    /// <summary>A live camera delivers at its frame rate; so does the synthetic one (finite ones are paced by their reader).</summary>
    private void WaitForNextFrame()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_nextFrameAt > now) Thread.Sleep(System.Diagnostics.Stopwatch.GetElapsedTime(now, _nextFrameAt));
        _nextFrameAt = Math.Max(now, _nextFrameAt) + (long)(System.Diagnostics.Stopwatch.Frequency / fps);
    }

    public void Dispose() => _open = false;
}
