namespace EdgeFace.Camera.Faces;

/// <summary>
/// The least-squares similarity transform (rotation, uniform scale, translation) that maps the five landmarks
/// onto the 112×112 ArcFace template, as a 2×3 affine matrix. Pure and allocation-free.
/// </summary>
public static class SimilarityAlignment
{
    /// <summary>ArcFace/foamliu template for a 112×112 crop (x, y pairs in landmark order).</summary>
    public static ReadOnlySpan<float> Template112 =>
    [
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f,
    ];

    /// <summary>Writes [a, -b, tx, b, a, ty] (row-major 2×3) to <paramref name="affine"/>.</summary>
    public static void Estimate(in Landmarks5 points, Span<double> affine)
    {
        Span<float> src = [points.LeftEyeX, points.LeftEyeY, points.RightEyeX, points.RightEyeY, points.NoseX, points.NoseY,
            points.LeftMouthX, points.LeftMouthY, points.RightMouthX, points.RightMouthY];
        var dst = Template112;
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (var i = 0; i < 5; i++) { sx += src[2 * i]; sy += src[2 * i + 1]; dx += dst[2 * i]; dy += dst[2 * i + 1]; }
        sx /= 5; sy /= 5; dx /= 5; dy /= 5;
        double norm = 0, dotA = 0, dotB = 0;
        for (var i = 0; i < 5; i++)
        {
            double px = src[2 * i] - sx, py = src[2 * i + 1] - sy, qx = dst[2 * i] - dx, qy = dst[2 * i + 1] - dy;
            norm += px * px + py * py;
            dotA += px * qx + py * qy;
            dotB += px * qy - py * qx;
        }
        if (norm < 1e-9) norm = 1e-9;
        var a = dotA / norm;
        var b = dotB / norm;
        affine[0] = a; affine[1] = -b; affine[2] = dx - (a * sx - b * sy);
        affine[3] = b; affine[4] = a; affine[5] = dy - (b * sx + a * sy);
    }
}
