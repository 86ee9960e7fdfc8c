using EdgeFace.Runtime;
using OpenCvSharp;

namespace EdgeFace.Camera.Sources;

/// <summary>
/// A camera by index, a video file, or an RTSP/HTTP URL, read through OpenCV's VideoCapture.
/// Owns the VideoCapture; <see cref="Dispose"/> releases it. Files may loop (soak runs, demo kiosks).
/// </summary>
public sealed class VideoCaptureSource : IFrameSource
{
    private readonly int? _cameraIndex;
    private readonly string? _location;
    private readonly bool _loop;
    private VideoCapture? _capture;

    static VideoCaptureSource()
    {
        // OpenCV's capture back-ends log multi-line warnings to stderr on every failed open; our own one-line
        // errors say the same. OPENCV_LOG_LEVEL still wins for anyone debugging a camera.
        if (Environment.GetEnvironmentVariable("OPENCV_LOG_LEVEL") is null) Cv2.SetLogLevel(LogLevel.SILENT);
    }

    private VideoCaptureSource(int? cameraIndex, string? location, bool loop, bool isLive)
    {
        _cameraIndex = cameraIndex;
        _location = location;
        _loop = loop;
        IsLive = isLive;
        Description = cameraIndex is { } i ? $"camera {i}" : isLive ? $"stream {location}" : $"video {location}";
    }

    public static VideoCaptureSource Camera(int index) => new(index, null, loop: false, isLive: true);
    public static VideoCaptureSource Stream(string url) => new(null, url, loop: false, isLive: true);

    public static VideoCaptureSource File(string path, bool loop)
    {
        if (!System.IO.File.Exists(path)) throw new EdgeFaceException($"video file not found: {path}");
        return new(null, path, loop, isLive: false);
    }

    public string Description { get; }
    public bool IsLive { get; }
    public double? NominalFps { get; private set; }

    public void Open()
    {
        _capture?.Dispose();
        _capture = null;
        var capture = _cameraIndex is { } index ? new VideoCapture(index) : new VideoCapture(_location!);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new EdgeFaceException($"cannot open {Description}");
        }
        var fps = capture.Fps;
        NominalFps = fps is > 0 and < 1000 ? fps : null;
        _capture = capture;
    }

    public FrameReadResult Read(Mat into)
    {
        if (_capture is null) return FrameReadResult.Failed;
        if (_capture.Read(into) && !into.Empty()) return FrameReadResult.Frame;
        if (IsLive) return FrameReadResult.Failed;
        if (!_loop) return FrameReadResult.EndOfStream;
        // Rewind in place (no native re-allocation per loop); reopen only for containers that cannot seek.
        if (_capture.Set(VideoCaptureProperties.PosFrames, 0) && _capture.Read(into) && !into.Empty()) return FrameReadResult.Frame;
        Open();
        return _capture!.Read(into) && !into.Empty() ? FrameReadResult.Frame : FrameReadResult.Failed;
    }

    public void Dispose()
    {
        _capture?.Dispose();
        _capture = null;
    }
}
