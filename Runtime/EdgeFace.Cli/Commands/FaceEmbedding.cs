using EdgeFace.Runtime;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Imaging;

namespace EdgeFace.Cli.Commands;

/// <summary>Loads an image and embeds its primary face; "no face" is a user error naming the image.</summary>
internal static class FaceEmbedding
{
    public static (float[] Vector, PrimaryFace Face) FromFile(FacePipeline pipeline, string imagePath)
    {
        using var image = ImageLoader.Load(imagePath);
        var vector = new float[pipeline.Embedder.Dimension];
        var face = pipeline.EmbedPrimaryFace(image, vector)
            ?? throw new EdgeFaceException($"{imagePath}: no face found (detector {pipeline.Detector.Manifest.Id}; try a lower --score-threshold)");
        return (vector, face);
    }
}
