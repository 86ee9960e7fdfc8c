namespace EdgeFace.Trainer.Data;

/// <summary>
/// Yields fixed-size batches of sample indices (into <see cref="ILabeledDataset.Samples"/>) with one augmentation
/// seed per sample, epoch after epoch. Every batch is a pure function of (seed, epoch, batch index), so a sampler
/// restored from <see cref="SaveState"/> continues exactly where the saved one was, and parallel loaders can
/// augment in any order yet reproduce the same pixels. Not thread-safe: one training loop drives it.
/// </summary>
public interface IBatchSampler
{
    int BatchSize { get; }

    /// <summary>Number of batches that make one epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>The epoch (0-based) the next batch belongs to.</summary>
    int Epoch { get; }

    /// <summary>The index within <see cref="Epoch"/> of the next batch.</summary>
    int BatchInEpoch { get; }

    /// <summary>
    /// Fills <paramref name="sampleIndices"/> and <paramref name="augmentSeeds"/> (both exactly <see cref="BatchSize"/>
    /// long) with the next batch and advances, rolling over into the next epoch after the last batch.
    /// </summary>
    void Next(Span<int> sampleIndices, Span<ulong> augmentSeeds);

    /// <summary>The position (and a fingerprint of the configuration) as bytes, for a checkpoint blob.</summary>
    byte[] SaveState();

    /// <summary>Continues from a saved position. Throws <see cref="EdgeFace.Runtime.EdgeFaceException"/> if the state belongs to a different sampler kind, seed, dataset or batch geometry.</summary>
    void RestoreState(ReadOnlySpan<byte> state);
}
