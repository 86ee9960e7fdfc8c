using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Faces;

/// <summary>
/// Turns an aligned face crop into an L2-normalised embedding. Implementations own their ONNX session and
/// buffers (dispose the embedder), allocate nothing per call, and are not thread-safe: one per thread.
/// </summary>
public interface IFaceEmbedder : IDisposable
{
    /// <summary>Embedding length.</summary>
    int Dimension { get; }
    ModelManifest Manifest { get; }
    /// <summary>When true, each embedding is the normalised sum of the crop's and its mirror image's embeddings.</summary>
    bool FlipAugmentation { get; }
    /// <summary>Writes the L2-normalised embedding of <paramref name="alignedBgr112"/> (the manifest's input size, 8-bit BGR) into <paramref name="destination"/>.</summary>
    void Embed(Mat alignedBgr112, Span<float> destination);
}
