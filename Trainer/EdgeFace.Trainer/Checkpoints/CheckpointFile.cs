using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using EdgeFace.Runtime;

namespace EdgeFace.Trainer.Checkpoints;

/// <summary>
/// Reads and writes <see cref="Checkpoint"/>s in the versioned EdgeFace checkpoint format (little-endian):
/// <code>
/// header : magic "EFCKPT\r\n" (8) | version u32 | reserved u32 | payload length i64
/// payload: config (i32 byte count + UTF-8) | step i64 | epoch i32
///          | parameters (i64 count + f32s)
///          | optimizer buffers (i32 count, each: name, i64 count + f32s)
///          | blobs (i32 count, each: name, i32 byte count + bytes)      names are i32 byte count + UTF-8
/// trailer: SHA-256 of header + payload (32)
/// </code>
/// Saving is atomic (<see cref="AtomicFile"/>): a crash or full disk leaves the previous checkpoint untouched.
/// Loading checks magic, version, length and checksum before trusting any of the content.
/// </summary>
public static class CheckpointFile
{
    public const int FormatVersion = 1;
    public const int HeaderSize = 24;
    public const int TrailerSize = 32;
    private static ReadOnlySpan<byte> Magic => "EFCKPT\r\n"u8;

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="EdgeFaceException">The write failed (disk full, permission, missing folder); the previous file at <paramref name="path"/> is intact.</exception>
    public static void Save(string path, Checkpoint checkpoint) => AtomicFile.Write(path, stream => Write(stream, checkpoint), "checkpoint");

    /// <summary>As <see cref="Save(string, Checkpoint)"/>, with the temp-file stream supplied by the caller (tests inject failures here).</summary>
    internal static void Save(string path, Checkpoint checkpoint, Func<string, Stream> openTemp) =>
        AtomicFile.Write(path, stream => Write(stream, checkpoint), "checkpoint", openTemp);

