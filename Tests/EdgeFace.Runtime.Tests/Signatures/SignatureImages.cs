using EdgeFace.Runtime.Signatures;
using EdgeFace.TestSupport;
using OpenCvSharp;

namespace EdgeFace.Runtime.Tests.Signatures;

/// <summary>Real signature files from ../shared and measurements on cleaned canvases, shared by the signature tests.</summary>
internal static class SignatureImages
{
    public static string NisdccRoot => Shared.Data("signatures", "nisdcc");

    public static IReadOnlyList<string> NisdccGenuine()
    {
        if (!Directory.Exists(NisdccRoot)) throw new DirectoryNotFoundException($"shared test input missing: {NisdccRoot}");
        return Directory.GetFiles(NisdccRoot, "*.png", SearchOption.AllDirectories)
            .Where(p => p.Contains($"{Path.DirectorySeparatorChar}genuine{Path.DirectorySeparatorChar}")).Order(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<string> NisdccAll() =>
        Directory.GetFiles(NisdccRoot, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    public static string SigComp(string writer, string kind, string file) =>
        Shared.RequireFile(Shared.Data("signatures", "sigcomp2011", writer, kind, file));

    public static float[] Clean(SignatureCleaner cleaner, Mat image, string origin)
    {
        var canvas = new float[SignatureCleaner.PixelCount];
        cleaner.Clean(image, canvas, origin);
        return canvas;
    }

    /// <summary>Bounding box (x0, y0, x1, y1 inclusive) of the non-zero canvas pixels.</summary>
    public static (int X0, int Y0, int X1, int Y1) InkBox(float[] canvas)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (var y = 0; y < SignatureCleaner.Height; y++)
            for (var x = 0; x < SignatureCleaner.Width; x++)
                if (canvas[y * SignatureCleaner.Width + x] > 0)
                {
                    x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x); y1 = Math.Max(y1, y);
                }
        return (x0, y0, x1, y1);
    }

    /// <summary>Pearson correlation of two canvases after a Gaussian blur (σ = 2 px), which forgives one-pixel shifts.</summary>
    public static double BlurredCorrelation(float[] a, float[] b)
    {
        using var ma = Blurred(a);
        using var mb = Blurred(b);
        ma.GetArray(out float[] va);
        mb.GetArray(out float[] vb);
        double meanA = va.Average(), meanB = vb.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < va.Length; i++)
        {
            var da = va[i] - meanA;
            var db = vb[i] - meanB;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Intersection over union of the ink masks (value above 0.2), each dilated by 2 px to forgive small shifts.</summary>
    public static double DilatedIoU(float[] a, float[] b)
    {
        using var ma = Mask(a);
        using var mb = Mask(b);
        using var inter = new Mat();
        using var union = new Mat();
        Cv2.BitwiseAnd(ma, mb, inter);
        Cv2.BitwiseOr(ma, mb, union);
        return Cv2.CountNonZero(inter) / (double)Cv2.CountNonZero(union);
    }

    private static Mat Blurred(float[] canvas)
    {
        using var m = Mat.FromPixelData(SignatureCleaner.Height, SignatureCleaner.Width, MatType.CV_32FC1, canvas);
        var blurred = new Mat();
        Cv2.GaussianBlur(m, blurred, new Size(0, 0), 2);
        return blurred;
    }

    private static Mat Mask(float[] canvas)
    {
        using var m = Mat.FromPixelData(SignatureCleaner.Height, SignatureCleaner.Width, MatType.CV_32FC1, canvas);
        using var binary = new Mat();
        Cv2.Threshold(m, binary, 0.2, 255, ThresholdTypes.Binary);
        var mask = new Mat();
        binary.ConvertTo(mask, MatType.CV_8UC1);
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(5, 5));
        Cv2.Dilate(mask, mask, kernel);
        return mask;
    }
}
