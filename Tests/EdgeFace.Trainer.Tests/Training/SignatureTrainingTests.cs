using EdgeFace.Runtime.Models;
using EdgeFace.Runtime.Signatures;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Data;
using EdgeFace.Trainer.Export;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Tests.Training;

/// <summary>
/// Signature training as the shipped model is trained (data kind "signatures": the Runtime's cleaner as preprocessing,
/// skilled forgeries as negative-only triplet samples), and the parity the shipped model relies on: what the engine
/// computes in eval mode is what the Runtime computes from the exported ONNX model found on its model search path.
/// The shipped model itself passed the same export check (≤ 1e-4) when it was exported; its training checkpoint is
/// not committed, so this test re-creates the chain end to end on a short run of the same architecture and config path.
/// </summary>
public sealed class SignatureTrainingTests
{
    private static string SigComp => Shared.Data("signatures", "sigcomp2011");

    private static TrainConfig Config(TempDir dir, int forgeries = 1) => TrainConfig.Parse($$"""
        {
          "architecture": "signet-small", "embedding_size": 32,
          "input": { "mean": 0, "std": 1 },
          "loss": { "type": "triplet", "margin": 0.2, "mining": "semi-hard" },
          "data": { "kind": "signatures", "root": "{{SigComp}}", "train": "001-006", "validation": "041-042" },
          "batch": { "p": 2, "k": 2, "forgeries": {{forgeries}} },
          "augmentation": "signatures",
          "optimizer": { "type": "adamw", "learning_rate": 0.001 },
          "steps": 2, "threads": 2, "checkpoint_every": 2, "seed": 3,
          "output": "{{dir.File("run")}}",
          "provenance": { "license": "test licence", "source": "test reproduce command" }
        }
        """, "test") with { Output = dir.File("run") };

    [Fact]
    public void Batches_hold_forgeries_of_the_batch_writers_as_negative_only_samples()
    {
        var data = SignatureDataset.Open(SigComp, writers: IdentitySelection.Parse("001-006"));
        var sampler = new ForgeryNegativeSampler(data, 2, 3, 2, seed: 5);
        Assert.Equal(2 * 3 + 2 * 2, sampler.BatchSize);
        var indices = new int[sampler.BatchSize];
        var seeds = new ulong[sampler.BatchSize];
        for (var b = 0; b < 6; b++)
        {
            sampler.Next(indices, seeds);
            var writers = indices[..6].Select(i => data.Samples[i]).ToList();
            Assert.All(writers, s => Assert.False(s.IsForgery));
            for (var w = 0; w < 2; w++)
                for (var j = 0; j < 2; j++)
                {
                    var f = data.Samples[indices[6 + w * 2 + j]];
                    var target = writers[w * 3].Label;
                    if (data.ForgeriesOf(target).Count == 0) continue;
                    Assert.True(f.IsForgery && f.Label == target);
                    Assert.True(ForgeryNegativeSampler.LabelOf(f) < 0);
                }
        }
    }

    [Fact]
    public void Exported_signature_model_on_the_search_path_matches_the_engine()
    {
        using var dir = new TempDir();
        var config = Config(dir);
        using (var run = TrainingRun.Start(config)) run.Train();
        var export = RunExporter.Export([new RunFolder(config.Output)], dir.File("models"), "test", id: "signature-parity-test");
        Assert.True(export.Check.Passed);
        Assert.Equal(ModelTask.SignatureEmbedder, export.Manifest.Task);
        // The config's provenance, not this machine's paths, goes into the manifest.
        Assert.Equal("test licence", export.Manifest.License);
        Assert.Equal("test reproduce command", export.Manifest.Source);

        // The Runtime's way in: model search path, manifest, its own cleaner.
        using var model = SignatureModel.Open(null, [dir.File("models")]);
        Assert.Equal("signature-parity-test", model.Id);
        var (trained, _) = TrainedModel.Load(new RunFolder(config.Output));
        var engine = new EvalEmbedder(trained.Network);
        using var cleaner = new SignatureCleaner();
        foreach (var file in new[] { "041/genuine/01_041.png", "042/forged/01_0113042.png", "041/genuine/07_041.png" })
        {
            var path = Path.Combine(SigComp, file);
            if (!File.Exists(path)) path = Directory.GetFiles(Path.GetDirectoryName(path)!, "*.png")[0];
            var canvas = new float[SignatureCleaner.PixelCount];
            var runtime = model.EmbedFile(cleaner, path, canvas);
            var reference = engine.Embed(canvas, 1);
            var norm = (float)Math.Sqrt(reference.Sum(v => (double)v * v));
            for (var i = 0; i < reference.Length; i++) reference[i] /= norm;
            for (var i = 0; i < runtime.Length; i++) Assert.True(Math.Abs(runtime[i] - reference[i]) <= 1e-4, $"{file} [{i}]: {runtime[i]} vs {reference[i]}");
        }
    }

