using System.Text.Json;
using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Loop;
using EdgeFace.Runtime;
using OpenCvSharp;

namespace EdgeFace.Camera.Output;

/// <summary>
/// Headless kiosk output: the annotated video as Motion-JPEG in an AVI (<c>kiosk.avi</c>) and one JSON object per
/// decision in <c>decisions.jsonl</c>, flushed line by line so a crash loses at most the current line.
/// Owns the VideoWriter and the file; dispose to finish both.
/// </summary>
public sealed class HeadlessRecorder : IKioskSink, IDisposable
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    private readonly string _videoPath;
    private readonly double _fps;
    private readonly StreamWriter _decisions;
    private VideoWriter? _video;
    private Size _size;

    public HeadlessRecorder(string folder, double fps, bool recordVideo = true)
    {
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeFaceException($"cannot create output folder {folder}: {e.Message}", e);
        }
        _videoPath = Path.Combine(folder, "kiosk.avi");
        _fps = fps;
        WantsFrames = recordVideo;
        DecisionsPath = Path.Combine(folder, "decisions.jsonl");
        _decisions = new StreamWriter(DecisionsPath, append: false) { AutoFlush = true };
    }

    public string DecisionsPath { get; }
    public string VideoPath => _videoPath;
    public bool WantsFrames { get; }
    public long FramesWritten { get; private set; }

    public void OnFrame(Mat annotated, KioskContext context)
    {
        if (_video is null)
        {
            _size = annotated.Size();
            _video = new VideoWriter(_videoPath, FourCC.MJPG, _fps, _size);
            if (!_video.IsOpened()) throw new EdgeFaceException($"cannot write video {_videoPath} (MJPG/AVI not supported by this OpenCV build?)");
        }
        if (annotated.Size() != _size) return; // a resolution change mid-run cannot go into the same AVI stream
        _video.Write(annotated);
        FramesWritten++;
    }

    public void OnTick(KioskContext context) { }

    public void OnDecision(KioskDecision decision) => _decisions.WriteLine(JsonSerializer.Serialize(decision, JsonOptions));

    public void Dispose()
    {
        _video?.Release();
        _video?.Dispose();
        _decisions.Dispose();
    }
}
