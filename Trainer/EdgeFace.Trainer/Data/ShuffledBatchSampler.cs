namespace EdgeFace.Trainer.Data;

/// <summary>
/// Plain shuffled batches for softmax/ArcFace-style training: each epoch is a fresh seeded permutation of every
/// training image (<see cref="ILabeledDataset.SamplesOf"/> over all labels, so signature forgeries are never
/// used as if they were the writer's), cut into batches; the incomplete tail is dropped and, being reshuffled,
/// is a different set of images every epoch. See <see cref="IBatchSampler"/> for determinism and resume.
/// </summary>
public sealed class ShuffledBatchSampler : IBatchSampler
{
    private const uint Kind = 0x4853_5331; // "1SSH"
    private readonly int[] _pool;
    private readonly int[] _order;
    private readonly ulong _seed;
    private readonly ulong _fingerprint;
    private int _orderEpoch = -1;

    /// <exception cref="EdgeFace.Runtime.EdgeFaceException">A batch size below 1 or above the number of training images.</exception>
    public ShuffledBatchSampler(ILabeledDataset data, int batchSize, ulong seed)
    {
        _pool = Enumerable.Range(0, data.Identities.Count).SelectMany(data.SamplesOf).ToArray();
        if (batchSize < 1 || batchSize > _pool.Length)
            throw new EdgeFace.Runtime.EdgeFaceException($"batch size {batchSize} must be between 1 and the {_pool.Length} training images in {data.Root}");
        BatchSize = batchSize;
        _seed = seed;
        _order = new int[_pool.Length];
        _fingerprint = SamplerState.Fingerprint(data, Kind, batchSize);
    }

    public int BatchSize { get; }
    public int BatchesPerEpoch => _pool.Length / BatchSize;
    public int Epoch { get; private set; }
    public int BatchInEpoch { get; private set; }

    public void Next(Span<int> sampleIndices, Span<ulong> augmentSeeds)
    {
        if (sampleIndices.Length != BatchSize || augmentSeeds.Length != BatchSize)
            throw new ArgumentException($"batch spans must hold exactly {BatchSize} entries");
        if (BatchInEpoch >= BatchesPerEpoch) { Epoch++; BatchInEpoch = 0; }
        if (_orderEpoch != Epoch)
        {
            _pool.CopyTo(_order, 0);
            new DeterministicRandom(DeterministicRandom.Derive(_seed, Epoch)).Shuffle(_order.AsSpan());
            _orderEpoch = Epoch;
        }
        _order.AsSpan(BatchInEpoch * BatchSize, BatchSize).CopyTo(sampleIndices);
        for (var i = 0; i < BatchSize; i++)
            augmentSeeds[i] = DeterministicRandom.Derive(_seed ^ 0xA5A5_0000_0000_A5A5UL, Epoch, BatchInEpoch, i);
        BatchInEpoch++;
    }

    public byte[] SaveState() => SamplerState.Write(Kind, _seed, _fingerprint, Epoch, BatchInEpoch);

    public void RestoreState(ReadOnlySpan<byte> state) =>
        (Epoch, BatchInEpoch) = SamplerState.Read(state, Kind, "shuffled sampler", _seed, _fingerprint, BatchesPerEpoch);
}
