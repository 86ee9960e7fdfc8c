namespace EdgeFace.Trainer.Data;

/// <summary>
/// One batch as the network consumes it: <see cref="Images"/> holds BatchSize samples of NCHW floats back to back,
/// with their <see cref="Labels"/> (identity/writer index) and dataset <see cref="Indices"/>. Owned and reused by
/// <see cref="BatchLoader"/>: valid until the next call to <see cref="BatchLoader.Next"/>.
/// </summary>
public sealed class LoadedBatch
{
    internal LoadedBatch(int batchSize, int sampleLength)
    {
        Images = new float[batchSize * sampleLength];
        Labels = new int[batchSize];
        Indices = new int[batchSize];
        Seeds = new ulong[batchSize];
        StateAfter = [];
    }

    public float[] Images { get; }
    public int[] Labels { get; }
    public int[] Indices { get; }

    /// <summary>The augmentation seed each sample was loaded with.</summary>
    public ulong[] Seeds { get; }

    /// <summary>The epoch and in-epoch index this batch was drawn at.</summary>
    public int Epoch { get; internal set; }
    public int BatchInEpoch { get; internal set; }

    /// <summary>Sampler state right after this batch: saving it resumes with the batch that follows.</summary>
    internal byte[] StateAfter { get; set; }
}
