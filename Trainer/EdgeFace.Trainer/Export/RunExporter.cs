using System.Security.Cryptography;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Evaluation;
using EdgeFace.Runtime.Models;
using EdgeFace.Trainer.Architectures;
using EdgeFace.Trainer.Data;
using EdgeFace.Trainer.Evaluation;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Export;

/// <summary>What an export wrote and measured.</summary>
public sealed record ExportResult(string OnnxPath, string ManifestPath, ModelManifest Manifest, EmbeddingSeparation Validation, ExportCheck Check);

/// <summary>
/// Exports a run's last checkpoint: embeds the held-out validation identities with the engine (eval mode) to
/// measure separation and calibrate the decision threshold, writes the BN-folded ONNX model, checks it against
/// the engine in ONNX Runtime (failing loudly beyond tolerance), and writes the Runtime's manifest beside it.
/// </summary>
public static class RunExporter
{
    /// <summary>Most validation images embedded (all pairs are scored, so this bounds the work).</summary>
    public const int MaxValidationImages = 2000;
    public const double CalibrationFar = 1e-3;

    /// <summary>
    /// One run makes one model; several runs make one ensemble model (<see cref="ExportedNetworks"/>). Members must be
    /// the same recipe (architecture, input, loss, data, steps; only seed, threads and output folder may differ), and
    /// their checkpoints must have reached the same step.
    /// </summary>
    /// <param name="id">Model id, also the file stem (default edgeface-ARCHITECTURE-DIM); letters, digits, '.', '_' and '-'.</param>
    public static ExportResult Export(IReadOnlyList<RunFolder> folders, string outDir, string command, Action<string>? progress = null, string? id = null)
    {
        if (folders.Count == 0) throw new EdgeFaceException("export needs at least one --run");
        if (id is not null && (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            throw new EdgeFaceException($"model id '{id}' may only hold letters, digits, '.', '_' and '-'");
        var loaded = folders.Select(TrainedModel.Load).ToArray();
        var (model, checkpoint) = loaded[0];
        var config = model.Config;
        for (var i = 1; i < loaded.Length; i++)
        {
            RequireSameRecipe(folders[0], config, folders[i], loaded[i].Model.Config);
            if (loaded[i].Checkpoint.Step != checkpoint.Step)
                throw new EdgeFaceException($"{folders[i].Path} stopped at step {loaded[i].Checkpoint.Step}, {folders[0].Path} at step {checkpoint.Step}; finish both (edgeface-train resume) before exporting them as one ensemble");
        }
        var networks = new ExportedNetworks(loaded.Select(l => l.Model.Network).ToArray());
        var selection = config.Data.Validation is { } v ? IdentitySelection.Parse(v) : IdentitySelection.Parse(config.Data.Train).Complement();
        var input = RunModel.InputOf(config);
        using var data = TrainingData.Open(config, selection);
        var validation = data.Data;
        // Separation is measured between identities; skilled forgeries are no identity of their own.
        var usable = Enumerable.Range(0, validation.Samples.Count).Where(i => !validation.Samples[i].IsForgery).Take(MaxValidationImages).ToArray();
        var count = usable.Length;
        var images = new float[count * networks.InputLength];
        for (var i = 0; i < count; i++) data.Loader.Load(validation, usable[i], images.AsSpan(i * networks.InputLength, networks.InputLength));
        var labels = usable.Select(i => validation.Samples[i].Label).ToArray();
        progress?.Invoke($"embedding {count} validation images of {validation.Identities.Count} held-out identities ({selection})"
                         + (networks.IsEnsemble ? $" with an ensemble of {networks.Members.Count} networks" : ""));
        var embeddings = networks.Embed(images, count);
        var separation = EmbeddingSeparation.Measure(embeddings, labels, networks.EmbeddingSize);
        progress?.Invoke($"validation: {separation}");

        var what = networks.IsEnsemble
            ? $"EdgeFace {config.Architecture}, ensemble of {networks.Members.Count} seeds ({string.Join(", ", loaded.Select(l => l.Model.Config.Seed))}), step {checkpoint.Step}"
            : $"EdgeFace {config.Architecture}, step {checkpoint.Step}";
        var onnx = OnnxExporter.ToOnnx(networks, what);
        var check = ExportVerifier.Verify(networks, onnx, images, Math.Min(count, 8));
        if (!check.Passed)
            throw new EdgeFaceException(FormattableString.Invariant(
                $"export check failed: ONNX Runtime differs from the engine by {check.MaxAbsDifference:G3} (outputs up to {check.MaxReference:G3}; normalised {check.MaxNormalizedDifference:G3}); nothing was written"));
        progress?.Invoke(FormattableString.Invariant($"ONNX Runtime matches the engine: max |diff| {check.MaxAbsDifference:G3} on {check.RandomInputs} random + {check.RealInputs} real inputs"));

        Directory.CreateDirectory(outDir);
        id ??= $"edgeface-{config.Architecture}-{networks.EmbeddingSize}";
        var onnxPath = Path.Combine(outDir, id + ".onnx");
        WriteBytes(onnxPath, onnx);
        var threshold = Calibrate(separation, validation, selection);
        var manifest = new ModelManifest
        {
            Id = id,
            Task = ArchitectureFactory.IsSignature(config.Architecture) ? ModelTask.SignatureEmbedder : ModelTask.FaceEmbedder,
            Family = ArchitectureFactory.IsSignature(config.Architecture) ? "signet" : "arcface",
            File = Path.GetFileName(onnxPath),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)),
            Input = input,
            Output = new ModelOutput { Name = OnnxExporter.OutputName, Size = networks.EmbeddingSize, Normalized = false },
            Metric = Metric.Cosine,
            Thresholds = new Dictionary<string, CalibratedThreshold> { ["default"] = threshold },
            // The folder name only: an absolute path would leak the training machine's layout into a shipped manifest.
            License = config.Provenance?.License
                      ?? $"trained by EdgeFace on {Path.GetFileName(config.Data.Root.TrimEnd('/'))} (identities {config.Data.Train}); the training data's terms apply",
            Source = config.Provenance?.Source ?? $"{command}; config: {config.ToJson().ReplaceLineEndings(" ")}",
            Notes = (networks.IsEnsemble ? $"ensemble of {networks.Members.Count} × " : "") + $"{config.Architecture}, {config.Loss.Type} loss, {checkpoint.Step} steps; validation {separation}",
        };
        var manifestPath = Path.Combine(outDir, id + ModelManifest.FileSuffix);
        try { manifest.Save(manifestPath); }
        catch (IOException e) when (Runtime.Cli.CliHost.IsDiskFull(e)) { throw new EdgeFaceException($"disk full while writing {manifestPath}", e); }
        return new ExportResult(onnxPath, manifestPath, manifest, separation, check);
    }

