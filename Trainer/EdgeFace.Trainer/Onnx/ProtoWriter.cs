using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeFace.Trainer.Onnx;

/// <summary>Protocol-buffers wire types used by the ONNX subset we write.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// A minimal protocol-buffers encoder: varints, fixed32 floats, length-delimited bytes/strings/messages,
/// and packed repeated int64/float fields. Appends into a growable buffer; a nested message is encoded
/// into its own writer and then copied in with <see cref="Message"/>, because its length must precede it.
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer;
    private int _length;

    public ProtoWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(16, initialCapacity)];

    /// <summary>The bytes written so far; valid until the next write.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public byte[] ToArray() => Written.ToArray();

    public void Tag(int field, WireType wireType) => Varint(((ulong)(uint)field << 3) | (uint)wireType);

    public void Varint(ulong value)
    {
        var span = Reserve(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _length += n;
    }

    /// <summary>An int64/int32/enum field. Negative values take ten bytes (two's complement), as the wire format requires.</summary>
    public void Int64(int field, long value)
    {
        Tag(field, WireType.Varint);
        Varint((ulong)value);
    }

    public void Float(int field, float value)
    {
        Tag(field, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
        _length += 4;
    }

    public void Bytes(int field, ReadOnlySpan<byte> data)
    {
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)data.Length);
        data.CopyTo(Reserve(data.Length));
        _length += data.Length;
    }

    public void String(int field, string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)byteCount);
        _length += Encoding.UTF8.GetBytes(value, Reserve(byteCount));
    }

    public void Message(int field, ProtoWriter nested) => Bytes(field, nested.Written);

    /// <summary>Floats as little-endian fixed32, the layout of both packed <c>repeated float</c> and ONNX raw_data.</summary>
    public void RawFloats(int field, ReadOnlySpan<float> values)
    {
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)values.Length * 4);
        var span = Reserve(checked(values.Length * 4));
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(values).CopyTo(span);
        else for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(i * 4)..], values[i]);
        _length += values.Length * 4;
    }

    public void PackedFloats(int field, ReadOnlySpan<float> values) => RawFloats(field, values);

    public void PackedInt64(int field, ReadOnlySpan<long> values)
    {
        var payload = 0;
        foreach (var v in values) payload += VarintSize((ulong)v);
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)payload);
        foreach (var v in values) Varint((ulong)v);
    }

    public static int VarintSize(ulong value)
    {
        var n = 1;
        while (value >= 0x80) { value >>= 7; n++; }
        return n;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var grown = new byte[Math.Max(checked(_length + count), (int)Math.Min(Array.MaxLength, _buffer.Length * 2L))];
            _buffer.AsSpan(0, _length).CopyTo(grown);
            _buffer = grown;
        }
        return _buffer.AsSpan(_length, count);
    }
}
