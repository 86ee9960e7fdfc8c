using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;
using EdgeFace.TestSupport;

namespace EdgeFace.Runtime.Tests;

public class ModelCatalogTests
{
    [Fact]
    public void Every_shared_model_is_recognised_by_its_builtin_card()
    {
        var ids = TestModels.Catalog.Models.Where(m => m.Origin == ModelOrigin.BuiltInCard && m.Manifest is not null)
            .Select(m => m.Manifest!.Id).Order().ToArray();
        Assert.Equal(BuiltInModelCards.All.Select(c => c.Id).Order().ToArray(), ids);
    }

    [Fact]
    public void Defaults_are_yunet_s_640_and_mobilefacenet()
    {
        Assert.Equal("yunet-s-640", TestModels.Catalog.Resolve(ModelTask.FaceDetector).Manifest!.Id);
        Assert.Equal("mobilefacenet-128", TestModels.Catalog.Resolve(ModelTask.FaceEmbedder).Manifest!.Id);
        Assert.Equal("scrfd-500m", TestModels.Catalog.Resolve(ModelTask.FaceDetector, "detect-scrfd-500m-kps.onnx").Manifest!.Id);
    }

    [Fact]
    public void A_manifest_model_is_preferred_over_builtin_cards()
    {
        using var dir = new TempDir();
        var copy = dir.File("ours.onnx");
        File.Copy(Shared.Model("embed-mobilefacenet-128.onnx"), copy);
        var card = BuiltInModelCards.FindById("mobilefacenet-128")!;
        (card with { Id = "ours-128", File = "ours.onnx" }).Save(dir.File("ours.manifest.json"));
        var catalog = ModelCatalog.Scan([SharedData.Models(), dir.Path]);
        Assert.Equal("ours-128", catalog.Resolve(ModelTask.FaceEmbedder).Manifest!.Id);
    }

    [Fact]
    public void Unknown_onnx_without_manifest_is_listed_with_a_problem_and_refused_by_name()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("mystery.onnx"), [1, 2, 3, 4]);
        var catalog = ModelCatalog.Scan([dir.Path]);
        var entry = Assert.Single(catalog.Models, m => m.FileName == "mystery.onnx");
        Assert.Null(entry.Manifest);
        var e = Assert.Throws<EdgeFaceException>(() => catalog.Resolve(ModelTask.FaceEmbedder, "mystery"));
        Assert.Contains("mystery.onnx", e.Message);
        Assert.Contains("mystery.manifest.json", e.Message);
    }

    [Fact]
    public void Wrong_input_shape_in_manifest_names_file_and_difference()
    {
        using var dir = new TempDir();
        File.Copy(Shared.Model("embed-mobilefacenet-128.onnx"), dir.File("embed.onnx"));
        var card = BuiltInModelCards.FindById("mobilefacenet-128")!;
        (card with { Id = "bad", Input = card.Input with { Width = 96, Height = 96 } }).Save(dir.File("embed.manifest.json"));
        var entry = ModelCatalog.Identify(dir.File("embed.onnx"));
        var e = Assert.Throws<EdgeFaceException>(() => new SessionFactory(DeviceRequest.Cpu).Open(entry));
        Assert.Equal("embed.onnx: input 'input0' expected [1,3,96,96], model has [1,3,112,112]", e.Message);
    }

    [Fact]
    public void Hash_mismatch_names_both_hashes()
    {
        using var dir = new TempDir();
        File.Copy(Shared.Model("embed-mobilefacenet-128.onnx"), dir.File("embed.onnx"));
        var card = BuiltInModelCards.FindById("mobilefacenet-128")!;
        (card with { Sha256 = new string('0', 64) }).Save(dir.File("embed.manifest.json"));
        var e = Assert.Throws<EdgeFaceException>(() => new SessionFactory(DeviceRequest.Cpu).Open(ModelCatalog.Identify(dir.File("embed.onnx"))));
        Assert.Equal($"embed.onnx: hash mismatch: manifest says {new string('0', 64)}, file is {card.Sha256}", e.Message);
    }

    [Fact]
    public void Hashes_are_cached_by_path_size_and_time()
    {
        var path = Shared.Model("detect-yunet-s-640.onnx");
        var first = FileHash.Sha256(path);
        for (var i = 0; i < 1000; i++) Assert.Equal(first, FileHash.Sha256(path));
        Assert.Equal("8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4", first);
    }

    [Theory]
    [InlineData("auto", DeviceKind.Auto, 0)]
    [InlineData("cpu", DeviceKind.Cpu, 0)]
    [InlineData("directml:1", DeviceKind.DirectML, 1)]
    [InlineData("CUDA:2", DeviceKind.Cuda, 2)]
    public void Device_strings_parse(string text, DeviceKind kind, int id) => Assert.Equal(new DeviceRequest(kind, id), DeviceRequest.Parse(text));

    [Theory]
    [InlineData("gpu")]
    [InlineData("cpu:1")]
    [InlineData("cuda:x")]
    public void Unknown_device_is_an_error_naming_it(string text)
    {
        var e = Assert.Throws<EdgeFaceException>(() => DeviceRequest.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }
}