    private static void RequireSameRecipe(RunFolder firstRun, TrainConfig first, RunFolder run, TrainConfig other)
    {
        // Compare everything but what legitimately differs between members.
        var a = (first with { Seed = 0, Threads = 0, Output = "", Provenance = null }).ToJson();
        var b = (other with { Seed = 0, Threads = 0, Output = "", Provenance = null }).ToJson();
        if (a != b) throw new EdgeFaceException($"{run.Path} is not the same recipe as {firstRun.Path} (ensemble members may differ only in seed and threads)");
        if (first.Seed == other.Seed) throw new EdgeFaceException($"{run.Path} and {firstRun.Path} have the same seed {first.Seed}; ensemble members need different seeds");
    }

    /// <summary>The threshold for FAR 1e-3 when there are enough impostor pairs to measure it, else the EER point.</summary>
    private static CalibratedThreshold Calibrate(EmbeddingSeparation s, ILabeledDataset validation, IdentitySelection selection)
    {
        var data = $"{validation.Root} identities {selection}, {s.Images} images ({s.Roc.GenuineCount} genuine / {s.Roc.ImpostorCount} impostor pairs)";
        if (s.Roc.ImpostorCount * CalibrationFar >= 1)
        {
            var c = ThresholdCalibration.AtFar(s.Roc, CalibrationFar);
            return new CalibratedThreshold { Value = c.Threshold, Far = c.AchievedFar, Frr = c.Frr, Data = data, Note = "FAR 1e-3 on held-out identities", CalibratedAt = DateTimeOffset.UtcNow };
        }
        return new CalibratedThreshold { Value = s.EerThreshold, Far = s.Eer, Frr = s.Eer, Data = data, Note = "equal-error point (too few impostor pairs for FAR 1e-3)", CalibratedAt = DateTimeOffset.UtcNow };
    }

    private static void WriteBytes(string path, byte[] bytes)
    {
        var tmp = path + ".tmp";
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        catch (IOException e) when (Runtime.Cli.CliHost.IsDiskFull(e))
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw new EdgeFaceException($"disk full while writing {path}", e);
        }
    }
}
