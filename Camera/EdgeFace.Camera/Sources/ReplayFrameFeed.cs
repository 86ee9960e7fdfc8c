using EdgeFace.Runtime;
using OpenCvSharp;

namespace EdgeFace.Camera.Sources;

/// <summary>
/// Reads finite media on the loop's own thread, one frame per call, in order and without drops,
/// so that a recorded video replays to the same decisions every time. Owns the source and its frame Mat.
/// </summary>
public sealed class ReplayFrameFeed(IFrameSource source) : IFrameFeed
{
    private readonly Mat _frame = new();
    private long _index;
    private SourceState _state = SourceState.Connecting;

    public string Description => source.Description;
    public SourceState State => _state;
    public long Dropped => 0;
    public long Reconnects => 0;
    public double? NominalFps => source.NominalFps;

    public void Start()
    {
        if (source.IsLive) throw new EdgeFaceException($"{source.Description} is live and cannot be replayed frame by frame");
        source.Open();
        _state = SourceState.Live;
    }

    public bool TryNext(out Mat frame, out long index)
    {
        frame = _frame;
        index = _index;
        if (_state != SourceState.Live) return false;
        switch (source.Read(_frame))
        {
            case FrameReadResult.Frame:
                _index++;
                return true;
            case FrameReadResult.EndOfStream:
                _state = SourceState.Ended;
                return false;
            default:
                throw new EdgeFaceException($"{source.Description}: frame {_index} could not be read");
        }
    }

    public void Dispose()
    {
        _state = SourceState.Stopped;
        source.Dispose();
        _frame.Dispose();
    }
}
