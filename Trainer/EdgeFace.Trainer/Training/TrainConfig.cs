using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeFace.Runtime;
using EdgeFace.Trainer.Architectures;

namespace EdgeFace.Trainer.Training;

/// <summary>
/// A training run's configuration, read from a JSON file (snake_case keys). Unknown keys are errors, and every
/// invalid value is reported with its key, so a typo never silently falls back to a default.
/// </summary>
public sealed record TrainConfig
{
    public string Architecture { get; init; } = "mobilefacenet";
    /// <summary>0 = the architecture's default (128, or 512 for resnet18-face).</summary>
    public int EmbeddingSize { get; init; }
    public InputConfig Input { get; init; } = new();
    public LossConfig Loss { get; init; } = new();
    public DataConfig Data { get; init; } = new();
    public BatchConfig Batch { get; init; } = new();
    /// <summary>"faces", "signatures" or "none".</summary>
    public string Augmentation { get; init; } = "faces";
    public OptimizerConfig Optimizer { get; init; } = new();
    public ScheduleConfig Schedule { get; init; } = new();
    /// <summary>Global gradient-norm limit; 0 disables clipping.</summary>
    public float ClipGradNorm { get; init; } = 5f;
    /// <summary>Total optimizer steps; when 0, <see cref="Epochs"/> decides.</summary>
    public int Steps { get; init; }
    public int Epochs { get; init; }
    public ulong Seed { get; init; } = 1;
    /// <summary>0 = all processors.</summary>
    public int Threads { get; init; }
    public int CheckpointEvery { get; init; } = 200;
    /// <summary>Run folder (checkpoints, curves, exported model). Relative paths are relative to the config file.</summary>
    public string Output { get; init; } = "";
    /// <summary>What an exported manifest says about the model's origin; without it the export writes a generic
    /// licence line and its own command line, which hold this machine's paths.</summary>
    public ProvenanceConfig? Provenance { get; init; }

    public sealed record ProvenanceConfig
    {
        /// <summary>The manifest's <c>license</c>: the terms the weights come with.</summary>
        public string? License { get; init; }
        /// <summary>The manifest's <c>source</c>: the command that reproduces the model.</summary>
        public string? Source { get; init; }
    }

    public sealed record InputConfig
    {
        /// <summary>0 = the architecture's own size.</summary>
        public int Channels { get; init; }
        public int Height { get; init; }
        public int Width { get; init; }
        /// <summary>Per-channel (pixel/255 − mean)/std.</summary>
        public float Mean { get; init; } = 0.5f;
        public float Std { get; init; } = 0.5f;
    }

    public sealed record LossConfig
    {
        /// <summary>arcface, cosface, softmax, triplet, contrastive.</summary>
        public string Type { get; init; } = "arcface";
        public float? Scale { get; init; }
        public float? Margin { get; init; }
        public bool EasyMargin { get; init; }
        /// <summary>Triplet mining: batch-hard or semi-hard.</summary>
        public string Mining { get; init; } = "batch-hard";
        /// <summary>Triplet with skilled forgeries: also push each anchor's nearest own-writer forgery this far (null: off).</summary>
        public float? ForgeryMargin { get; init; }
    }

    public sealed record DataConfig
    {
        /// <summary>"folders" (one sub-folder of images per identity) or "signatures" (SigComp2011 layout: writer/genuine, writer/forged; images go through the Runtime's SignatureCleaner).</summary>
        public string Kind { get; init; } = "folders";
        public string Root { get; init; } = "";
        /// <summary>Identity selection for training (e.g. "s1-s30").</summary>
        public string Train { get; init; } = "all";
        /// <summary>Held-out identities for calibration and evaluation; default: the complement of <see cref="Train"/>.</summary>
        public string? Validation { get; init; }
    }

    public sealed record BatchConfig
    {
        public int P { get; init; } = 8;
        public int K { get; init; } = 4;
        /// <summary>Signatures only: skilled forgeries of each batch writer added as negative-only samples (triplet loss).</summary>
        public int Forgeries { get; init; }
    }

    public sealed record OptimizerConfig
    {
        /// <summary>sgd or adamw.</summary>
        public string Type { get; init; } = "sgd";
        public float LearningRate { get; init; } = 0.1f;
        public float Momentum { get; init; } = 0.9f;
        public bool Nesterov { get; init; } = true;
        public float? WeightDecay { get; init; }
        public float Beta1 { get; init; } = 0.9f;
        public float Beta2 { get; init; } = 0.999f;
    }

    public sealed record ScheduleConfig
    {
        public int WarmupSteps { get; init; } = 100;
        /// <summary>cosine, step or constant.</summary>
        public string Decay { get; init; } = "cosine";
        public int StepSize { get; init; } = 1000;
        public float Gamma { get; init; } = 0.1f;
        public float MinLearningRate { get; init; }
    }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads and validates a config; relative data/output paths are resolved against the file's folder.</summary>
    public static TrainConfig Load(string path)
    {
        if (!File.Exists(path)) throw new EdgeFaceException($"config file not found: {path}");
        var config = Parse(File.ReadAllText(path), path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return config with
        {
            Data = config.Data with { Root = Path.GetFullPath(config.Data.Root, folder) },
            Output = Path.GetFullPath(config.Output, folder),
        };
    }

    public static TrainConfig Parse(string json, string origin)
    {
        TrainConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<TrainConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            var key = KeyOf(e.Path);
            var what = e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown key"
                : e.Message.Contains("could not be converted", StringComparison.Ordinal) ? "wrong type for key" : "invalid JSON at";
            throw new EdgeFaceException($"config {origin}: {what} '{key}' (line {e.LineNumber + 1})", e);
        }
        if (config is null) throw new EdgeFaceException($"config {origin}: empty");
        config.Validate(origin);
        return config;
    }