    /// <summary>
    /// A seed ensemble the way the shipped model is built: the same config trained under two seeds (`train --seed
    /// --output`), exported with two `--run`s into one ONNX model that the Runtime loads like any other.
    /// </summary>
    [Fact]
    public void Seed_ensemble_through_the_cli_loads_in_the_runtime_and_matches_the_engine()
    {
        using var dir = new TempDir();
        var configFile = dir.File("config.json");
        File.WriteAllText(configFile, Config(dir).ToJson());
        foreach (var seed in new[] { "4", "9" })
        {
            var train = CliProcess.Run("edgeface-train", ["train", "--config", configFile, "--seed", seed, "--output", dir.File("run-" + seed)]);
            Assert.True(train.ExitCode == 0, train.ToString());
        }
        var export = CliProcess.Run("edgeface-train",
            ["export", "--run", dir.File("run-4"), "--run", dir.File("run-9"), "--out", dir.File("models"), "--id", "signature-ensemble-test"]);
        Assert.True(export.ExitCode == 0, export.ToString());
        var manifest = ModelManifest.Load(Path.Combine(dir.File("models"), "signature-ensemble-test" + ModelManifest.FileSuffix));
        Assert.Equal(64, manifest.Output?.Size);
        Assert.Contains("ensemble of 2", manifest.Notes ?? "");

        using var model = SignatureModel.Open(null, [dir.File("models")]);
        var members = new[] { "run-4", "run-9" }.Select(r => TrainedModel.Load(new RunFolder(dir.File(r))).Model.Network).ToArray();
        Assert.NotEqual(members[0].Parameters.Values.ToArray(), members[1].Parameters.Values.ToArray());
        var engine = new ExportedNetworks(members);
        using var cleaner = new SignatureCleaner();
        var canvas = new float[SignatureCleaner.PixelCount];
        var runtime = model.EmbedFile(cleaner, Directory.GetFiles(Path.Combine(SigComp, "041", "genuine"), "*.png")[0], canvas);
        var reference = engine.Embed(canvas, 1);
        Assert.Equal(64, runtime.Length);
        // Each member is unit length, so the whole is √2 long before the Runtime's own normalisation.
        for (var i = 0; i < 64; i++) Assert.True(Math.Abs(runtime[i] - reference[i] / Math.Sqrt(2)) <= 1e-4, $"[{i}]: {runtime[i]} vs {reference[i] / Math.Sqrt(2)}");
    }

    [Fact]
    public void Ensemble_of_one_seed_twice_or_of_two_recipes_is_refused()
    {
        using var dir = new TempDir();
        var configFile = dir.File("config.json");
        File.WriteAllText(configFile, Config(dir).ToJson());
        var other = dir.File("other.json");
        File.WriteAllText(other, (Config(dir) with { Steps = 3 }).ToJson());
        foreach (var (file, run, seed) in new[] { (configFile, "a", "4"), (configFile, "b", "4"), (other, "c", "5") })
            Assert.Equal(0, CliProcess.Run("edgeface-train", ["train", "--config", file, "--seed", seed, "--output", dir.File(run)]).ExitCode);

        var same = CliProcess.Run("edgeface-train", ["export", "--run", dir.File("a"), "--run", dir.File("b"), "--out", dir.File("models")]);
        Assert.Equal(2, same.ExitCode);
        Assert.Contains("same seed 4", same.Stderr);
        var mixed = CliProcess.Run("edgeface-train", ["export", "--run", dir.File("a"), "--run", dir.File("c"), "--out", dir.File("models")]);
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("not the same recipe", mixed.Stderr);
        Assert.Single(mixed.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.File("models")));

        // A member cut short (its run asks for 2 steps, its checkpoint holds 1) is refused too.
        var shortConfig = dir.File("short.json");
        File.WriteAllText(shortConfig, (Config(dir) with { Steps = 1 }).ToJson());
        Assert.Equal(0, CliProcess.Run("edgeface-train", ["train", "--config", shortConfig, "--seed", "6", "--output", dir.File("e")]).ExitCode);
        var runConfig = Path.Combine(dir.File("e"), "config.json");
        File.WriteAllText(runConfig, File.ReadAllText(runConfig).Replace("\"steps\": 1,", "\"steps\": 2,"));
        var cut = CliProcess.Run("edgeface-train", ["export", "--run", dir.File("a"), "--run", dir.File("e"), "--out", dir.File("models")]);
        Assert.Equal(2, cut.ExitCode);
        Assert.Contains("stopped at step 1", cut.Stderr);

        var badSeed = CliProcess.Run("edgeface-train", ["train", "--config", configFile, "--seed", "-3", "--output", dir.File("d")]);
        Assert.Equal(2, badSeed.ExitCode);
        Assert.Contains("--seed must be a non-negative integer", badSeed.Stderr);
    }
}
