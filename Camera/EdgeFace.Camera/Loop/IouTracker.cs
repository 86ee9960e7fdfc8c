using EdgeFace.Camera.Faces;

namespace EdgeFace.Camera.Loop;

/// <summary>
/// Greedy IoU association of detections to tracks. Between detection runs, tracks keep their last box.
/// A track is dropped after <see cref="MaxMisses"/> detection runs without a match. Track objects are pooled.
/// </summary>
public sealed class IouTracker(int embeddingSize)
{
    private readonly List<Track> _active = [];
    private readonly Stack<Track> _pool = new();
    private readonly List<int> _claimed = [];
    private int _nextId = 1;

    public float MinIoU { get; init; } = 0.3f;
    public int MaxMisses { get; init; } = 3;

    public IReadOnlyList<Track> Active => _active;

    /// <summary>Called on ticks without detection: ages tracks, keeps boxes.</summary>
    public void Carry()
    {
        foreach (var t in _active) { t.Age++; t.SeenThisTick = false; }
    }

    /// <summary>Associates this tick's detections; returns tracks removed by <paramref name="removed"/> (cleared first).</summary>
    public void Update(List<FaceObservation> detections, TimeSpan now, long frame, List<Track> removed)
    {
        removed.Clear();
        _claimed.Clear();
        foreach (var t in _active) { t.Age++; t.SeenThisTick = false; }
        // Best-first: each detection (largest first, as detectors rank by score) takes the free track it overlaps most.
        for (var d = 0; d < detections.Count; d++)
        {
            var box = detections[d].Box;
            Track? best = null;
            var bestIoU = MinIoU;
            foreach (var t in _active)
            {
                if (t.SeenThisTick) continue;
                var iou = t.Face.Box.IoU(box);
                if (iou >= bestIoU) { bestIoU = iou; best = t; }
            }
            if (best is null) { _claimed.Add(d); continue; }
            best.Face = detections[d];
            best.Misses = 0;
            best.SeenThisTick = true;
        }
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var t = _active[i];
            if (t.SeenThisTick || ++t.Misses <= MaxMisses) continue;
            _active.RemoveAt(i);
            removed.Add(t);
        }
        foreach (var d in _claimed)
        {
            var t = _pool.Count > 0 ? _pool.Pop() : new Track(embeddingSize);
            t.Reset(_nextId++, detections[d], now, frame);
            _active.Add(t);
        }
    }

    /// <summary>Returns removed tracks to the pool once their last state has been reported.</summary>
    public void Recycle(List<Track> removed)
    {
        foreach (var t in removed) _pool.Push(t);
        removed.Clear();
    }
}
