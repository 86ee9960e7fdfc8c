using EdgeFace.Runtime.Faces;
using EdgeFace.Camera.Faces;
using OpenCvSharp;

namespace EdgeFace.Camera.Liveness;

/// <summary>
/// The MiniFASNet crop rule from the model card (Silent-Face-Anti-Spoofing's CropImage): scale the face box about its
/// centre by <c>scale</c>, but never beyond what fits the frame; shift the result back inside the frame; the crop spans
/// the integer corners inclusively. Pure function of its arguments.
/// </summary>
public static class MiniFasCrop
{
    /// <returns>The crop rectangle in frame pixels (x, y, width, height), always inside the frame.</returns>
    public static Rect Compute(int frameWidth, int frameHeight, RectF box, float scale)
    {
        if (frameWidth < 2 || frameHeight < 2) throw new ArgumentException($"frame {frameWidth}x{frameHeight} is too small");
        var w = Math.Max(1f, box.Width);
        var h = Math.Max(1f, box.Height);
        // Cap the scale so the scaled box fits inside the frame on both axes.
        scale = MathF.Min((frameHeight - 1) / h, MathF.Min((frameWidth - 1) / w, scale));
        var newW = w * scale;
        var newH = h * scale;
        var cx = box.X + w / 2f;
        var cy = box.Y + h / 2f;
        var left = cx - newW / 2f;
        var top = cy - newH / 2f;
        var right = cx + newW / 2f;
        var bottom = cy + newH / 2f;
        if (left < 0) { right -= left; left = 0; }
        if (top < 0) { bottom -= top; top = 0; }
        if (right > frameWidth - 1) { left -= right - frameWidth + 1; right = frameWidth - 1; }
        if (bottom > frameHeight - 1) { top -= bottom - frameHeight + 1; bottom = frameHeight - 1; }
        int x0 = (int)left, y0 = (int)top, x1 = (int)right, y1 = (int)bottom;
        return new Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
}
