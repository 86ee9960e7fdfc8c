using System.Globalization;
using System.Text.Json;
using EdgeFace.Runtime.Models;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Data;
using EdgeFace.Trainer.Evaluation;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Tests.Training;

/// <summary>
/// Real training on ORL through the real CLI: the loss falls, and the exported ONNX model, loaded through its
/// manifest and run in ONNX Runtime, separates ten held-out identities clearly better than the untrained network.
/// </summary>
public class OrlTrainingTests
{
    [Fact]
    public void Training_on_orl_separates_held_out_identities()
    {
        using var dir = new TempDir();
        var configPath = RunConfigs.Write(dir, "config.json", RunConfigs.OrlArcFace(100, "run"));
        var train = CliProcess.Run("edgeface-train", ["train", "--config", configPath], timeout: TimeSpan.FromMinutes(8));
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("step 100/100", train.Stderr);
        Assert.Contains("img/s", train.Stderr);

        var run = new RunFolder(dir.File("run"));
        var history = TrainingHistory.FromCsv(File.ReadAllText(run.History));
        var (first, last) = history.LossEnds(10);
        Assert.True(last < 0.7 * first, $"loss {first} -> {last}");
        Assert.True(new FileInfo(run.Curves).Length > 1000);

        var export = CliProcess.Run("edgeface-train", ["export", "--run", run.Path], timeout: TimeSpan.FromMinutes(3));
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("ONNX Runtime matches the engine", export.Stderr);
        var onnx = Directory.GetFiles(run.File("model"), "*.onnx").Single();

        // The Runtime's view: manifest beside the model, hash checked, calibrated threshold with provenance.
        var manifest = ModelEvaluator.LoadManifest(onnx);
        Assert.Equal(ModelTask.FaceEmbedder, manifest.Task);
        Assert.Equal(64, manifest.Output!.Size);
        Assert.Contains("s31-s40", manifest.DefaultThreshold.Data);
        Assert.StartsWith("trained by EdgeFace on orl", manifest.License);

        var eval = CliProcess.Run("edgeface-train", ["eval", "--model", onnx, "--data", RunConfigs.Orl, "--identities", "s31-s40", "--json"]);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        using var json = JsonDocument.Parse(eval.Stdout);
        var auc = json.RootElement.GetProperty("auc").GetDouble();
        var gap = json.RootElement.GetProperty("gap").GetDouble();

        var eer = json.RootElement.GetProperty("eer").GetDouble();
        var untrained = UntrainedSeparation(TrainConfig.Load(configPath));
        var report = string.Create(CultureInfo.InvariantCulture,
            $"held-out trained vs untrained: AUC {auc:F3} vs {untrained.Auc:F3}, EER {eer:F3} vs {untrained.Eer:F3}, gap {gap:F3} vs {untrained.Gap:F3}");
        // Raw ORL pixels already separate somewhat (untrained AUC ~0.87), so demand a clear step beyond that.
        Assert.True(auc >= untrained.Auc + 0.04 && auc >= 0.9, report);
        Assert.True(eer <= 0.75 * untrained.Eer, report);
        Assert.True(gap >= untrained.Gap + 0.2, report);
    }

    /// <summary>The same network, same seed, before any step, embedding the held-out identities in eval mode.</summary>
    private static EmbeddingSeparation UntrainedSeparation(TrainConfig config)
    {
        var model = RunModel.Create(config, 30);
        var data = FolderDataset.Open(config.Data.Root, IdentitySelection.Parse("s31-s40"));
        var length = model.Network.InputLength;
        var images = new float[data.Samples.Count * length];
        using (var loader = new SampleLoader(RunModel.InputOf(config)))
            for (var i = 0; i < data.Samples.Count; i++) loader.Load(data, i, images.AsSpan(i * length, length));
        var embeddings = new EvalEmbedder(model.Network).Embed(images, data.Samples.Count);
        return EmbeddingSeparation.Measure(embeddings, data.Samples.Select(s => s.Label).ToArray(), model.Network.EmbeddingSize);
    }
}
