namespace EdgeFace.Runtime.Faces;

/// <summary>An axis-aligned box in image pixels: top-left corner and size.</summary>
public readonly record struct RectF(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public float Area => Math.Max(0f, Width) * Math.Max(0f, Height);
    public float CenterX => X + Width / 2f;
    public float CenterY => Y + Height / 2f;

    public bool Contains(PointF p) => p.X >= X && p.X <= Right && p.Y >= Y && p.Y <= Bottom;

    /// <summary>Intersection over union, 0 when the boxes do not overlap.</summary>
    public float IoU(in RectF other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0f || h <= 0f) return 0f;
        var inter = w * h;
        return inter / (Area + other.Area - inter);
    }
}

/// <summary>A point in image pixels.</summary>
public readonly record struct PointF(float X, float Y);
