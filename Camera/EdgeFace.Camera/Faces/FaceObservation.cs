using EdgeFace.Runtime.Faces;

namespace EdgeFace.Camera.Faces;

/// <summary>One detected face in one frame, plus the quality measures the kiosk guides people with.</summary>
public readonly record struct FaceObservation(FaceDetection Detection, KioskFaceQuality Quality)
{
    public RectF Box => Detection.Box;
    public FacePoints Landmarks => Detection.Landmarks;
    public float Score => Detection.Score;
}

/// <summary>
/// Image quality of a face as the kiosk sees it: eye distance (px), yaw proxy, mean brightness and Laplacian
/// variance of the crop. <see cref="Overall"/> in [0,1] weights the face's vote when scores are fused.
/// </summary>
public readonly record struct KioskFaceQuality(float EyeDistance, float Yaw, float Brightness, float Sharpness, float Overall);

/// <summary>Head-pose proxies from the five landmarks.</summary>
public static class FaceGeometry
{
    public static float EyeDistance(in FacePoints p)
    {
        float dx = p.RightEye.X - p.LeftEye.X, dy = p.RightEye.Y - p.LeftEye.Y;
        return MathF.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>
    /// Signed yaw proxy in [-1, 1]: the nose tip's horizontal offset from the eye midpoint over half the eye distance.
    /// 0 is frontal; positive means the nose points towards the image's right.
    /// </summary>
    public static float Yaw(in FacePoints p)
    {
        var half = EyeDistance(p) / 2f;
        if (half < 1e-3f) return 0f;
        return Math.Clamp((p.Nose.X - (p.LeftEye.X + p.RightEye.X) / 2f) / half, -1f, 1f);
    }
}
