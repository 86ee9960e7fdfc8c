using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeFace.Runtime;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// The saved form of a sampler position: kind, seed, a fingerprint of the dataset and geometry, epoch and batch.
/// Restoring checks everything but the position, so a resume with a different dataset or P/K fails loudly.
/// </summary>
internal static class SamplerState
{
    private const int Version = 1;
    private const int Size = 4 + 4 + 8 + 8 + 4 + 4;

    public static byte[] Write(uint kind, ulong seed, ulong fingerprint, int epoch, int batch)
    {
        var b = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(b, kind);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8), seed);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(16), fingerprint);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), epoch);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(28), batch);
        return b;
    }

    public static (int Epoch, int Batch) Read(ReadOnlySpan<byte> b, uint kind, string kindName, ulong seed, ulong fingerprint, int batchesPerEpoch)
    {
        if (b.Length != Size || BinaryPrimitives.ReadUInt32LittleEndian(b) != kind || BinaryPrimitives.ReadInt32LittleEndian(b[4..]) != Version)
            throw new EdgeFaceException($"saved sampler state is not a {kindName} state (version {Version})");
        var savedSeed = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        if (savedSeed != seed) throw new EdgeFaceException($"saved {kindName} state used seed {savedSeed}, this run uses {seed}");
        if (BinaryPrimitives.ReadUInt64LittleEndian(b[16..]) != fingerprint)
            throw new EdgeFaceException($"saved {kindName} state belongs to a different dataset or batch geometry than this run");
        var epoch = BinaryPrimitives.ReadInt32LittleEndian(b[24..]);
        var batch = BinaryPrimitives.ReadInt32LittleEndian(b[28..]);
        if (epoch < 0 || batch < 0 || batch > batchesPerEpoch) throw new EdgeFaceException($"saved {kindName} state has an invalid position (epoch {epoch}, batch {batch})");
        return (epoch, batch);
    }

    /// <summary>A 64-bit digest of the identities, their sample counts and the sampler's parameters.</summary>
    public static ulong Fingerprint(ILabeledDataset data, params ReadOnlySpan<long> parameters)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        foreach (var p in parameters) { BinaryPrimitives.WriteInt64LittleEndian(number, p); h.AppendData(number); }
        for (var label = 0; label < data.Identities.Count; label++)
        {
            h.AppendData(Encoding.UTF8.GetBytes(data.Identities[label]));
            BinaryPrimitives.WriteInt64LittleEndian(number, data.SamplesOf(label).Count);
            h.AppendData(number);
        }
        return BinaryPrimitives.ReadUInt64LittleEndian(h.GetHashAndReset());
    }
}
