using OpenCvSharp;

namespace EdgeFace.Camera.Sources;

/// <summary>
/// What the kiosk loop pulls frames from. A live feed hands over the newest captured frame (older ones are dropped);
/// a replay feed hands over every frame of finite media in order, so a recorded video replays deterministically.
/// Owns its source and disposes it.
/// </summary>
public interface IFrameFeed : IDisposable
{
    string Description { get; }
    SourceState State { get; }
    /// <summary>Frames overwritten before the loop took them.</summary>
    long Dropped { get; }
    /// <summary>Successful re-opens after a failure.</summary>
    long Reconnects { get; }
    /// <summary>Frame rate the media is meant to play at, if known.</summary>
    double? NominalFps { get; }

    /// <summary>Opens the source. Throws <see cref="EdgeFace.Runtime.EdgeFaceException"/> if it cannot and the feed is not told to wait.</summary>
    void Start();

    /// <summary>
    /// The next frame if one is available now. The Mat belongs to the feed and stays valid until the next call.
    /// <paramref name="index"/> is the frame's position in the source (0-based, counting dropped frames).
    /// </summary>
    bool TryNext(out Mat frame, out long index);
}
