using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Runtime.Faces;

/// <summary>What <see cref="FacePipeline.Create"/> builds: which models, on which device, with which knobs.</summary>
public sealed record FacePipelineOptions
{
    public required ModelCatalog Catalog { get; init; }
    public DeviceRequest Device { get; init; } = DeviceRequest.Auto;
    /// <summary>Detector id or file name; null takes the catalog's default.</summary>
    public string? DetectorId { get; init; }
    /// <summary>Embedder id or file name; null takes the catalog's default.</summary>
    public string? EmbedderId { get; init; }
    public FaceDetectorOptions Detection { get; init; } = new();
    /// <summary>Embed each crop and its mirror image and sum them (slower, slightly more accurate).</summary>
    public bool Flip { get; init; }
    /// <summary>ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime choose.</summary>
    public int Threads { get; init; }
    /// <summary>Receives device fallback reasons and other notices (e.g. write to stderr).</summary>
    public Action<string>? Log { get; init; }
}
