using EdgeFace.Runtime.Imaging;
using OpenCvSharp;

namespace EdgeFace.Runtime.Faces;

/// <summary>
/// Warps a face onto the 112x112 ArcFace template with the least-squares similarity of its five landmarks.
/// Owns a small transform Mat; dispose it. Not thread-safe (one aligner per pipeline).
/// </summary>
public sealed class FaceAligner : IDisposable
{
    public const int Size = 112;

    /// <summary>The ArcFace 5-point template for a 112x112 crop (eyes, nose tip, mouth corners; image-left first).</summary>
    public static ReadOnlySpan<PointF> Template => TemplatePoints;

    private static readonly PointF[] TemplatePoints =
    [
        new(38.2946f, 51.6963f), new(73.5318f, 51.5014f), new(56.0252f, 71.7366f),
        new(41.5493f, 92.3655f), new(70.7299f, 92.2041f),
    ];

    private readonly Mat _matrix = new(2, 3, MatType.CV_64FC1);

    /// <summary>The transform that takes image coordinates to template (crop) coordinates.</summary>
    public static SimilarityTransform Estimate(in FacePoints landmarks)
    {
        Span<PointF> from = [landmarks.LeftEye, landmarks.RightEye, landmarks.Nose, landmarks.LeftMouth, landmarks.RightMouth];
        return SimilarityTransform.Estimate(from, Template);
    }

    /// <summary>Writes the aligned 112x112 BGR face into <paramref name="destination112"/> (reallocated only if its size/type differ).</summary>
    public SimilarityTransform Align(Mat image, in FacePoints landmarks, Mat destination112)
    {
        var t = Estimate(landmarks);
        Warp(image, t, destination112);
        return t;
    }

    /// <summary>Warps <paramref name="image"/> with <paramref name="t"/> into a 112x112 crop (black outside the image).</summary>
    public unsafe void Warp(Mat image, in SimilarityTransform t, Mat destination112)
    {
        ImageChecks.RequireBgr(image);
        var m = (double*)_matrix.DataPointer;
        m[0] = t.A; m[1] = -t.B; m[2] = t.Tx;
        m[3] = t.B; m[4] = t.A; m[5] = t.Ty;
        Cv2.WarpAffine(image, destination112, _matrix, new OpenCvSharp.Size(Size, Size), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
    }

    /// <summary>The fallback when no face is found: a centred square of side 0.52·min(w,h) scaled to 112x112.</summary>
    public static SimilarityTransform CentreCrop(int width, int height, double sideFraction = 0.52)
    {
        var scale = Size / (sideFraction * Math.Min(width, height));
        return new SimilarityTransform(scale, 0, Size / 2.0 - scale * width / 2.0, Size / 2.0 - scale * height / 2.0);
    }

    public void Dispose() => _matrix.Dispose();
}
