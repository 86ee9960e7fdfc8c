using OpenCvSharp;

namespace EdgeFace.Camera.Sources;

/// <summary>
/// Triple buffer between the capture thread and the loop: the writer fills its own Mat, then swaps it with the
/// "ready" Mat under a short lock; the reader swaps "ready" with its own. The reader always gets the newest frame,
/// an unread frame that is overwritten counts as dropped, and nothing is ever queued or allocated after warm-up.
/// Owns the three Mats and disposes them.
/// </summary>
public sealed class LatestFrameSlot : IDisposable
{
    private readonly Lock _lock = new();
    private Mat _writing = new();
    private Mat _ready = new();
    private Mat _reading = new();
    private bool _hasNew;
    private long _readySequence = -1;
    private long _dropped;

    /// <summary>The writer's buffer. Only the capture thread touches it, between <see cref="Publish"/> calls.</summary>
    public Mat WriteBuffer => _writing;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Makes the frame in <see cref="WriteBuffer"/> the newest one; an unread older frame is dropped.</summary>
    public void Publish(long sequence)
    {
        lock (_lock)
        {
            if (_hasNew) _dropped++;
            (_writing, _ready) = (_ready, _writing);
            _readySequence = sequence;
            _hasNew = true;
        }
    }

    /// <summary>
    /// The newest frame not yet taken, or false if none arrived since the last take.
    /// The returned Mat belongs to the slot and stays valid until the next <see cref="TryTake"/>.
    /// </summary>
    public bool TryTake(out Mat frame, out long sequence)
    {
        lock (_lock)
        {
            if (!_hasNew) { frame = _reading; sequence = -1; return false; }
            (_reading, _ready) = (_ready, _reading);
            _hasNew = false;
            sequence = _readySequence;
        }
        frame = _reading;
        return true;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writing.Dispose();
            _ready.Dispose();
            _reading.Dispose();
        }
    }
}
