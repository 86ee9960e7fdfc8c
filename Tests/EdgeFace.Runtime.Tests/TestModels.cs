using EdgeFace.Runtime;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Imaging;
using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;
using EdgeFace.TestSupport;
using OpenCvSharp;

namespace EdgeFace.Runtime.Tests;

/// <summary>The public models in ../shared/models, opened on CPU, for tests.</summary>
internal static class TestModels
{
    private static readonly Lazy<ModelCatalog> LazyCatalog = new(() =>
    {
        Shared.Model("embed-mobilefacenet-128.onnx");
        return ModelCatalog.Scan([SharedData.Models()]);
    });

    public static ModelCatalog Catalog => LazyCatalog.Value;

    public static ModelSession Open(string id) =>
        new SessionFactory(DeviceRequest.Cpu).Open(Catalog.Resolve(Catalog.Models.First(m => m.Manifest?.Id == id).Manifest!.Task, id));

    public static IFaceDetector Detector(string id, float? score = null) =>
        FaceDetectorFactory.Create(Open(id), new FaceDetectorOptions { ScoreThreshold = score });

    public static FacePipeline Pipeline(string detector = "yunet-s-640", bool flip = false) => FacePipeline.Create(new FacePipelineOptions
    {
        Catalog = Catalog, Device = DeviceRequest.Cpu, DetectorId = detector, Flip = flip,
    });

    public static Mat Lfw(string name, int number) => ImageLoader.Load(Shared.Face("lfw", "images", name, $"{name}_{number:D4}.jpg"));
    public static Mat Orl(int subject, int image) => ImageLoader.Load(Shared.Face("orl", $"s{subject}", $"{image}.pgm"));
    public static Mat Yale(int subject, string condition) => ImageLoader.Load(Shared.Face("yale", $"subject{subject:D2}", $"{condition}.png"));

    /// <summary>Two images side by side on a grey canvas (the caller disposes the result).</summary>
    public static Mat SideBySide(Mat left, Mat right)
    {
        var canvas = new Mat(Math.Max(left.Rows, right.Rows), left.Cols + right.Cols + 40, MatType.CV_8UC3, Scalar.All(90));
        using (var l = new Mat(canvas, new Rect(0, 0, left.Cols, left.Rows))) left.CopyTo(l);
        using (var r = new Mat(canvas, new Rect(left.Cols + 40, 0, right.Cols, right.Rows))) right.CopyTo(r);
        return canvas;
    }
}
