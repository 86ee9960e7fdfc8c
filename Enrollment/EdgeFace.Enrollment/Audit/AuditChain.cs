using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeFace.Enrollment.Audit;

/// <summary>
/// The hash chain both stores use. Each record's hash is SHA-256 over its canonical serialisation followed
/// by the previous hash; each hash is also MACed (HMAC-SHA256) with the gallery's audit key, and the head
/// (count + last hash) is MACed too. An editor who bypasses the append-only triggers can recompute hashes,
/// but not MACs without the key; removing records from the tail breaks the signed head's count.
/// </summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[32];

    /// <summary>A fixed-order JSON array of every field: the bytes that are hashed.</summary>
    public static byte[] Canonical(long seq, DateTimeOffset utc, AuditEntry e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteNumberValue(seq);
            w.WriteStringValue(FormatTime(utc));
            w.WriteStringValue(e.Actor);
            w.WriteStringValue(e.Action);
            w.WriteStringValue(e.Outcome);
            if (e.SubjectId is { } s) w.WriteNumberValue(s); else w.WriteNullValue();
            WriteDouble(w, e.Score);
            WriteDouble(w, e.Threshold);
            w.WriteStringValue(e.ModelId);
            w.WriteStringValue(e.Quality);
            w.WriteStringValue(e.Detail);
            w.WriteEndArray();
        }
        return buffer.ToArray();
    }

    public static string FormatTime(DateTimeOffset utc) => utc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static void WriteDouble(Utf8JsonWriter w, double? v)
    {
        // R-format text, not a JSON number, so NaN/Infinity cannot break hashing.
        if (v is { } d) w.WriteStringValue(d.ToString("R", CultureInfo.InvariantCulture)); else w.WriteNullValue();
    }

    public static byte[] Hash(long seq, DateTimeOffset utc, AuditEntry entry, ReadOnlySpan<byte> previousHash)
    {
        var canonical = Canonical(seq, utc, entry);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(canonical);
        sha.AppendData(previousHash);
        return sha.GetHashAndReset();
    }

    public static byte[] Mac(ReadOnlySpan<byte> auditKey, ReadOnlySpan<byte> hash) => HMACSHA256.HashData(auditKey, hash);

    public static byte[] HeadMac(ReadOnlySpan<byte> auditKey, long count, ReadOnlySpan<byte> lastHash)
    {
        Span<byte> message = stackalloc byte[8 + 32 + 5];
        "head:"u8.CopyTo(message);
        BinaryPrimitives.WriteInt64LittleEndian(message[5..], count);
        lastHash.CopyTo(message[13..]);
        return HMACSHA256.HashData(auditKey, message);
    }

    /// <summary>Builds the next record of a chain whose last record is <paramref name="previous"/> (null for the first).</summary>
    public static AuditRecord Next(AuditRecord? previous, AuditEntry entry, DateTimeOffset utc, ReadOnlySpan<byte> auditKey) =>
        Next(previous?.Seq ?? 0, previous?.Hash ?? Genesis, entry, utc, auditKey);

    /// <summary>Builds the record after the one numbered <paramref name="previousSeq"/> with hash <paramref name="prev"/> (0 and <see cref="Genesis"/> for the first).</summary>
    public static AuditRecord Next(long previousSeq, byte[] prev, AuditEntry entry, DateTimeOffset utc, ReadOnlySpan<byte> auditKey)
    {
        var seq = previousSeq + 1;
        var hash = Hash(seq, utc, entry, prev);
        return new AuditRecord(seq, utc, entry, prev, hash, Mac(auditKey, hash));
    }

    public static AuditHead HeadFor(long count, byte[] lastHash, ReadOnlySpan<byte> auditKey) => new(count, lastHash, HeadMac(auditKey, count, lastHash));

    /// <summary>Walks the records in order and reports the first that was edited, inserted, removed or re-signed, then checks the head.</summary>
    public static AuditVerification Verify(IReadOnlyList<AuditRecord> records, AuditHead? head, ReadOnlySpan<byte> auditKey)
    {
        var previous = Genesis;
        long expectedSeq = 1;
        foreach (var r in records)
        {
            if (r.Seq != expectedSeq)
                return Bad(records.Count, r.Seq, r.Seq > expectedSeq
                    ? $"record {expectedSeq} is missing (next record is {r.Seq})"
                    : $"record {r.Seq} is out of sequence (expected {expectedSeq})");
            if (!r.PreviousHash.AsSpan().SequenceEqual(previous))
                return Bad(records.Count, r.Seq, $"record {r.Seq} does not link to record {r.Seq - 1} (a record was removed or inserted)");
            if (!Hash(r.Seq, r.Utc, r.Entry, previous).AsSpan().SequenceEqual(r.Hash))
                return Bad(records.Count, r.Seq, $"record {r.Seq} was edited (its content does not match its hash)");
            if (!CryptographicOperations.FixedTimeEquals(Mac(auditKey, r.Hash), r.Mac))
                return Bad(records.Count, r.Seq, $"record {r.Seq} has an invalid MAC (the chain was rewritten without the gallery key)");
            previous = r.Hash;
            expectedSeq++;
        }
        var count = records.Count;
        if (head is null)
            return count == 0 ? new(true, 0, null, "audit log is empty") : Bad(count, 1, "the signed audit head is missing");
        if (!CryptographicOperations.FixedTimeEquals(HeadMac(auditKey, head.Count, head.LastHash), head.Mac))
            return Bad(count, null, "the signed audit head has an invalid MAC (edited without the gallery key)");
        if (head.Count > count)
            return Bad(count, count + 1, $"the audit log was truncated: the signed head records {head.Count} records, only {count} remain (first missing: {count + 1})");
        if (head.Count < count)
            return Bad(count, head.Count + 1, $"record {head.Count + 1} and later were appended without updating the signed head");
        if (!head.LastHash.AsSpan().SequenceEqual(previous))
            return Bad(count, count, $"the last record {count} does not match the signed head");
        return new(true, count, null, $"audit log intact: {count} records");
    }

    private static AuditVerification Bad(long count, long? seq, string message) => new(false, count, seq, message);
}
