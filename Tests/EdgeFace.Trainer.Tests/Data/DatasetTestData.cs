using EdgeFace.TestSupport;
using OpenCvSharp;

namespace EdgeFace.Trainer.Tests.Data;

/// <summary>Paths to the real shared datasets, plus tiny synthetic layouts for error cases.</summary>
internal static class DatasetTestData
{
    public static string Orl => RequireFolder(Shared.Data("faces", "orl"));
    public static string Pins => RequireFolder(Shared.Data("faces", "pins"));
    public static string SigComp => RequireFolder(Shared.Data("signatures", "sigcomp2011"));

    private static string RequireFolder(string path) =>
        Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"shared test dataset missing: {path}");

    /// <summary>Writes a small real PNG (a gradient) so synthetic datasets decode.</summary>
    public static void WritePng(string path, int width = 20, int height = 16, int seed = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var img = new Mat(height, width, MatType.CV_8UC1);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            img.Set(y, x, (byte)((x * 7 + y * 3 + seed * 11) % 256));
        Cv2.ImWrite(path, img);
    }
}
