namespace EdgeFace.Runtime.Faces;

/// <summary>Greedy non-maximum suppression over candidates already above the score threshold.</summary>
internal static class NonMaxSuppression
{
    private static readonly Comparison<FaceDetection> ByScoreDescending = static (a, b) => b.Score.CompareTo(a.Score);

    /// <summary>Sorts <paramref name="candidates"/> by score and appends the survivors to <paramref name="destination"/>.</summary>
    public static void Apply(List<FaceDetection> candidates, float iouThreshold, List<FaceDetection> destination)
    {
        candidates.Sort(ByScoreDescending);
        foreach (var c in candidates)
        {
            var keep = true;
            foreach (var d in destination)
                if (c.Box.IoU(d.Box) > iouThreshold) { keep = false; break; }
            if (keep) destination.Add(c);
        }
    }
}
