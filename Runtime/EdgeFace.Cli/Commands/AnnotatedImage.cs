using EdgeFace.Runtime;
using EdgeFace.Runtime.Faces;
using OpenCvSharp;

namespace EdgeFace.Cli.Commands;

/// <summary>Draws detections (box, numbered landmarks, score) on a copy of an image and saves it.</summary>
internal static class AnnotatedImage
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp"];

    public static void CheckWritable(string path)
    {
        if (!Extensions.Contains(System.IO.Path.GetExtension(path).ToLowerInvariant()))
            throw new EdgeFaceException($"--annotate {path}: use a .png, .jpg or .bmp file name");
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder)) throw new EdgeFaceException($"--annotate {path}: folder {folder} does not exist");
    }

    public static void Save(Mat image, IReadOnlyList<FaceDetection> faces, string path)
    {
        using var canvas = image.Clone();
        var thickness = Math.Max(1, Math.Max(image.Cols, image.Rows) / 400);
        Scalar[] colours = [Scalar.Red, Scalar.Blue, Scalar.Lime, Scalar.Magenta, Scalar.Cyan];
        foreach (var f in faces)
        {
            var box = new Rect((int)f.Box.X, (int)f.Box.Y, (int)f.Box.Width, (int)f.Box.Height);
            Cv2.Rectangle(canvas, box, Scalar.Yellow, thickness);
            for (var i = 0; i < FacePoints.Count; i++)
                Cv2.Circle(canvas, new Point((int)f.Landmarks[i].X, (int)f.Landmarks[i].Y), thickness + 1, colours[i], -1);
            Cv2.PutText(canvas, f.Score.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), new Point(box.X, Math.Max(10, box.Y - 4)),
                HersheyFonts.HersheySimplex, 0.4 * thickness, Scalar.Yellow, thickness);
        }
        if (!Cv2.ImWrite(path, canvas)) throw new EdgeFaceException($"--annotate {path}: could not write the image");
    }
}
