using OpenCvSharp;

namespace EdgeFace.Runtime.Imaging;

/// <summary>
/// Loads image files as 8-bit BGR <see cref="Mat"/>s (the caller owns and disposes the Mat), turning every way a
/// file can be unusable into an <see cref="EdgeFaceException"/> naming it: missing, empty, too large (file size or
/// header dimensions, checked before decoding), truncated JPEG, or not decodable at all.
/// </summary>
public static class ImageLoader
{
    public const long MaxFileBytes = 100L * 1024 * 1024;
    public const long MaxPixels = 40_000_000;

    public static Mat Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new EdgeFaceException(Directory.Exists(path) ? $"{path}: is a folder, not an image" : $"image not found: {path}");
        if (info.Length == 0) throw new EdgeFaceException($"{path}: empty file (0 bytes), not an image");
        if (info.Length > MaxFileBytes) throw new EdgeFaceException($"{path}: file is {info.Length / (1024 * 1024)} MB, larger than the {MaxFileBytes / (1024 * 1024)} MB limit for images");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new EdgeFaceException($"{path}: cannot read ({e.Message})", e); }
        catch (UnauthorizedAccessException e) { throw new EdgeFaceException($"{path}: permission denied", e); }
        return Decode(bytes, path);
    }

    /// <summary>Decodes encoded image bytes; <paramref name="origin"/> names the source in error messages.</summary>
    public static Mat Decode(byte[] bytes, string origin)
    {
        var format = ImageHeader.Sniff(bytes);
        if (format == ImageHeader.Format.Unknown)
            throw new EdgeFaceException($"{origin}: not a readable image (unrecognised format)");
        if (format != ImageHeader.Format.Tiff)
        {
            var size = ImageHeader.Dimensions(bytes, format)
                ?? throw new EdgeFaceException($"{origin}: not a readable image (corrupt {format.ToString().ToUpperInvariant()} header)");
            if (size.Width <= 0 || size.Height <= 0)
                throw new EdgeFaceException($"{origin}: not a readable image (header says {size.Width}x{size.Height})");
            if (size.Width * size.Height > MaxPixels)
                throw new EdgeFaceException($"{origin}: image is {size.Width}x{size.Height} ({size.Width * size.Height / 1e6:F0} megapixels), larger than the {MaxPixels / 1_000_000} megapixel limit");
        }
        if (format == ImageHeader.Format.Jpeg && !ImageHeader.JpegHasEnd(bytes))
            throw new EdgeFaceException($"{origin}: truncated JPEG (no end-of-image marker)");
        if (format == ImageHeader.Format.Png && ImageHeader.PngProblem(bytes) is { } problem)
            throw new EdgeFaceException($"{origin}: not a readable image ({problem})");
        Mat image;
        try { image = Cv2.ImDecode(bytes, ImreadModes.Color); }
        catch (OpenCVException e) { throw new EdgeFaceException($"{origin}: not a readable image ({e.Message})", e); }
        if (image.Empty())
        {
            image.Dispose();
            throw new EdgeFaceException($"{origin}: not a readable image (decoder failed; the file may be corrupt or truncated)");
        }
        return image;
    }
}
