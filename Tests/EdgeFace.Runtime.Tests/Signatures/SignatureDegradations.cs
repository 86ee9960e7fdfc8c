using OpenCvSharp;

namespace EdgeFace.Runtime.Tests.Signatures;

/// <summary>Synthetic versions of a real scan, as a phone or a form would give them. Each returns a new Mat the caller owns.</summary>
internal static class SignatureDegradations
{
    /// <summary>Prints the scan's ink on yellowish paper lit from the left (brightness 65% to 100%).</summary>
    public static Mat ColouredPaper(Mat scan)
    {
        using var grey = Grey(scan);
        var result = new Mat(grey.Size(), MatType.CV_8UC3);
        var paper = new[] { 150.0, 225.0, 245.0 }; // B, G, R: cream-yellow
        int rows = grey.Rows, cols = grey.Cols;
        for (var y = 0; y < rows; y++)
            for (var x = 0; x < cols; x++)
            {
                var light = 0.65 + 0.35 * x / Math.Max(1, cols - 1);
                var ink = grey.At<byte>(y, x) / 255.0;
                result.Set(y, x, new Vec3b((byte)(paper[0] * ink * light), (byte)(paper[1] * ink * light), (byte)(paper[2] * ink * light)));
            }
        return result;
    }

    /// <summary>Adds a dark printed rule across the whole width at 80% of the height, 1.5% of the height thick (at least 2 px).</summary>
    public static Mat RuledLine(Mat scan)
    {
        var result = scan.Clone();
        var y = (int)(scan.Rows * 0.8);
        var thickness = Math.Max(2, (int)Math.Round(scan.Rows * 0.015));
        Cv2.Line(result, new Point(0, y), new Point(scan.Cols - 1, y), Scalar.All(60), thickness);
        return result;
    }

    /// <summary>Round-trips through JPEG at <paramref name="quality"/>.</summary>
    public static Mat Jpeg(Mat scan, int quality)
    {
        Cv2.ImEncode(".jpg", scan, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return Cv2.ImDecode(bytes, ImreadModes.Unchanged);
    }

    /// <summary>Rotates a white-paper scan by <paramref name="degrees"/> (counter-clockwise) about the centre on an enlarged white page.</summary>
    public static Mat Rotate(Mat scan, double degrees)
    {
        var pad = (int)(Math.Max(scan.Cols, scan.Rows) * 0.12);
        using var padded = new Mat();
        Cv2.CopyMakeBorder(scan, padded, pad, pad, pad, pad, BorderTypes.Constant, Scalar.All(255));
        using var rotation = Cv2.GetRotationMatrix2D(new Point2f(padded.Cols / 2f, padded.Rows / 2f), degrees, 1);
        var result = new Mat();
        Cv2.WarpAffine(padded, result, rotation, padded.Size(), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(255));
        return result;
    }

    private static Mat Grey(Mat scan)
    {
        var grey = new Mat();
        if (scan.Channels() == 1) scan.CopyTo(grey);
        else Cv2.CvtColor(scan, grey, scan.Channels() == 4 ? ColorConversionCodes.BGRA2GRAY : ColorConversionCodes.BGR2GRAY);
        return grey;
    }
}
