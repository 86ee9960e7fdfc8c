using EdgeFace.Runtime;

namespace EdgeFace.Camera.Sources;

/// <summary>Maps the CLI's <c>--source</c> text to a frame source: a camera index, a URL, a folder or a video file.</summary>
public static class FrameSourceFactory
{
    /// <param name="spec">"0" (camera index), "rtsp://…" / "http(s)://…", a folder of images, or a video file.</param>
    /// <param name="folderFps">Playback rate for image folders.</param>
    /// <param name="loop">Loop finite media (files, folders) instead of ending.</param>
    public static IFrameSource Create(string spec, double folderFps = 10, bool loop = false)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new EdgeFaceException("--source is empty");
        if (int.TryParse(spec, out var index))
        {
            if (index < 0) throw new EdgeFaceException($"camera index must be 0 or more, got {index}");
            return VideoCaptureSource.Camera(index);
        }
        if (Uri.TryCreate(spec, UriKind.Absolute, out var uri) && uri.Scheme is "rtsp" or "rtsps" or "http" or "https" or "rtmp" or "udp" or "tcp")
            return VideoCaptureSource.Stream(spec);
        if (Directory.Exists(spec)) return new ImageFolderSource(spec, folderFps, loop);
        if (File.Exists(spec)) return VideoCaptureSource.File(spec, loop);
        throw new EdgeFaceException($"source not found: '{spec}' is not a camera index, a URL, a folder or a video file");
    }
}
