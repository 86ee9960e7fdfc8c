using EdgeFace.Runtime.Faces;
using OpenCvSharp;

namespace EdgeFace.Camera.Faces;

/// <summary>
/// The kiosk's face models, taken from the runtime's <see cref="FacePipeline"/> (detector, aligner, embedder from
/// the model catalog). Takes ownership of the pipeline and disposes it. Reuses its detection list and aligned crop.
/// </summary>
public sealed class PipelineFrameAnalyzer(FacePipeline pipeline) : IFrameAnalyzer
{
    private readonly List<FaceDetection> _detections = [];
    private readonly Mat _aligned = new();

    public FacePipeline Pipeline => pipeline;
    public int EmbeddingSize => pipeline.Embedder.Dimension;

    public void Detect(Mat frame, List<FaceObservation> faces)
    {
        faces.Clear();
        pipeline.Detector.Detect(frame, _detections);
        foreach (var d in _detections) faces.Add(new FaceObservation(d, default));
    }

    public void Embed(Mat frame, in FaceObservation face, Span<float> embedding)
    {
        pipeline.Aligner.Align(frame, face.Landmarks, _aligned);
        pipeline.Embedder.Embed(_aligned, embedding);
    }

    public void Dispose()
    {
        _aligned.Dispose();
        pipeline.Dispose();
    }
}
