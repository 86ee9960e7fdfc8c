using EdgeFace.Runtime;
using OpenCvSharp;

namespace EdgeFace.Camera.Sources;

/// <summary>
/// The images of a folder in ordinal file-name order, played at <see cref="NominalFps"/>, optionally looping.
/// Unreadable images are skipped with a count rather than stopping the kiosk.
/// </summary>
public sealed class ImageFolderSource : IFrameSource
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".pgm", ".ppm", ".tif", ".tiff", ".webp"];
    private readonly string _folder;
    private readonly bool _loop;
    private string[] _files = [];
    private int _next;

    public ImageFolderSource(string folder, double fps, bool loop)
    {
        if (!Directory.Exists(folder)) throw new EdgeFaceException($"image folder not found: {folder}");
        if (fps is <= 0 or > 1000) throw new EdgeFaceException($"frame rate for {folder} must be in (0, 1000], got {fps}");
        _folder = folder;
        _loop = loop;
        NominalFps = fps;
    }

    public string Description => $"folder {_folder}";
    public double? NominalFps { get; }
    public bool IsLive => false;
    public int UnreadableImages { get; private set; }

    public void Open()
    {
        _files = Directory.EnumerateFiles(_folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (_files.Length == 0) throw new EdgeFaceException($"no images in {_folder} (looked for {string.Join(' ', Extensions)})");
        _next = 0;
    }

    public FrameReadResult Read(Mat into)
    {
        for (var attempts = 0; attempts < _files.Length; attempts++)
        {
            if (_next >= _files.Length)
            {
                if (!_loop) return FrameReadResult.EndOfStream;
                _next = 0;
            }
            using var image = Cv2.ImRead(_files[_next++], ImreadModes.Color);
            if (image.Empty()) { UnreadableImages++; continue; }
            image.CopyTo(into);
            return FrameReadResult.Frame;
        }
        return FrameReadResult.Failed;
    }

    public void Dispose() { }
}
