namespace EdgeFace.Camera.Faces;

/// <summary>An axis-aligned box in frame pixels.</summary>
public readonly record struct BoxF(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public float CenterX => X + Width / 2f;
    public float CenterY => Y + Height / 2f;
    public float Area => Math.Max(0f, Width) * Math.Max(0f, Height);

    /// <summary>Intersection over union; 0 when either box is empty.</summary>
    public float IoU(in BoxF other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0) return 0f;
        var inter = w * h;
        var union = Area + other.Area - inter;
        return union > 0 ? inter / union : 0f;
    }
}

/// <summary>The five detector landmarks, in image-left/image-right order: eyes, nose tip, mouth corners.</summary>
public readonly record struct Landmarks5(
    float LeftEyeX, float LeftEyeY, float RightEyeX, float RightEyeY,
    float NoseX, float NoseY, float LeftMouthX, float LeftMouthY, float RightMouthX, float RightMouthY)
{
    public float EyeDistance => MathF.Sqrt((RightEyeX - LeftEyeX) * (RightEyeX - LeftEyeX) + (RightEyeY - LeftEyeY) * (RightEyeY - LeftEyeY));

    /// <summary>
    /// Signed head yaw proxy in [-1, 1]: the nose tip's horizontal offset from the eye midpoint, over half the eye distance.
    /// 0 is frontal; the sign follows the image x axis (positive = nose towards image right).
    /// </summary>
    public float Yaw
    {
        get
        {
            var half = EyeDistance / 2f;
            if (half < 1e-3f) return 0f;
            return Math.Clamp((NoseX - (LeftEyeX + RightEyeX) / 2f) / half, -1f, 1f);
        }
    }

    public Landmarks5 Offset(float dx, float dy) => new(
        LeftEyeX + dx, LeftEyeY + dy, RightEyeX + dx, RightEyeY + dy, NoseX + dx, NoseY + dy,
        LeftMouthX + dx, LeftMouthY + dy, RightMouthX + dx, RightMouthY + dy);
}

/// <summary>One detected face in one frame, plus the quality measures the kiosk guides people with.</summary>
public readonly record struct FaceObservation(BoxF Box, Landmarks5 Landmarks, float Score)
{
    public FaceQuality Quality { get; init; }
}

/// <summary>
/// Image quality of a face crop. <see cref="Overall"/> in [0,1] weights the face's vote when scores are fused.
/// </summary>
public readonly record struct FaceQuality(float SizePixels, float Yaw, float Brightness, float Sharpness, float Overall);
