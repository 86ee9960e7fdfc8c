using System.Text.Json;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Models;
using EdgeFace.TestSupport;
using OpenCvSharp;

namespace EdgeFace.Cli.Tests;

public class FaceCommandTests
{
    private static string Models => SharedData.Models();
    private static string Lfw(string name, int n) => Shared.Face("lfw", "images", name, $"{name}_{n:D4}.jpg");

    private static CliResult Edgeface(params string[] args) => CliProcess.Run("edgeface", args);

    /// <summary>A user error: exit 2, exactly one line on stderr, no stack trace, and the line says what is wrong.</summary>
    private static void AssertOneLineError(CliResult r, params string[] expected)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        var lines = r.Stderr.Trim().Split('\n');
        Assert.True(lines.Length == 1, r.ToString());
        Assert.DoesNotContain("   at ", r.Stderr);
        foreach (var e in expected) Assert.Contains(e, lines[0]);
    }

    [Fact]
    public void Detect_json_lists_one_face_with_landmarks_and_writes_annotation()
    {
        using var dir = new TempDir();
        var annotated = dir.File("faces.png");
        var r = Edgeface("detect", Lfw("Aaron_Peirsol", 1), "--json", "--models", Models, "--annotate", annotated);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var face = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.True(face.GetProperty("score").GetDouble() > 0.6);
        var left = face.GetProperty("landmarks").GetProperty("left_eye")[0].GetDouble();
        var right = face.GetProperty("landmarks").GetProperty("right_eye")[0].GetDouble();
        Assert.True(left < right);
        using var image = Cv2.ImRead(annotated);
        Assert.Equal(new Size(160, 160), image.Size());
    }

    [Fact]
    public void Verify_says_same_and_different_and_exits_zero_both_times()
    {
        var same = Edgeface("verify", Lfw("Aaron_Peirsol", 1), Lfw("Aaron_Peirsol", 2), "--json", "--models", Models);
        Assert.True(same.ExitCode == 0, same.ToString());
        using var s = JsonDocument.Parse(same.Stdout);
        Assert.Equal("same", s.RootElement.GetProperty("decision").GetString());
        Assert.Equal(BuiltInModelCards.FindById("mobilefacenet-128")!.Thresholds["default"].Value, s.RootElement.GetProperty("threshold").GetDouble());

        var different = Edgeface("verify", Lfw("Aaron_Peirsol", 1), Lfw("Abel_Pacheco", 1), "--models", Models, "--threshold", "0.3");
        Assert.True(different.ExitCode == 0, different.ToString());
        Assert.StartsWith("different", different.Stdout);
        Assert.Contains("threshold 0.3000", different.Stdout);
    }

    [Fact]
    public void Embed_writes_a_unit_vector_as_binary_and_json()
    {
        using var dir = new TempDir();
        var bin = dir.File("e.bin");
        var r = Edgeface("embed", Lfw("Aaron_Peirsol", 1), "--out", bin, "--flip", "--models", Models);
        Assert.True(r.ExitCode == 0, r.ToString());
        var bytes = File.ReadAllBytes(bin);
        Assert.Equal(128 * 4, bytes.Length);
        var v = new float[128];
        Buffer.BlockCopy(bytes, 0, v, 0, bytes.Length);
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4);

        var json = Edgeface("embed", Lfw("Aaron_Peirsol", 1), "--flip", "--models", Models);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("mobilefacenet-128", doc.RootElement.GetProperty("model").GetString());
        var fromJson = doc.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(v, fromJson);
    }

    [Fact]
    public void Explicit_directml_falls_back_to_cpu_with_a_note_and_still_answers()
    {
        var r = Edgeface("verify", Lfw("Aaron_Peirsol", 1), Lfw("Aaron_Peirsol", 2), "--device", "directml", "--models", Models);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("same", r.Stdout);
        Assert.Contains("directml:0 unavailable for embed-mobilefacenet-128.onnx: DirectML is not in this build", r.Stderr);
    }

    [Fact]
    public void Corrupt_image_is_one_line_error()
    {
        using var dir = new TempDir();
        var path = dir.File("noise.jpg");
        File.WriteAllBytes(path, BadImages.Random(5000));
        AssertOneLineError(Edgeface("detect", path, "--models", Models), path, "not a readable image");
    }

    [Fact]
    public void Corrupt_png_body_is_one_line_error()
    {
        using var dir = new TempDir();
        var path = dir.File("broken.png");
        var png = File.ReadAllBytes(Shared.Face("yale", "subject01", "happy.png"));
        BadImages.Random(png.Length - 200).CopyTo(png, 100);
        File.WriteAllBytes(path, png);
        AssertOneLineError(Edgeface("detect", path, "--models", Models), path, "not a readable image", "checksum mismatch");
    }

    [Fact]
    public void Empty_image_is_one_line_error()
    {
        using var dir = new TempDir();
        var path = dir.File("empty.jpg");
        File.WriteAllBytes(path, []);
        AssertOneLineError(Edgeface("embed", path, "--models", Models), path, "empty file");
    }

    [Fact]
    public void Truncated_jpeg_is_one_line_error()
    {
        using var dir = new TempDir();
        var path = dir.File("half.jpg");
        File.WriteAllBytes(path, BadImages.Truncated(Lfw("Aaron_Peirsol", 1)));
        AssertOneLineError(Edgeface("verify", path, Lfw("Aaron_Peirsol", 2), "--models", Models), path, "truncated JPEG");
    }

    [Fact]
    public void Enormous_image_header_is_refused_before_decoding()
    {
        using var dir = new TempDir();
        var path = dir.File("huge.png");
        File.WriteAllBytes(path, BadImages.HugePng());
        AssertOneLineError(Edgeface("detect", path, "--models", Models), path, "60000x60000", "megapixel limit");
    }

    [Fact]
    public void No_face_names_the_image_and_exits_two()
    {
        using var dir = new TempDir();
        var path = dir.File("grey.png");
        using (var grey = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(128))) Cv2.ImWrite(path, grey);
        AssertOneLineError(Edgeface("verify", Lfw("Aaron_Peirsol", 1), path, "--models", Models), path, "no face found");
    }

    [Fact]
    public void Missing_image_is_one_line_error()
    {
        AssertOneLineError(Edgeface("detect", "/nonexistent/face.jpg", "--models", Models), "image not found: /nonexistent/face.jpg");
    }

    [Fact]
    public void Unknown_device_is_one_line_error()
    {
        AssertOneLineError(Edgeface("detect", Lfw("Aaron_Peirsol", 1), "--device", "tpu", "--models", Models), "unknown device 'tpu'");
    }

    [Fact]
    public void Random_bytes_named_onnx_are_refused_with_or_without_manifest()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("junk.onnx"), BadImages.Random(4096));
        AssertOneLineError(Edgeface("embed", Lfw("Aaron_Peirsol", 1), "--models", dir.Path, "--models", Models, "--embedder", "junk"), "junk.onnx", "unknown model");

        var card = BuiltInModelCards.FindById("mobilefacenet-128")!;
        (card with { Id = "junk", Sha256 = FileHash.Sha256(dir.File("junk.onnx")) }).Save(dir.File("junk.manifest.json"));
        AssertOneLineError(Edgeface("embed", Lfw("Aaron_Peirsol", 1), "--models", dir.Path, "--models", Models, "--embedder", "junk"),
            "junk.onnx", "not a loadable ONNX model");
    }

    [Fact]
    public void Real_model_with_wrong_hash_or_shape_in_its_manifest_is_refused()
    {
        using var dir = new TempDir();
        File.Copy(Shared.Model("embed-mobilefacenet-128.onnx"), dir.File("embed.onnx"));
        var card = BuiltInModelCards.FindById("mobilefacenet-128")!;
        (card with { Id = "mine", Sha256 = new string('a', 64) }).Save(dir.File("embed.manifest.json"));
        AssertOneLineError(Edgeface("embed", Lfw("Aaron_Peirsol", 1), "--models", dir.Path, "--models", Models),
            "embed.onnx: hash mismatch: manifest says aaaa", card.Sha256);

        (card with { Id = "mine", Input = card.Input with { Width = 96, Height = 96 } }).Save(dir.File("embed.manifest.json"));
        AssertOneLineError(Edgeface("embed", Lfw("Aaron_Peirsol", 1), "--models", dir.Path, "--models", Models),
            "embed.onnx: input 'input0' expected [1,3,96,96], model has [1,3,112,112]");
    }

    [Fact]
    public void Malformed_manifest_is_one_line_error()
    {
        using var dir = new TempDir();
        File.Copy(Shared.Model("embed-mobilefacenet-128.onnx"), dir.File("embed.onnx"));
        File.WriteAllText(dir.File("embed.manifest.json"), "{ \"id\": ");
        AssertOneLineError(Edgeface("embed", Lfw("Aaron_Peirsol", 1), "--models", dir.Path, "--models", Models, "--embedder", "embed"), "embed.manifest.json", "not a valid model manifest");
    }

    [Fact]
    public void Missing_models_folder_is_one_line_error()
    {
        AssertOneLineError(Edgeface("detect", Lfw("Aaron_Peirsol", 1), "--models", "/nonexistent/models"), "models folder not found: /nonexistent/models");
    }

    [Fact]
    public void Calibration_on_orl_meets_the_asked_far_and_writes_a_manifest_beside_the_model()
    {
        using var dir = new TempDir();
        File.Copy(Shared.Model("embed-mobilefacenet-128.onnx"), dir.File("embed-mobilefacenet-128.onnx"));
        File.Copy(Shared.Model("detect-yunet-s-640.onnx"), dir.File("detect-yunet-s-640.onnx"));
        var r = Edgeface("calibrate", "--folder", Shared.Data("faces", "orl"), "--far", "0.01", "--json", "--write", "--models", dir.Path);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal(1800, root.GetProperty("genuine_pairs").GetInt32());
        Assert.Equal(78000, root.GetProperty("impostor_pairs").GetInt32());
        Assert.True(root.GetProperty("achieved_far").GetDouble() <= 0.01);
        var threshold = root.GetProperty("threshold").GetDouble();

        var manifest = ModelManifest.Load(dir.File("embed-mobilefacenet-128.manifest.json"));
        Assert.Equal(threshold, manifest.DefaultThreshold.Value);
        Assert.Equal(0.01, manifest.DefaultThreshold.Far);
        Assert.Contains("orl", manifest.DefaultThreshold.Data);

        // The written manifest now drives verify's default decision.
        var v = Edgeface("verify", Lfw("Aaron_Peirsol", 1), Lfw("Aaron_Peirsol", 2), "--json", "--models", dir.Path);
        using var vd = JsonDocument.Parse(v.Stdout);
        Assert.Equal(threshold, vd.RootElement.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public void Lfw_first_two_folds_guard_accuracy()
    {
        var lfw = Shared.Data("faces", "lfw");
        var r = Edgeface("eval", "lfw", "--pairs", Path.Combine(lfw, "pairs.txt"), "--images", Path.Combine(lfw, "images"), "--limit-folds", "2", "--json", "--models", Models);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal(1200, root.GetProperty("pairs").GetInt32());
        Assert.True(root.GetProperty("accuracy").GetDouble() >= 0.98, r.Stdout);
        Assert.True(root.GetProperty("auc").GetDouble() > 0.99, r.Stdout);
        foreach (var key in new[] { "accuracy_std", "tar_at_far_1e-3", "eer", "not_detected", "timing_ms" }) Assert.True(root.TryGetProperty(key, out _), key);
    }

    [Fact]
    public void Models_lists_builtin_cards_and_marks_defaults()
    {
        var r = Edgeface("models", "--models", Models, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(10, models.Count(m => m.GetProperty("origin").GetString() == "built-in card"));
        var defaults = models.Where(m => m.GetProperty("default").GetBoolean()).Select(m => m.GetProperty("id").GetString()!).Order().ToArray();
        Assert.Equal(new[] { "mobilefacenet-128", "yunet-s-640" }, defaults);
    }
}
