using OpenCvSharp;

namespace EdgeFace.Camera.Sources;

/// <summary>
/// A producer of BGR frames: a camera, a video file, a stream URL, an image folder or a synthetic generator.
/// Not thread-safe: one reader at a time (the capture thread, or the loop itself in replay mode).
/// The source owns its native handles and releases them in <see cref="IDisposable.Dispose"/>.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>Human-readable name used in errors and telemetry ("camera 0", "video clip.avi").</summary>
    string Description { get; }

    /// <summary>Frames per second the source is meant to be played at, if it knows (files, folders).</summary>
    double? NominalFps { get; }

    /// <summary>True for live devices and streams; false for finite media that can be replayed frame by frame.</summary>
    bool IsLive { get; }

    /// <summary>Opens (or re-opens after a failure). Throws <see cref="EdgeFace.Runtime.EdgeFaceException"/> when it cannot.</summary>
    void Open();

    /// <summary>
    /// Reads the next frame into <paramref name="into"/>, reusing its buffer when the size matches.
    /// Returns <see cref="FrameReadResult.Frame"/>, <see cref="FrameReadResult.EndOfStream"/> for finite media that ended,
    /// or <see cref="FrameReadResult.Failed"/> when the device or stream broke and needs <see cref="Open"/> again.
    /// </summary>
    FrameReadResult Read(Mat into);
}

public enum FrameReadResult
{
    Frame,
    EndOfStream,
    Failed,
}
