namespace EdgeFace.Trainer.Checkpoints;

/// <summary>
/// One training snapshot: the run configuration, progress counters, the flat parameter buffer, the optimizer's
/// flat state buffers (e.g. Adam "m" and "v") and opaque named state blobs (e.g. the sampler's
/// <c>SaveState()</c> bytes, an RNG state). Holds references to the caller's memory; nothing to dispose.
/// Write and read it with <see cref="CheckpointFile"/>.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The run configuration as JSON (architecture, loss, hyper-parameters), so a resume can check it matches.</summary>
    public required string ConfigJson { get; init; }

    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; init; }

    /// <summary>Epochs completed (the sampler's own state says where inside the current epoch it is).</summary>
    public int Epoch { get; init; }

    /// <summary>All trainable parameters, flattened in the engine's canonical order.</summary>
    public required ReadOnlyMemory<float> Parameters { get; init; }

    /// <summary>Optimizer state buffers by name. Written in ordinal name order, so equal checkpoints give equal bytes.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<float>> OptimizerState { get; init; } = new Dictionary<string, ReadOnlyMemory<float>>();

    /// <summary>Other state by name (sampler position, RNG state, best-so-far metric), opaque to the file format.</summary>
    public IReadOnlyDictionary<string, byte[]> Blobs { get; init; } = new Dictionary<string, byte[]>();
}
