namespace EdgeFace.Runtime.Faces;

/// <summary>
/// The five face landmarks in source-image pixels, in ArcFace template order: the eye on the image's left,
/// the eye on the image's right, nose tip, mouth corner on the image's left, mouth corner on the image's right.
/// </summary>
public readonly record struct FacePoints(PointF LeftEye, PointF RightEye, PointF Nose, PointF LeftMouth, PointF RightMouth)
{
    public const int Count = 5;

    public PointF this[int index] => index switch
    {
        0 => LeftEye,
        1 => RightEye,
        2 => Nose,
        3 => LeftMouth,
        4 => RightMouth,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Builds from ten interleaved coordinates x0,y0,...,x4,y4 mapped by <c>p * scale + offset</c>.</summary>
    public static FacePoints FromInterleaved(ReadOnlySpan<float> xy, float scale = 1f, float offsetX = 0f, float offsetY = 0f) => new(
        new(xy[0] * scale + offsetX, xy[1] * scale + offsetY), new(xy[2] * scale + offsetX, xy[3] * scale + offsetY),
        new(xy[4] * scale + offsetX, xy[5] * scale + offsetY), new(xy[6] * scale + offsetX, xy[7] * scale + offsetY),
        new(xy[8] * scale + offsetX, xy[9] * scale + offsetY));
}
