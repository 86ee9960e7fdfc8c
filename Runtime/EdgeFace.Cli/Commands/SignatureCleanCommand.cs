using System.Globalization;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;
using OpenCvSharp;

namespace EdgeFace.Cli.Commands;

public sealed class SignatureCleanCommand : CliCommand
{
    public override string Path => "signature clean";
    public override string Summary => "Clean a signature scan or photo into the 150x220 network input; optionally save every stage";
    public override string Usage => "IMAGE [--out PNG] [--debug-out DIR]";

    public override int Run(CliArgs args, CliContext context)
    {
        var image = args.Positional(0, "IMAGE (a signature scan or photo)");
        var output = args.Get("out");
        var debugDir = args.Get("debug-out");
        args.EnsureAllUsed(maxPositionals: 1);
        using var cleaner = new SignatureCleaner();
        var canvas = new float[SignatureCleaner.PixelCount];
        try
        {
            cleaner.CleanFile(image, canvas);
        }
        finally
        {
            // A rejected image is exactly when the operator wants to see the stages.
            if (debugDir is not null)
                foreach (var file in cleaner.WriteDebugImages(debugDir, System.IO.Path.GetFileNameWithoutExtension(image)))
                    context.Out.WriteLine($"wrote {file}");
        }
        if (output is not null) SaveCanvas(canvas, output);
        var s = cleaner.LastStats;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{image}: ink {s.InkPixels} px ({s.InkCoverage * 100:0.0}% of the page), {s.Components} strokes, {s.SpecksRemoved} specks and {s.RuledLines} ruled lines removed, deskewed {s.DeskewDegrees:0.0}°, ink box {s.InkBoxWidth}x{s.InkBoxHeight}"));
        return 0;
    }

    private static void SaveCanvas(float[] canvas, string path)
    {
        using var values = Mat.FromPixelData(SignatureCleaner.Height, SignatureCleaner.Width, MatType.CV_32FC1, canvas);
        using var bytes = new Mat();
        values.ConvertTo(bytes, MatType.CV_8UC1, 255);
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        if (!Cv2.ImWrite(path, bytes)) throw new Runtime.EdgeFaceException($"cannot write {path} (use a .png name in a writable folder)");
    }
}
