using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Policy;
using EdgeFace.Enrollment.Search;
using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime.Faces;
using EdgeFace.TestSupport;
using OpenCvSharp;

namespace EdgeFace.Camera.Tests;

/// <summary>One segment of a synthetic kiosk video: a real face image (or nothing) held for some frames.</summary>
public sealed record Segment(string? Image, int Frames);

/// <summary>
/// Test media built from real images in ../shared: kiosk videos (faces scaled onto a 640×480 canvas, MJPG/AVI)
/// and encrypted SQLite galleries enrolled through the gallery's own policy.
/// </summary>
public static class KioskMedia
{
    public const int Width = 640;
    public const int Height = 480;

    public static string Pins(string person, int number) => Shared.Face("pins", person, $"{number:000}.jpg");

    /// <summary>Writes the segments as a video; returns the number of frames written.</summary>
    public static int WriteVideo(string path, double fps, IEnumerable<Segment> segments, double faceHeight = 300)
    {
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(Width, Height));
        if (!writer.IsOpened()) throw new InvalidOperationException($"cannot write {path}");
        using var canvas = new Mat();
        var frames = 0;
        foreach (var s in segments)
        {
            Compose(s.Image, canvas, faceHeight);
            for (var i = 0; i < s.Frames; i++) { writer.Write(canvas); frames++; }
        }
        return frames;
    }

    /// <summary>A 640×480 frame: a soft grey backdrop with the image scaled to <paramref name="faceHeight"/> in the middle.</summary>
    public static void Compose(string? image, Mat canvas, double faceHeight = 300)
    {
        canvas.Create(Height, Width, MatType.CV_8UC3);
        canvas.SetTo(new Scalar(120, 125, 130));
        Cv2.Rectangle(canvas, new Rect(0, 380, Width, 100), new Scalar(90, 95, 100), -1);
        if (image is null) return;
        using var face = Cv2.ImRead(image, ImreadModes.Color);
        if (face.Empty()) throw new FileNotFoundException($"cannot read {image}");
        var scale = faceHeight / face.Rows;
        using var scaled = new Mat();
        Cv2.Resize(face, scaled, new Size((int)(face.Cols * scale), (int)faceHeight), 0, 0, InterpolationFlags.Cubic);
        var x = (Width - scaled.Cols) / 2;
        var y = (Height - scaled.Rows) / 2;
        using var roi = new Mat(canvas, new Rect(x, y, scaled.Cols, scaled.Rows));
        scaled.CopyTo(roi);
    }

    /// <summary>A fresh gallery key file (mode 600), as the gallery requires.</summary>
    public static string WriteKey(TempDir dir)
    {
        var path = dir.File("gallery.key");
        using var key = GalleryKey.Generate();
        key.SaveFile(path);
        return path;
    }

    /// <summary>Enrols each person from the given images (composed like kiosk frames) into a new encrypted gallery.</summary>
    public static void EnrolGallery(string galleryPath, string keyFile, FaceModels models, IReadOnlyDictionary<string, string[]> people)
    {
        using var key = GalleryKey.LoadFile(keyFile);
        using var store = SqliteGalleryStore.Open(galleryPath, key, new SqliteGalleryOptions { CreateIfMissing = true });
        var enroller = new Enroller(store, new EnrollmentOptions { DuplicateThreshold = 0.99, Actor = "test" });
        using var canvas = new Mat();
        foreach (var (name, images) in people)
        {
            var samples = new List<BiometricSample>();
            foreach (var image in images)
            {
                Compose(image, canvas);
                var embedding = new float[models.Analyzer.EmbeddingSize];
                var face = models.Analyzer.Pipeline.EmbedPrimaryFace(canvas, embedding)
                    ?? throw new InvalidOperationException($"no face found in {image}");
                var q = face.Quality;
                samples.Add(new BiometricSample(embedding, new SampleQuality(q.FaceCount, q.FaceSizePx, q.Sharpness, q.Brightness, q.DetectorScore),
                    models.Model, Path.GetFileName(image)));
            }
            enroller.Enroll(name, samples);
        }
    }
}
