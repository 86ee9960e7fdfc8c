using EdgeFace.Trainer.Onnx;

namespace EdgeFace.Trainer.Tests.Onnx;

public sealed class ProtoWriterTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(1UL, new byte[] { 0x01 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Varint_matches_the_protobuf_wire_format(ulong value, byte[] expected)
    {
        var w = new ProtoWriter();
        w.Varint(value);
        Assert.Equal(expected, w.ToArray());
        Assert.Equal(expected.Length, ProtoWriter.VarintSize(value));
    }

    [Fact]
    public void Negative_int64_is_ten_byte_twos_complement()
    {
        var w = new ProtoWriter();
        w.Int64(3, -1);
        Assert.Equal(new byte[] { 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, w.ToArray());
    }

    [Fact]
    public void Float_string_and_packed_fields_are_tagged_and_length_prefixed()
    {
        var w = new ProtoWriter();
        w.Float(2, 1.0f);                 // tag (2<<3)|5 = 0x15, then 00 00 80 3F
        w.String(1, "ab");                // tag 0x0A, len 2
        w.PackedInt64(7, [1, 300]);       // tag 0x3A, len 3, 01 AC 02
        w.PackedFloats(4, [-2.0f]);       // tag 0x22, len 4, 00 00 00 C0
        Assert.Equal(new byte[]
        {
            0x15, 0x00, 0x00, 0x80, 0x3F,
            0x0A, 0x02, (byte)'a', (byte)'b',
            0x3A, 0x03, 0x01, 0xAC, 0x02,
            0x22, 0x04, 0x00, 0x00, 0x00, 0xC0,
        }, w.ToArray());
    }

    [Fact]
    public void Nested_message_is_length_delimited_and_buffer_grows()
    {
        var inner = new ProtoWriter(16);
        var big = new float[1000];
        big[999] = 3f;
        inner.RawFloats(9, big);
        var outer = new ProtoWriter(16);
        outer.Message(5, inner);
        var bytes = outer.ToArray();
        Assert.Equal(0x2A, bytes[0]);                           // field 5, length-delimited
        Assert.Equal(4000 + 1 + 2, inner.Length);               // tag + 2-byte varint length + payload
        Assert.Equal(1 + 2 + inner.Length, bytes.Length);       // 4003 needs a 2-byte varint
        Assert.Equal(BitConverter.GetBytes(3f), bytes[^4..]);
    }
}
