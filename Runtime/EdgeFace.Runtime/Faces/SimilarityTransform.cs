namespace EdgeFace.Runtime.Faces;

/// <summary>
/// A 2-D similarity (rotation, uniform scale, translation, no reflection):
/// <c>x' = A·x − B·y + Tx</c>, <c>y' = B·x + A·y + Ty</c>, with A = s·cosθ, B = s·sinθ.
/// </summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    public static SimilarityTransform Identity => new(1, 0, 0, 0);

    public PointF Apply(PointF p) => new((float)(A * p.X - B * p.Y + Tx), (float)(B * p.X + A * p.Y + Ty));

    public double Scale => Math.Sqrt(A * A + B * B);

    /// <summary>
    /// Closed-form least-squares fit mapping <paramref name="from"/> onto <paramref name="to"/> (Umeyama without
    /// reflection): centre both sets, then A = Σ(u·u' + v·v')/Σ|u|², B = Σ(u·v' − v·u')/Σ|u|². Every point counts
    /// equally; there is no outlier rejection.
    /// </summary>
    public static SimilarityTransform Estimate(ReadOnlySpan<PointF> from, ReadOnlySpan<PointF> to)
    {
        if (from.Length != to.Length || from.Length < 2) throw new ArgumentException("need at least two matching point pairs");
        double mx = 0, my = 0, nx = 0, ny = 0;
        for (var i = 0; i < from.Length; i++) { mx += from[i].X; my += from[i].Y; nx += to[i].X; ny += to[i].Y; }
        mx /= from.Length; my /= from.Length; nx /= from.Length; ny /= from.Length;
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < from.Length; i++)
        {
            double u = from[i].X - mx, v = from[i].Y - my, u2 = to[i].X - nx, v2 = to[i].Y - ny;
            dot += u * u2 + v * v2;
            cross += u * v2 - v * u2;
            norm += u * u + v * v;
        }
        if (norm < 1e-12) throw new ArgumentException("source points coincide; no transform is defined");
        double a = dot / norm, b = cross / norm;
        return new SimilarityTransform(a, b, nx - (a * mx - b * my), ny - (b * mx + a * my));
    }
}
