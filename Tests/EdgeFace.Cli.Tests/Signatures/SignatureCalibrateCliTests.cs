using EdgeFace.Runtime.Models;
using EdgeFace.Runtime.Signatures;
using EdgeFace.TestSupport;

namespace EdgeFace.Cli.Tests.Signatures;

/// <summary>
/// <c>edgeface signature calibrate</c> through the real CLI, on a copy of the shipped model and SigComp2011 validation
/// writers: it writes α, μ and the threshold with their provenance into the manifest and leaves the ONNX file alone.
/// </summary>
public sealed class SignatureCalibrateCliTests
{
    private static string CopyShippedModel(TempDir dir)
    {
        var entry = ModelCatalog.Scan().Resolve(ModelTask.SignatureEmbedder);
        var manifest = entry.RequireManifest();
        File.Copy(entry.Path, dir.File(Path.GetFileName(entry.Path)));
        var copy = dir.File(manifest.Id + ModelManifest.FileSuffix);
        manifest.Save(copy);
        return copy;
    }

    [Fact]
    public void Calibration_over_several_draws_is_written_into_the_manifest()
    {
        using var dir = new TempDir();
        var manifestPath = CopyShippedModel(dir);
        var before = ModelManifest.Load(manifestPath);

        var r = CliProcess.Run("edgeface", ["signature", "calibrate", "--model", manifestPath, "--writers", "041-044", "--refs", "3",
            "--alpha", "0,0.5", "--draws", "2"]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("α=0: skilled EER ", r.Stdout);
        Assert.Contains("α=0.5: skilled EER ", r.Stdout);
        Assert.Contains("(mean of 2 draws)", r.Stdout);
        var after = ModelManifest.Load(manifestPath);
        Assert.Equal(before.Sha256, after.Sha256);
        Assert.Equal(FileHash.Sha256(dir.File(Path.GetFileName(after.File!))), after.Sha256, ignoreCase: true);
        var t = after.Thresholds["default"];
        Assert.Contains("writers 041-044 (4 writers), R=3 references (2 draws, seeds 1-2)", t.Data);
        Assert.InRange(t.Value, -1, 1);
        Assert.InRange(t.Far!.Value, 0, 1);
        Assert.InRange(t.Frr!.Value, 0, 1);
        Assert.Contains(after.Parameters[SignatureModel.AlphaParameter], new[] { 0, 0.5 });
        Assert.InRange(after.Parameters[SignatureModel.MuParameter], -1, 1);
        Assert.Equal(before.License, after.License);
        Assert.Equal(before.Source, after.Source);
    }

    [Theory]
    [InlineData(new[] { "--draws", "0" }, "reference draws must be between 1 and 100, got 0")]
    [InlineData(new[] { "--refs", "3,5" }, "--refs takes one reference count for calibration, got '3,5'")]
    [InlineData(new[] { "--alpha", "0,x" }, "--alpha must list numbers between 0 and 10, got 'x'")]
    [InlineData(new[] { "--refs", "12" }, "writer 041 has 12 genuine signatures; 12 references leave no genuine query")]
    public void Bad_input_is_one_line_and_leaves_the_manifest_as_it_was(string[] options, string message)
    {
        using var dir = new TempDir();
        var manifestPath = CopyShippedModel(dir);
        var before = File.ReadAllText(manifestPath);
        var r = CliProcess.Run("edgeface", ["signature", "calibrate", "--model", manifestPath, .. options]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal($"edgeface signature calibrate: {message}", r.Stderr.Trim());
        Assert.Equal(before, File.ReadAllText(manifestPath));
    }
}
