using EdgeFace.Camera.Faces;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;
using EdgeFace.TestSupport;

namespace EdgeFace.Camera.Tests;

/// <summary>The real models from ../shared, loaded once per test class (YuNet + MobileFaceNet on CPU, one thread).</summary>
public sealed class FaceModels : IDisposable
{
    public FaceModels()
    {
        Catalog = ModelCatalog.Scan([ModelsFolder]);
        Analyzer = new PipelineFrameAnalyzer(FacePipeline.Create(new FacePipelineOptions { Catalog = Catalog, Device = DeviceRequest.Cpu, Threads = 1 }));
        var m = Analyzer.Pipeline.Embedder.Manifest;
        Model = new ModelBinding(m.Id, m.Sha256);
    }

    public static string ModelsFolder => Path.GetDirectoryName(Shared.Model("embed-mobilefacenet-128.onnx"))!;
    public ModelCatalog Catalog { get; }
    public PipelineFrameAnalyzer Analyzer { get; }
    public ModelBinding Model { get; }

    public void Dispose() => Analyzer.Dispose();
}
