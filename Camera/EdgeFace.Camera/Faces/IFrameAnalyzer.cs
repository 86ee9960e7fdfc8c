using OpenCvSharp;

namespace EdgeFace.Camera.Faces;

/// <summary>
/// The face models the kiosk drives: detection with 5 landmarks, and embedding of one detected face.
/// Implementations own their model sessions and release them in Dispose. Not thread-safe: the loop calls from one thread.
/// Neither call modifies <c>frame</c>.
/// </summary>
public interface IFrameAnalyzer : IDisposable
{
    /// <summary>Length of the vectors <see cref="Embed"/> writes.</summary>
    int EmbeddingSize { get; }

    /// <summary>Clears <paramref name="faces"/> and fills it with the faces in a BGR frame, best first.</summary>
    void Detect(Mat frame, List<FaceObservation> faces);

    /// <summary>Aligns the face from its landmarks and writes its L2-normalised embedding.</summary>
    void Embed(Mat frame, in FaceObservation face, Span<float> embedding);
}