    private static string KeyOf(string? path) => string.IsNullOrEmpty(path) ? "(root)" : path.TrimStart('$', '.');

    private void Validate(string origin)
    {
        void Fail(string key, string problem) => throw new EdgeFaceException($"config {origin}: '{key}' {problem}");
        if (!ArchitectureFactory.Names.Contains(Architecture)) Fail("architecture", $"is '{Architecture}', expected one of {string.Join(", ", ArchitectureFactory.Names)}");
        if (EmbeddingSize < 0) Fail("embedding_size", "must be positive");
        if (Input.Channels is not (0 or 1 or 3)) Fail("input.channels", $"is {Input.Channels}; use 1 (grey) or 3 (RGB)");
        if (Input.Height < 0 || Input.Width < 0 || (Input.Height == 0) != (Input.Width == 0)) Fail("input.height/width", "must both be given and positive, or both left out");
        if (Input.Std <= 0) Fail("input.std", "must be positive");
        if (Loss.Type is not ("arcface" or "cosface" or "softmax" or "triplet" or "contrastive"))
            Fail("loss.type", $"is '{Loss.Type}', expected arcface, cosface, softmax, triplet or contrastive");
        if (Loss.Scale is <= 0) Fail("loss.scale", "must be positive");
        if (Loss.Margin is < 0) Fail("loss.margin", "must not be negative");
        if (Loss.ForgeryMargin is < 0) Fail("loss.forgery_margin", "must not be negative");
        if (Loss.ForgeryMargin is not null && Batch.Forgeries == 0) Fail("loss.forgery_margin", "needs batch.forgeries > 0 (the forgeries it pushes away)");
        if (Loss.Mining is not ("batch-hard" or "semi-hard")) Fail("loss.mining", $"is '{Loss.Mining}', expected batch-hard or semi-hard");
        if (string.IsNullOrWhiteSpace(Data.Root)) Fail("data.root", "is missing (the folder with one sub-folder per identity)");
        if (Batch.P < 2) Fail("batch.p", "must be at least 2 identities per batch");
        if (Batch.K < 1) Fail("batch.k", "must be at least 1");
        if (Data.Kind is not ("folders" or "signatures")) Fail("data.kind", $"is '{Data.Kind}', expected folders or signatures");
        if (Batch.Forgeries < 0) Fail("batch.forgeries", "must not be negative");
        if (Batch.Forgeries > 0 && (Data.Kind != "signatures" || Loss.Type != "triplet"))
            Fail("batch.forgeries", "needs data.kind 'signatures' and loss.type 'triplet' (forgeries are negative-only triplet samples)");
        if (Loss.Type is "triplet" or "contrastive" && Batch.K < 2) Fail("batch.k", $"must be at least 2 for {Loss.Type} loss (positives come from the batch)");
        if (Augmentation is not ("faces" or "signatures" or "none")) Fail("augmentation", $"is '{Augmentation}', expected faces, signatures or none");
        if (Optimizer.Type is not ("sgd" or "adamw")) Fail("optimizer.type", $"is '{Optimizer.Type}', expected sgd or adamw");
        if (!(Optimizer.LearningRate > 0)) Fail("optimizer.learning_rate", "must be positive");
        if (Optimizer.Momentum is < 0 or >= 1) Fail("optimizer.momentum", "must be in [0, 1)");
        if (Optimizer.WeightDecay is < 0) Fail("optimizer.weight_decay", "must not be negative");
        if (Schedule.WarmupSteps < 0) Fail("schedule.warmup_steps", "must not be negative");
        if (Schedule.Decay is not ("cosine" or "step" or "constant")) Fail("schedule.decay", $"is '{Schedule.Decay}', expected cosine, step or constant");
        if (Schedule.StepSize < 1) Fail("schedule.step_size", "must be at least 1");
        if (ClipGradNorm < 0) Fail("clip_grad_norm", "must not be negative");
        if (Steps < 0) Fail("steps", "must not be negative");
        if (Epochs < 0) Fail("epochs", "must not be negative");
        if (Steps == 0 && Epochs == 0) Fail("steps", "or 'epochs' must be given");
        if (Threads < 0) Fail("threads", "must not be negative");
        if (CheckpointEvery < 1) Fail("checkpoint_every", "must be at least 1");
        if (string.IsNullOrWhiteSpace(Output)) Fail("output", "is missing (the run folder)");
    }

    public int ResolvedEmbeddingSize => EmbeddingSize > 0 ? EmbeddingSize : ArchitectureFactory.DefaultEmbeddingSize(Architecture);

    public (int C, int H, int W) ResolvedInput
    {
        get
        {
            var (c, h, w) = ArchitectureFactory.DefaultInput(Architecture);
            return (Input.Channels > 0 ? Input.Channels : c, Input.Height > 0 ? Input.Height : h, Input.Width > 0 ? Input.Width : w);
        }
    }
}
