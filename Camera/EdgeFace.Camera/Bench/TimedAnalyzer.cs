using System.Diagnostics;
using EdgeFace.Camera.Faces;
using OpenCvSharp;

namespace EdgeFace.Camera.Bench;

/// <summary>
/// Wraps an analyzer to time its model calls and remember which faces were embedded on which frame, so a benchmark
/// can replay exactly the same model work without the loop. Does not own the inner analyzer.
/// </summary>
public sealed class TimedAnalyzer(IFrameAnalyzer inner, Func<long> currentFrame) : IFrameAnalyzer
{
    public int EmbeddingSize => inner.EmbeddingSize;
    public TimeSpan DetectTime { get; private set; }
    public TimeSpan EmbedTime { get; private set; }
    public List<(long Frame, FaceObservation Face)> Embedded { get; } = [];

    public void Detect(Mat frame, List<FaceObservation> faces)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Detect(frame, faces);
        DetectTime += Stopwatch.GetElapsedTime(start);
    }

    public void Embed(Mat frame, in FaceObservation face, Span<float> embedding)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Embed(frame, face, embedding);
        EmbedTime += Stopwatch.GetElapsedTime(start);
        Embedded.Add((currentFrame(), face));
    }

    public void Dispose() { }
}
