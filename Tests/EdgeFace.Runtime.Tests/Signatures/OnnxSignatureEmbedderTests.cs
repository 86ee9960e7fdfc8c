using EdgeFace.Runtime.Models;
using EdgeFace.Runtime.Signatures;
using EdgeFace.TestSupport;

namespace EdgeFace.Runtime.Tests.Signatures;

/// <summary>
/// No trained signature network exists yet (our Trainer will produce it), so these tests drive the loading path with a
/// real ONNX file of the wrong kind, the MobileFaceNet face embedder, and check every refusal is clear.
/// </summary>
public sealed class OnnxSignatureEmbedderTests
{
    private const string FaceModelSha = "b7120c095d60094f28a4a54ba6a8bf51b297a6273fb40ef6350dfec1f63d9507";

    private static string WriteManifest(TempDir dir, ModelTask task, string sha, int channels = 1, int width = 220, int height = 150)
    {
        var manifest = new ModelManifest
        {
            Id = "test-signet", Task = task, Family = "signet", File = Shared.Model("embed-mobilefacenet-128.onnx"), Sha256 = sha,
            Input = new ModelInput { Name = "input0", Channels = channels, Width = width, Height = height, ColorOrder = "GRAY", Mean = [0f], Std = [1f] },
            Output = new ModelOutput { Name = "output0", Size = 128 },
            License = "test", Source = "test",
        };
        var path = dir.File("test-signet" + ModelManifest.FileSuffix);
        manifest.Save(path);
        return path;
    }

    [Fact]
    public void Face_model_is_refused_by_task()
    {
        using var dir = new TempDir();
        var path = WriteManifest(dir, ModelTask.FaceEmbedder, FaceModelSha);
        var e = Assert.Throws<EdgeFaceException>(() => OnnxSignatureEmbedder.Load(path));
        Assert.Equal($"{path}: model 'test-signet' is a face-embedder, not a signature-embedder", e.Message);
    }

    [Fact]
    public void Manifest_with_wrong_input_geometry_is_refused()
    {
        using var dir = new TempDir();
        var path = WriteManifest(dir, ModelTask.SignatureEmbedder, FaceModelSha, channels: 3, width: 112, height: 112);
        var e = Assert.Throws<EdgeFaceException>(() => OnnxSignatureEmbedder.Load(path));
        Assert.Equal($"{path}: input is 3x112x112; signature embedders take 1x150x220", e.Message);
    }

    [Fact]
    public void Graph_that_is_not_a_signature_network_is_refused_after_loading()
    {
        using var dir = new TempDir();
        var path = WriteManifest(dir, ModelTask.SignatureEmbedder, FaceModelSha);
        var e = Assert.Throws<EdgeFaceException>(() => OnnxSignatureEmbedder.Load(path));
        Assert.EndsWith("input 'input0' has shape [1,3,112,112]; a signature embedder takes [1,1,150,220]", e.Message);
    }

    [Fact]
    public void Changed_model_file_is_refused_by_hash()
    {
        using var dir = new TempDir();
        var path = WriteManifest(dir, ModelTask.SignatureEmbedder, new string('0', 64));
        var e = Assert.Throws<EdgeFaceException>(() => OnnxSignatureEmbedder.Load(path));
        Assert.Contains($"does not match the manifest ({new string('0', 64)}); refusing a changed model", e.Message);
    }

    [Fact]
    public void Missing_manifest_is_named()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<EdgeFaceException>(() => OnnxSignatureEmbedder.Load(dir.File("none.manifest.json")));
        Assert.Equal($"manifest not found: {dir.File("none.manifest.json")}", e.Message);
    }
}
