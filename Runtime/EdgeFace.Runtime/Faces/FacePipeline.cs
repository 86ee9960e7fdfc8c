using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Faces;

/// <summary>
/// Detect → align → embed. Owns its detector, aligner, embedder and scratch Mats; dispose it.
/// Not thread-safe: create one pipeline per thread (each holds its own ONNX sessions).
/// </summary>
public sealed class FacePipeline : IDisposable
{
    private readonly List<FaceDetection> _faces = new(16);
    private readonly Mat _aligned = new(), _gray = new(), _laplacian = new();

    public IFaceDetector Detector { get; }
    public FaceAligner Aligner { get; }
    public IFaceEmbedder Embedder { get; }

    /// <summary>Takes ownership of the three parts.</summary>
    public FacePipeline(IFaceDetector detector, FaceAligner aligner, IFaceEmbedder embedder)
    {
        Detector = detector;
        Aligner = aligner;
        Embedder = embedder;
    }

    /// <summary>Resolves the detector and embedder in the catalog and opens them on the requested device.</summary>
    public static FacePipeline Create(FacePipelineOptions options)
    {
        var factory = new SessionFactory(options.Device, options.Log, options.Threads);
        var embedderEntry = options.Catalog.Resolve(ModelTask.FaceEmbedder, options.EmbedderId);
        var detectorEntry = options.Catalog.Resolve(ModelTask.FaceDetector, options.DetectorId);
        var detector = FaceDetectorFactory.Create(factory.Open(detectorEntry), options.Detection);
        try
        {
            var embedder = new OnnxFaceEmbedder(factory.Open(embedderEntry), options.Flip);
            return new FacePipeline(detector, new FaceAligner(), embedder);
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }


    /// <summary>All faces in the image, best score first (a new list).</summary>
    public IReadOnlyList<FaceDetection> Analyze(Mat bgrImage) => Detector.Detect(bgrImage);

    /// <summary>
    /// Detects faces, picks the primary one (largest near the centre: area − 2·(centre offset)²), aligns and embeds
    /// it into <paramref name="destination"/>. Returns null, leaving <paramref name="destination"/> untouched, when there is no face.
    /// </summary>
    public PrimaryFace? EmbedPrimaryFace(Mat bgrImage, Span<float> destination)
    {
        Detector.Detect(bgrImage, _faces);
        if (_faces.Count == 0) return null;
        var face = PickPrimary(_faces, bgrImage.Cols, bgrImage.Rows);
        Aligner.Align(bgrImage, face.Landmarks, _aligned);
        Embedder.Embed(_aligned, destination);
        return new PrimaryFace(face, Measure(face, _faces.Count));
    }

    /// <summary>The fallback for evaluation when no face is found: embeds a centred square crop (see <see cref="FaceAligner.CentreCrop"/>).</summary>
    public void EmbedCentreCrop(Mat bgrImage, Span<float> destination)
    {
        Aligner.Warp(bgrImage, FaceAligner.CentreCrop(bgrImage.Cols, bgrImage.Rows), _aligned);
        Embedder.Embed(_aligned, destination);
    }

    /// <summary>The aligned crop of the last embedded face (valid until the next call).</summary>
    public Mat LastAlignedCrop => _aligned;

    public static FaceDetection PickPrimary(IReadOnlyList<FaceDetection> faces, int imageWidth, int imageHeight)
    {
        var best = faces[0];
        var bestValue = double.NegativeInfinity;
        foreach (var f in faces)
        {
            double dx = f.Box.CenterX - imageWidth / 2.0, dy = f.Box.CenterY - imageHeight / 2.0;
            var value = f.Box.Area - 2 * (dx * dx + dy * dy);
            if (value > bestValue) { bestValue = value; best = f; }
        }
        return best;
    }

    private FaceQuality Measure(in FaceDetection face, int count)
    {
        Cv2.CvtColor(_aligned, _gray, ColorConversionCodes.BGR2GRAY);
        Cv2.Laplacian(_gray, _laplacian, MatType.CV_64F);
        Cv2.MeanStdDev(_laplacian, out _, out var stddev);
        var brightness = Cv2.Mean(_gray).Val0;
        return new FaceQuality(Math.Max(face.Box.Width, face.Box.Height), stddev.Val0 * stddev.Val0, brightness, face.Score, count);
    }

    public void Dispose()
    {
        Detector.Dispose();
        Embedder.Dispose();
        Aligner.Dispose();
        _aligned.Dispose();
        _gray.Dispose();
        _laplacian.Dispose();
    }
}
