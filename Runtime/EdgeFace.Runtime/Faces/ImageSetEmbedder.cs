using System.Diagnostics;
using EdgeFace.Runtime.Imaging;
using OpenCvSharp;

namespace EdgeFace.Runtime.Faces;

/// <summary>Per-stage times of one image, in milliseconds.</summary>
public readonly record struct StageTimes(double Decode, double Detect, double Align, double Embed)
{
    public double Total => Decode + Detect + Align + Embed;
}

/// <summary>Embeddings of a set of images, in input order, and how each was obtained.</summary>
public sealed record ImageSetEmbeddings(IReadOnlyList<string> Paths, float[][] Vectors, bool[] FaceFound, StageTimes[] Times)
{
    public int NotDetected => FaceFound.Count(f => !f);
}

/// <summary>
/// Embeds many image files with one pipeline, timing decode/detect/align/embed separately. An image without a
/// detected face falls back to a centre crop (counted), so evaluations keep every pair as the LFW protocol requires.
/// </summary>
public static class ImageSetEmbedder
{
    public static ImageSetEmbeddings Embed(FacePipeline pipeline, IReadOnlyList<string> paths, Action<string>? progress = null,
        CancellationToken cancellation = default)
    {
        var vectors = new float[paths.Count][];
        var found = new bool[paths.Count];
        var times = new StageTimes[paths.Count];
        var faces = new List<FaceDetection>(16);
        using var aligned = new Mat();
        var lastReport = Stopwatch.GetTimestamp();
        for (var i = 0; i < paths.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var t0 = Stopwatch.GetTimestamp();
            using var image = ImageLoader.Load(paths[i]);
            var t1 = Stopwatch.GetTimestamp();
            pipeline.Detector.Detect(image, faces);
            var t2 = Stopwatch.GetTimestamp();
            found[i] = faces.Count > 0;
            var transform = found[i]
                ? FaceAligner.Estimate(FacePipeline.PickPrimary(faces, image.Cols, image.Rows).Landmarks)
                : FaceAligner.CentreCrop(image.Cols, image.Rows);
            pipeline.Aligner.Warp(image, transform, aligned);
            var t3 = Stopwatch.GetTimestamp();
            vectors[i] = new float[pipeline.Embedder.Dimension];
            pipeline.Embedder.Embed(aligned, vectors[i]);
            var t4 = Stopwatch.GetTimestamp();
            times[i] = new StageTimes(Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), Ms(t3, t4));
            if (progress is not null && (Stopwatch.GetElapsedTime(lastReport).TotalSeconds >= 5 || i + 1 == paths.Count))
            {
                lastReport = Stopwatch.GetTimestamp();
                progress($"embedded {i + 1}/{paths.Count} images ({found.Take(i + 1).Count(f => !f)} without a detected face)");
            }
        }
        return new ImageSetEmbeddings(paths, vectors, found, times);
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
