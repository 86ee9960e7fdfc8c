using OpenCvSharp;

namespace EdgeFace.Runtime.Imaging;

/// <summary>Argument checks for images handed to the face pipeline (programming errors, not user errors).</summary>
internal static class ImageChecks
{
    public static void RequireBgr(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty()) throw new ArgumentException("image is empty", nameof(image));
        if (image.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected an 8-bit 3-channel BGR image, got {image.Type()}", nameof(image));
    }
}
