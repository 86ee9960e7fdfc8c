using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Imaging;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Cli.Commands;

/// <summary>Bridges the face pipeline to the gallery: image files become <see cref="BiometricSample"/>s bound to the embedder.</summary>
internal static class FaceSamples
{
    public static ModelBinding Binding(ModelManifest manifest) => new(manifest.Id, manifest.Sha256);

    /// <summary>
    /// Embeds the primary face of <paramref name="path"/>. An image without a face becomes a sample with a face
    /// count of 0, which the enrolment policy rejects with its reason; an unreadable file throws.
    /// With <paramref name="keepImage"/> the aligned crop (not the whole photo) is kept as JPEG.
    /// </summary>
    public static BiometricSample FromFile(FacePipeline pipeline, string path, bool keepImage)
    {
        using var image = ImageLoader.Load(path);
        var vector = new float[pipeline.Embedder.Dimension];
        var face = pipeline.EmbedPrimaryFace(image, vector);
        var source = System.IO.Path.GetFileName(path);
        var model = Binding(pipeline.Embedder.Manifest);
        if (face is not { } f) return new BiometricSample(vector, new SampleQuality(0, 0, 0, 0, 0), model, source);
        var q = f.Quality;
        byte[]? crop = null;
        if (keepImage) Cv2.ImEncode(".jpg", pipeline.LastAlignedCrop, out crop, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
        return new BiometricSample(vector, new SampleQuality(q.FaceCount, q.FaceSizePx, q.Sharpness, q.Brightness, q.DetectorScore), model, source, crop);
    }

    /// <summary>The probe for a decision: a face is required.</summary>
    public static BiometricSample Probe(FacePipeline pipeline, string path)
    {
        var sample = FromFile(pipeline, path, keepImage: false);
        if (sample.Quality.FaceCount == 0)
            throw new EdgeFaceException($"{path}: no face found (detector {pipeline.Detector.Manifest.Id}; try a lower --score-threshold)");
        return sample;
    }

    /// <summary>Compact JSON of a sample's quality, as recorded in the audit trail.</summary>
    public static string QualityJson(SampleQuality q) => new JsonObject
    {
        ["faces"] = q.FaceCount,
        ["size_px"] = Math.Round(q.FaceSizePx, 1),
        ["sharpness"] = Math.Round(q.Sharpness, 1),
        ["brightness"] = Math.Round(q.Brightness, 1),
        ["score"] = Math.Round(q.DetectorScore, 3),
    }.ToJsonString();

    /// <summary>
    /// The open-set / verification threshold as a cosine similarity: --threshold if given (on the model's metric),
    /// else the model's calibrated default. Distances on L2-normalised vectors convert exactly: cos = 1 − d²/2.
    /// </summary>
    public static double CosineThreshold(ModelManifest manifest, double? given)
    {
        var value = given ?? manifest.DefaultThreshold.Value;
        return manifest.Metric switch
        {
            Metric.Cosine => value,
            Metric.Euclidean => 1 - value * value / 2,
            _ => throw new EdgeFaceException(string.Create(CultureInfo.InvariantCulture,
                $"model {manifest.Id} uses the {manifest.Metric} metric, which gallery search cannot use; pass a cosine --threshold with an embedder that uses cosine or euclidean")),
        };
    }
}
