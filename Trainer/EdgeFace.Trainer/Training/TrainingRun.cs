using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeFace.Runtime;
using EdgeFace.Trainer.Checkpoints;
using EdgeFace.Trainer.Data;
using EdgeFace.Trainer.Engine;
using EdgeFace.Trainer.Optimization;

namespace EdgeFace.Trainer.Training;

/// <summary>
/// A training run: data, sampler, model, optimizer and schedule built from a <see cref="TrainConfig"/>, and the
/// loop that trains, reports progress and writes checkpoints (atomically) every N steps and at the end.
/// <see cref="Resume"/> restores parameters, running statistics, optimizer state, step, sampler position and
/// RNG state, so a resumed run continues exactly as the uninterrupted one would have. Dispose to release the
/// image loader's native buffers.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    private readonly TrainingData _training;
    private readonly ILabeledDataset _data;
    private readonly IBatchSampler _sampler;
    private readonly SampleLoader _loader;
    private readonly TrainingStep _step;
    private readonly Rng _dropoutRng;
    private readonly LearningRateSchedule _schedule;

    public TrainConfig Config { get; }
    public RunFolder Folder { get; }
    public RunModel Model { get; }
    public Optimizer Optimizer { get; }
    public TrainingHistory History { get; private set; } = new();
    public long Step { get; private set; }
    public long TotalSteps { get; }

    private TrainingRun(TrainConfig config)
    {
        Config = config;
        Folder = new RunFolder(config.Output);
        Parallelism.Threads = config.Threads > 0 ? config.Threads : Environment.ProcessorCount;
        var augmentation = config.Augmentation switch { "faces" => AugmentOptions.Faces, "signatures" => AugmentOptions.Signatures, _ => null };
        _training = TrainingData.Open(config, IdentitySelection.Parse(config.Data.Train), new SampleCache(), augmentation);
        _data = _training.Data;
        _loader = _training.Loader;
        _sampler = _data is SignatureDataset signatures
            ? new ForgeryNegativeSampler(signatures, config.Batch.P, config.Batch.K, config.Batch.Forgeries, config.Seed)
            : new PkBatchSampler(_data, config.Batch.P, config.Batch.K, config.Seed);
        Model = RunModel.Create(config, _data.Identities.Count);
        var count = Model.Network.Parameters.Count;
        var o = config.Optimizer;
        Optimizer = o.Type == "adamw"
            ? new AdamWOptimizer(count, o.Beta1, o.Beta2, weightDecay: o.WeightDecay ?? 0.05f)
            : new SgdOptimizer(count, o.Momentum, o.Nesterov, o.WeightDecay ?? 5e-4f);
        TotalSteps = config.Steps > 0 ? config.Steps : (long)config.Epochs * _sampler.BatchesPerEpoch;
        var s = config.Schedule;
        _schedule = new LearningRateSchedule(o.LearningRate, (int)Math.Min(s.WarmupSteps, TotalSteps), (int)TotalSteps,
            s.Decay switch { "step" => DecayKind.Step, "constant" => DecayKind.Constant, _ => DecayKind.Cosine }, s.StepSize, s.Gamma, s.MinLearningRate);
        _dropoutRng = new Rng(config.Seed ^ 0xD5);
        _step = new TrainingStep(Model.Network, Model.Loss, Optimizer, _dropoutRng);
    }

    /// <summary>Starts a new run in the config's output folder (refusing one that already holds a run).</summary>
    public static TrainingRun Start(TrainConfig config)
    {
        var run = new TrainingRun(config);
        try
        {
            if (File.Exists(run.Folder.Checkpoint))
                throw new EdgeFaceException($"{run.Folder.Path} already holds a run; use 'edgeface-train resume --run {run.Folder.Path}' or another output folder");
            Directory.CreateDirectory(run.Folder.Path);
            RunFolder.WriteText(run.Folder.Config, config.ToJson());
            return run;
        }
        catch { run.Dispose(); throw; }
    }

    /// <summary>Reopens a run from its folder and restores its last checkpoint.</summary>
    public static TrainingRun Resume(string folder)
    {
        var runFolder = RunFolder.Open(folder);
        var config = TrainConfig.Parse(File.ReadAllText(runFolder.Config), runFolder.Config) with { Output = runFolder.Path };
        var checkpoint = CheckpointFile.Load(runFolder.Checkpoint);
        var run = new TrainingRun(config);
        try { run.Restore(checkpoint); return run; }
        catch { run.Dispose(); throw; }
    }

    /// <summary>Trains until <see cref="TotalSteps"/>; on cancellation saves a checkpoint first, then throws.</summary>
    public void Train(Action<string>? progress = null, CancellationToken cancel = default)
    {
        var batch = _sampler.BatchSize;
        var input = Model.Network.InputLength;
        var images = new float[batch * input];
        var indices = new int[batch];
        var seeds = new ulong[batch];
        var labels = new int[batch];
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var startStep = Step;
        progress?.Invoke($"training {Config.Architecture} ({Model.Network.BackboneParameterCount:N0} + {Model.Network.HeadParameterCount:N0} parameters) " +
                         $"on {_data.Identities.Count} identities / {_data.Samples.Count} images, {Config.Loss.Type} loss, steps {Step}..{TotalSteps}");
        while (Step < TotalSteps)
        {
            if (cancel.IsCancellationRequested)
            {
                SaveCheckpoint();
                cancel.ThrowIfCancellationRequested();
            }
            _sampler.Next(indices, seeds);
            for (var i = 0; i < batch; i++) labels[i] = ForgeryNegativeSampler.LabelOf(_data.Samples[indices[i]]);
            _loader.LoadBatch(_data, indices, Config.Augmentation == "none" ? default : seeds, images);
            var lr = _schedule.At(Step);
            var loss = _step.Run(images, labels, lr, Config.ClipGradNorm);
            History.Add(Step, loss, lr);
            Step++;
            var elapsed = clock.Elapsed;
            if (Step % Config.CheckpointEvery == 0 || Step == TotalSteps) SaveCheckpoint();
            if (progress is not null && (elapsed - lastReport > TimeSpan.FromSeconds(2) || Step == TotalSteps))
            {
                lastReport = elapsed;
                var done = Step - startStep;
                var rate = done * batch / elapsed.TotalSeconds;
                var eta = TimeSpan.FromSeconds((TotalSteps - Step) * elapsed.TotalSeconds / done);
                progress(string.Create(CultureInfo.InvariantCulture,
                    $"step {Step}/{TotalSteps} epoch {_sampler.Epoch} loss {loss:F4} lr {lr:G3} grad-norm {_step.LastGradNorm:F2} {rate:F1} img/s ETA {eta:hh\\:mm\\:ss}"));
            }
        }
    }

    private const string DropoutRngBlob = "rng.dropout";
    private const string SamplerBlob = "sampler";
    private const string BuffersBlob = "model.buffers";
    private const string HistoryBlob = "history.csv";
    private const string OptimizerBlob = "optimizer.steps";

    public void SaveCheckpoint()
    {
        var p = Model.Network.Parameters;
        var state = new Dictionary<string, ReadOnlyMemory<float>>();
        for (var i = 0; i < Optimizer.State.Count; i++) state[$"{Optimizer.Name}.{i}"] = Optimizer.State[i];
        CheckpointFile.Save(Folder.Checkpoint, new Checkpoint
        {
            ConfigJson = Config.ToJson(),
            Step = Step,
            Epoch = _sampler.Epoch,
            Parameters = p.Values,
            OptimizerState = state,
            Blobs = new Dictionary<string, byte[]>
            {
                [DropoutRngBlob] = MemoryMarshal.AsBytes(_dropoutRng.GetState().AsSpan()).ToArray(),
                [SamplerBlob] = _sampler.SaveState(),
                [BuffersBlob] = MemoryMarshal.AsBytes(p.Buffers.AsSpan()).ToArray(),
                [HistoryBlob] = System.Text.Encoding.UTF8.GetBytes(History.ToCsv()),
                [OptimizerBlob] = BitConverter.GetBytes(Optimizer.Steps),
            },
        });
        RunFolder.WriteText(Folder.History, History.ToCsv());
        History.SavePlot(Folder.Curves, $"{Config.Architecture} {Config.Loss.Type}: training loss");
    }

    private void Restore(Checkpoint c)
    {
        var origin = Folder.Checkpoint;
        var p = Model.Network.Parameters;
        if (c.Parameters.Length != p.Count)
            throw new EdgeFaceException($"{origin}: holds {c.Parameters.Length} parameters, the run's config builds {p.Count}");
        c.Parameters.Span.CopyTo(p.Values);
        for (var i = 0; i < Optimizer.State.Count; i++)
        {
            if (!c.OptimizerState.TryGetValue($"{Optimizer.Name}.{i}", out var s) || s.Length != p.Count)
                throw new EdgeFaceException($"{origin}: optimizer state for {Optimizer.Name} missing or the wrong size");
            s.Span.CopyTo(Optimizer.State[i]);
        }
        var buffers = Blob(c, BuffersBlob);
        if (buffers.Length != p.Buffers.Length * 4) throw new EdgeFaceException($"{origin}: running statistics have the wrong size");
        MemoryMarshal.Cast<byte, float>(buffers).CopyTo(p.Buffers);
        _dropoutRng.SetState(MemoryMarshal.Cast<byte, ulong>(Blob(c, DropoutRngBlob)).ToArray());
        _sampler.RestoreState(Blob(c, SamplerBlob));
        Optimizer.Steps = BitConverter.ToInt64(Blob(c, OptimizerBlob));
        History = TrainingHistory.FromCsv(System.Text.Encoding.UTF8.GetString(Blob(c, HistoryBlob)));
        Step = c.Step;
    }

    private byte[] Blob(Checkpoint c, string name) => c.Blobs.TryGetValue(name, out var b) ? b
        : throw new EdgeFaceException($"{Folder.Checkpoint}: no '{name}' state; it was not written by this trainer");

    public void Dispose() => _training.Dispose();
}
