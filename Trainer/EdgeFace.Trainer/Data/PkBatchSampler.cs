using EdgeFace.Runtime;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// Class-balanced batches of P identities × K images each, for triplet/contrastive losses. A batch lists the K
/// images of its first identity, then the K of the second, and so on. An epoch visits every eligible identity
/// once in a seeded random order (so <see cref="BatchesPerEpoch"/> = eligible identities / P, rounded down);
/// each visit takes K images from a per-(epoch, identity) shuffle of that identity's images, so different
/// epochs see different images. Deterministic from the seed; see <see cref="IBatchSampler"/> for resume.
/// </summary>
public sealed class PkBatchSampler : IBatchSampler
{
    private const uint Kind = 0x4B50_5331; // "1SPK"
    private readonly ILabeledDataset _data;
    private readonly int[] _eligible;
    private readonly int[] _identityOrder;
    private readonly ulong _seed;
    private readonly ulong _fingerprint;
    private int _orderEpoch = -1;

    /// <exception cref="EdgeFaceException">P or K out of range, an identity with fewer than K images under
    /// <see cref="UnderfilledIdentityPolicy.Error"/>, or fewer than P usable identities.</exception>
    public PkBatchSampler(ILabeledDataset data, int p, int k, ulong seed, UnderfilledIdentityPolicy policy = UnderfilledIdentityPolicy.Error)
    {
        if (p < 1) throw new EdgeFaceException($"P×K sampling: P={p} must be at least 1");
        if (k < 1) throw new EdgeFaceException($"P×K sampling: K={k} must be at least 1");
        _data = data;
        P = p;
        K = k;
        _seed = seed;
        var eligible = new List<int>();
        for (var label = 0; label < data.Identities.Count; label++)
        {
            var count = data.SamplesOf(label).Count;
            if (count >= k || (policy == UnderfilledIdentityPolicy.Repeat && count > 0)) { eligible.Add(label); continue; }
            if (policy == UnderfilledIdentityPolicy.Error)
                throw new EdgeFaceException(
                    $"unbalanced: identity {data.Identities[label]} has {count} image{(count == 1 ? "" : "s")}, K={k} needs {k} (in {data.Root})");
        }
        if (eligible.Count < p)
            throw new EdgeFaceException($"P×K sampling: P={p} needs {p} identities with at least K={k} images, {data.Root} has {eligible.Count}");
        _eligible = eligible.ToArray();
        _identityOrder = new int[_eligible.Length];
        _fingerprint = SamplerState.Fingerprint(data, Kind, p, k, (long)policy, _eligible.Length);
    }

    public int P { get; }
    public int K { get; }
    public int BatchSize => P * K;
    public int BatchesPerEpoch => _eligible.Length / P;
    public int Epoch { get; private set; }
    public int BatchInEpoch { get; private set; }

    /// <summary>Labels that take part in sampling (all of them unless <see cref="UnderfilledIdentityPolicy.Skip"/> dropped some).</summary>
    public IReadOnlyList<int> EligibleLabels => _eligible;

    public void Next(Span<int> sampleIndices, Span<ulong> augmentSeeds)
    {
        if (sampleIndices.Length != BatchSize || augmentSeeds.Length != BatchSize)
            throw new ArgumentException($"P×K batch spans must hold exactly {BatchSize} entries");
        if (BatchInEpoch >= BatchesPerEpoch) { Epoch++; BatchInEpoch = 0; }
        var order = IdentityOrder(Epoch);
        for (var slot = 0; slot < P; slot++)
        {
            var label = order[BatchInEpoch * P + slot];
            var images = _data.SamplesOf(label);
            for (var j = 0; j < K; j++)
            {
                var i = slot * K + j;
                sampleIndices[i] = images[ImagePick(label, images.Count, j)];
                augmentSeeds[i] = DeterministicRandom.Derive(_seed ^ 0xA5A5_0000_0000_A5A5UL, Epoch, BatchInEpoch, i);
            }
        }
        BatchInEpoch++;
    }

    public byte[] SaveState() => SamplerState.Write(Kind, _seed, _fingerprint, Epoch, BatchInEpoch);

    public void RestoreState(ReadOnlySpan<byte> state) =>
        (Epoch, BatchInEpoch) = SamplerState.Read(state, Kind, "P×K sampler", _seed, _fingerprint, BatchesPerEpoch);

    private int[] IdentityOrder(int epoch)
    {
        if (_orderEpoch != epoch)
        {
            _eligible.CopyTo(_identityOrder, 0);
            new DeterministicRandom(DeterministicRandom.Derive(_seed, epoch)).Shuffle(_identityOrder.AsSpan());
            _orderEpoch = epoch;
        }
        return _identityOrder;
    }

    /// <summary>
    /// Position (in the identity's image list) of the j-th pick: element j mod n of the pass-th seeded permutation,
    /// pass = j / n. Computed by a partial Fisher–Yates on a stack buffer so nothing is allocated per batch for
    /// typical identity sizes.
    /// </summary>
    private int ImagePick(int label, int count, int j)
    {
        var pass = j / count;
        var position = j % count;
        var rng = new DeterministicRandom(DeterministicRandom.Derive(_seed, Epoch, label + 1L, pass + 1L));
        Span<int> perm = count <= 1024 ? stackalloc int[count] : new int[count];
        for (var t = 0; t < count; t++) perm[t] = t;
        for (var t = 0; t <= position; t++)
        {
            var r = t + rng.NextInt(count - t);
            (perm[t], perm[r]) = (perm[r], perm[t]);
        }
        return perm[position];
    }
}
