using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Faces;

/// <summary>
/// Finds faces with five landmarks in a BGR 8-bit image of any size. Implementations own their ONNX session and
/// buffers (dispose the detector) and are not thread-safe: use one detector per thread.
/// </summary>
public interface IFaceDetector : IDisposable
{
    ModelManifest Manifest { get; }

    /// <summary>Clears <paramref name="destination"/> and fills it with faces, best score first. Allocation-free in steady state.</summary>
    void Detect(Mat bgrImage, List<FaceDetection> destination);

    /// <summary>Convenience form that allocates a new list.</summary>
    IReadOnlyList<FaceDetection> Detect(Mat bgrImage)
    {
        var list = new List<FaceDetection>();
        Detect(bgrImage, list);
        return list;
    }
}
