using EdgeFace.Runtime;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// P×K batches of genuine signatures (from a <see cref="PkBatchSampler"/>) followed by up to
/// <see cref="ForgeriesPerWriter"/> skilled forgeries of each of the batch's P writers. The training loop labels
/// those forgeries "negative-only" (<see cref="NegativeLabel"/>), so the triplet miner uses them as negatives for the
/// writer they imitate (the hardest negatives there are) and never as anchors or positives. A writer with fewer
/// forgeries repeats them; one with none contributes genuine signatures of the next writer instead, so the batch
/// size stays fixed. Deterministic from the seed and batch position, so resume reproduces it.
/// </summary>
public sealed class ForgeryNegativeSampler : IBatchSampler
{
    private readonly SignatureDataset _data;
    private readonly PkBatchSampler _genuine;
    private readonly ulong _seed;

    public ForgeryNegativeSampler(SignatureDataset data, int p, int k, int forgeriesPerWriter, ulong seed)
    {
        if (forgeriesPerWriter < 0) throw new EdgeFaceException($"forgeries per writer must not be negative, got {forgeriesPerWriter}");
        if (data.ForgeryCount == 0 && forgeriesPerWriter > 0)
            throw new EdgeFaceException($"{data.Root} has no skilled forgeries (<writer>/forged/*.png) to use as hard negatives");
        _data = data;
        _genuine = new PkBatchSampler(data, p, k, seed);
        ForgeriesPerWriter = forgeriesPerWriter;
        _seed = seed ^ 0xF0F0_1234_5678_0F0FUL;
    }

    public int ForgeriesPerWriter { get; }
    public int BatchSize => _genuine.BatchSize + _genuine.P * ForgeriesPerWriter;
    public int BatchesPerEpoch => _genuine.BatchesPerEpoch;
    public int Epoch => _genuine.Epoch;
    public int BatchInEpoch => _genuine.BatchInEpoch;

    /// <summary>The loss label of a sample: its writer for a genuine one, −1 − writer for a forgery (negative-only).</summary>
    public static int LabelOf(DatasetSample sample) => sample.IsForgery ? NegativeLabel(sample.Label) : sample.Label;

    /// <summary>Negative-only label for forgeries of <paramref name="writer"/>: never equal to a genuine label.</summary>
    public static int NegativeLabel(int writer) => -1 - writer;

    public void Next(Span<int> sampleIndices, Span<ulong> augmentSeeds)
    {
        if (sampleIndices.Length != BatchSize || augmentSeeds.Length != BatchSize)
            throw new ArgumentException($"batch spans must hold exactly {BatchSize} entries");
        int epoch = _genuine.Epoch, batch = _genuine.BatchInEpoch;
        var pk = _genuine.BatchSize;
        _genuine.Next(sampleIndices[..pk], augmentSeeds[..pk]);
        var slot = pk;
        for (var w = 0; w < _genuine.P; w++)
        {
            var writer = _data.Samples[sampleIndices[w * _genuine.K]].Label;
            var forgeries = _data.ForgeriesOf(writer);
            var pool = forgeries.Count > 0 ? forgeries : _data.SamplesOf(_data.Samples[sampleIndices[(w + 1) % _genuine.P * _genuine.K]].Label);
            for (var j = 0; j < ForgeriesPerWriter; j++, slot++)
            {
                var pick = DeterministicRandom.Derive(_seed, epoch, batch, slot);
                sampleIndices[slot] = pool[(int)(pick % (ulong)pool.Count)];
                augmentSeeds[slot] = DeterministicRandom.Derive(pick, 0x5EED);
            }
        }
    }

    public byte[] SaveState() => _genuine.SaveState();

    public void RestoreState(ReadOnlySpan<byte> state) => _genuine.RestoreState(state);
}
