using OpenCvSharp;

namespace EdgeFace.Camera.Faces;

/// <summary>Thresholds that turn face quality into guidance. Defaults suit a 640×480 kiosk camera at arm's length.</summary>
public sealed record GuidanceOptions
{
    /// <summary>Faces with an eye distance under this many pixels are "too far".</summary>
    public float MinEyeDistance { get; init; } = 28f;
    /// <summary>|yaw| above this (nose offset / half eye distance) means "not facing the camera".</summary>
    public float MaxYaw { get; init; } = 0.45f;
    /// <summary>Mean grey level of the face crop below this means "too dark".</summary>
    public float MinBrightness { get; init; } = 55f;
    /// <summary>Variance of the Laplacian of the face crop (at 64 px) below this means "blurred".</summary>
    public float MinSharpness { get; init; } = 25f;
    /// <summary>A second face at least this fraction of the largest face's width counts as another person.</summary>
    public float CrowdRatio { get; init; } = 0.6f;
}

/// <summary>
/// Measures size, yaw, brightness and sharpness of a face. Reuses its scratch Mats across calls;
/// owns them and disposes them. Not thread-safe.
/// </summary>
public sealed class FaceQualityAssessor(GuidanceOptions options) : IDisposable
{
    private const int Probe = 64;
    private readonly Mat _crop = new();
    private readonly Mat _gray = new();
    private readonly Mat _laplace = new();

    public GuidanceOptions Options => options;

    public KioskFaceQuality Assess(Mat frame, in FaceObservation face)
    {
        var eye = FaceGeometry.EyeDistance(face.Landmarks);
        var yaw = FaceGeometry.Yaw(face.Landmarks);
        var rect = new Rect((int)face.Box.X, (int)face.Box.Y, (int)face.Box.Width, (int)face.Box.Height)
            .Intersect(new Rect(0, 0, frame.Width, frame.Height));
        float brightness = 0, sharpness = 0;
        if (rect.Width >= 4 && rect.Height >= 4)
        {
            using (var roi = new Mat(frame, rect)) Cv2.Resize(roi, _crop, new Size(Probe, Probe), 0, 0, InterpolationFlags.Area);
            Cv2.CvtColor(_crop, _gray, ColorConversionCodes.BGR2GRAY);
            brightness = (float)Cv2.Mean(_gray).Val0;
            Cv2.Laplacian(_gray, _laplace, MatType.CV_32F);
            Cv2.MeanStdDev(_laplace, out _, out var std);
            sharpness = (float)(std.Val0 * std.Val0);
        }
        var overall = Score(eye / options.MinEyeDistance) * Score((options.MaxYaw - MathF.Abs(yaw)) / options.MaxYaw + 1f)
            * Score(brightness / options.MinBrightness) * Score(sharpness / options.MinSharpness);
        return new KioskFaceQuality(eye, yaw, brightness, sharpness, overall);
    }

    /// <summary>0 at/below the limit (ratio 1), rising to 1 at twice the limit.</summary>
    private static float Score(float ratio) => Math.Clamp(ratio - 1f, 0f, 1f) * 0.9f + 0.1f;

    /// <summary>The first problem a person should fix, or null when the face is good enough to use.</summary>
    public Guidance? Check(in KioskFaceQuality q) =>
        q.EyeDistance < options.MinEyeDistance ? Guidance.MoveCloser
        : MathF.Abs(q.Yaw) > options.MaxYaw ? Guidance.FaceTheCamera
        : q.Brightness < options.MinBrightness ? Guidance.MoreLight
        : q.Sharpness < options.MinSharpness ? Guidance.HoldStill
        : null;

    public void Dispose()
    {
        _crop.Dispose();
        _gray.Dispose();
        _laplace.Dispose();
    }
}