    /// <summary>Serialises a checkpoint to <paramref name="stream"/> (header, payload, checksum). Does not flush or close it.</summary>
    public static void Write(Stream stream, Checkpoint checkpoint)
    {
        var config = Encoding.UTF8.GetBytes(checkpoint.ConfigJson);
        var buffers = checkpoint.OptimizerState.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var blobs = checkpoint.Blobs.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();

        long payload = 4 + config.Length + 8 + 4 + 8 + 4L * checkpoint.Parameters.Length + 4 + 4;
        foreach (var (name, data) in buffers) payload += NameSize(name) + 8 + 4L * data.Length;
        foreach (var (name, data) in blobs) payload += NameSize(name) + 4 + data.Length;

        using var w = new HashingWriter(stream);
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], payload);
        w.Bytes(header);

        w.Int32(config.Length);
        w.Bytes(config);
        w.Int64(checkpoint.Step);
        w.Int32(checkpoint.Epoch);
        w.Floats(checkpoint.Parameters.Span);
        w.Int32(buffers.Length);
        foreach (var (name, data) in buffers) { w.Name(name); w.Floats(data.Span); }
        w.Int32(blobs.Length);
        foreach (var (name, data) in blobs) { w.Name(name); w.Int32(data.Length); w.Bytes(data); }

        if (w.Written != HeaderSize + payload) throw new InvalidOperationException("checkpoint payload size miscomputed");
        stream.Write(w.FinishHash());
    }

    /// <summary>Loads and verifies a checkpoint file.</summary>
    /// <exception cref="EdgeFaceException">Missing, not a checkpoint, newer version, truncated or corrupt; the message names the file.</exception>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new EdgeFaceException($"checkpoint not found: {path}");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeFaceException($"cannot read checkpoint {path}: {e.Message}", e);
        }
        return Read(bytes, path);
    }

    /// <summary>Parses and verifies checkpoint bytes; <paramref name="origin"/> names the source in error messages.</summary>
    public static Checkpoint Read(ReadOnlySpan<byte> bytes, string origin)
    {
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new EdgeFaceException($"{origin} is not an EdgeFace checkpoint (bad magic)");
        if (bytes.Length < HeaderSize + TrailerSize)
            throw new EdgeFaceException($"{origin} is truncated ({bytes.Length} bytes, shorter than a checkpoint header)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (version != FormatVersion)
            throw new EdgeFaceException($"{origin}: checkpoint format version {version} is not supported (this trainer reads version {FormatVersion})");
        var payload = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        if (payload < 0 || payload > bytes.Length)
            throw new EdgeFaceException($"{origin} is truncated ({bytes.Length} bytes, header announces a {payload}-byte payload)");
        var expected = HeaderSize + payload + TrailerSize;
        if (bytes.Length < expected)
            throw new EdgeFaceException($"{origin} is truncated ({bytes.Length} of {expected} bytes)");
        if (bytes.Length > expected)
            throw new EdgeFaceException($"{origin} is corrupt ({bytes.Length - expected} unexpected bytes after the checksum)");
        var body = bytes[..(int)(HeaderSize + payload)];
        Span<byte> hash = stackalloc byte[TrailerSize];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(bytes[(int)(HeaderSize + payload)..]))
            throw new EdgeFaceException($"{origin} is corrupt (SHA-256 checksum mismatch)");

        try
        {
            var r = new SpanReader(body[HeaderSize..]);
            var config = Encoding.UTF8.GetString(r.Bytes(r.Int32()));
            var step = r.Int64();
            var epoch = r.Int32();
            var parameters = r.Floats();
            var buffers = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
            for (int i = 0, n = r.Int32(); i < n; i++) buffers.Add(r.Name(), r.Floats());
            var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            for (int i = 0, n = r.Int32(); i < n; i++) blobs.Add(r.Name(), r.Bytes(r.Int32()).ToArray());
            if (!r.AtEnd) throw new FormatException("payload has trailing bytes");
            return new Checkpoint
            {
                ConfigJson = config, Step = step, Epoch = epoch, Parameters = parameters,
                OptimizerState = buffers, Blobs = blobs,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            // Only reachable for a file whose checksum matches but whose layout is wrong: a writer bug, not bit rot.
            throw new EdgeFaceException($"{origin} is corrupt ({e.Message})", e);
        }
    }

    private static long NameSize(string name) => 4 + Encoding.UTF8.GetByteCount(name);

    /// <summary>Writes little-endian primitives to a stream while hashing everything written.</summary>
    private sealed class HashingWriter(Stream stream) : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _scratch = new byte[1 << 16];

        public long Written { get; private set; }

        public void Bytes(ReadOnlySpan<byte> data)
        {
            _hash.AppendData(data);
            stream.Write(data);
            Written += data.Length;
        }

        public void Int32(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            Bytes(b);
        }

        public void Int64(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            Bytes(b);
        }

        public void Name(string name)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            Int32(bytes.Length);
            Bytes(bytes);
        }

        public void Floats(ReadOnlySpan<float> values)
        {
            Int64(values.Length);
            if (BitConverter.IsLittleEndian) { Bytes(MemoryMarshal.AsBytes(values)); return; }
            for (var start = 0; start < values.Length; start += _scratch.Length / 4)
            {
                var chunk = values.Slice(start, Math.Min(_scratch.Length / 4, values.Length - start));
                for (var i = 0; i < chunk.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(_scratch.AsSpan(i * 4), chunk[i]);
                Bytes(_scratch.AsSpan(0, chunk.Length * 4));
            }
        }

        public byte[] FinishHash() => _hash.GetHashAndReset();

        public void Dispose() => _hash.Dispose();
    }

    /// <summary>Reads the payload back; any read past the end is a <see cref="FormatException"/>.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public ReadOnlySpan<byte> Bytes(long count)
        {
            if (count < 0 || count > _data.Length - _position) throw new FormatException($"a field of {count} bytes overruns the payload");
            var span = _data.Slice(_position, (int)count);
            _position += (int)count;
            return span;
        }

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));
        public string Name() => Encoding.UTF8.GetString(Bytes(Int32()));

        public float[] Floats()
        {
            var count = Int64();
            if (count < 0 || count > (_data.Length - _position) / 4) throw new FormatException($"a buffer of {count} floats overruns the payload");
            var raw = Bytes(count * 4);
            var values = new float[count];
            if (BitConverter.IsLittleEndian) raw.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            else for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
            return values;
        }
    }
}
