using System.Text;

namespace EdgeFace.Trainer.Cli.Bench;

/// <summary>
/// Hand-encodes the protobuf of a one-node ONNX model (float tensors, opset 13) so the benchmarks can time
/// ONNX Runtime's own kernels on exactly our shapes without shipping model files. Only the fields ONNX Runtime
/// needs are written: ir_version, opset_import, graph{node, input, output, initializer-free}.
/// </summary>
internal static class OnnxGraphModel
{
    /// <summary>C[m,n] = A[m,k] · B[k,n].</summary>
    public static byte[] MatMul(int m, int n, int k) => Model(
        Node(["A", "B"], ["C"], "MatMul", []),
        [ValueInfo("A", [m, k]), ValueInfo("B", [k, n])],
        [ValueInfo("C", [m, n])]);

    /// <summary>Y = Conv(X, W) with NCHW tensors, no bias.</summary>
    public static byte[] Conv(int batch, int inChannels, int h, int w, int outChannels, int kh, int kw,
        int stride, int pad, int groups, int outH, int outW) => Model(
        Node(["X", "W"], ["Y"], "Conv",
        [
            IntsAttribute("kernel_shape", [kh, kw]), IntsAttribute("strides", [stride, stride]),
            IntsAttribute("pads", [pad, pad, pad, pad]), IntAttribute("group", groups),
        ]),
        [ValueInfo("X", [batch, inChannels, h, w]), ValueInfo("W", [outChannels, inChannels / groups, kh, kw])],
        [ValueInfo("Y", [batch, outChannels, outH, outW])]);

    private static byte[] Model(byte[] node, byte[][] inputs, byte[][] outputs)
    {
        var graph = new ProtoWriter().Bytes(1, node).String(2, "bench");
        foreach (var i in inputs) graph.Bytes(11, i);
        foreach (var o in outputs) graph.Bytes(12, o);
        return new ProtoWriter()
            .Varint(1, 8) // ir_version
            .String(2, "edgeface-bench")
            .Bytes(7, graph.ToArray())
            .Bytes(8, new ProtoWriter().String(1, "").Varint(2, 13).ToArray()) // opset_import: default domain, opset 13
            .ToArray();
    }

    private static byte[] Node(string[] inputs, string[] outputs, string op, byte[][] attributes)
    {
        var node = new ProtoWriter();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outputs) node.String(2, o);
        node.String(3, op).String(4, op);
        foreach (var a in attributes) node.Bytes(5, a);
        return node.ToArray();
    }

    private static byte[] ValueInfo(string name, long[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims) shape.Bytes(1, new ProtoWriter().Varint(1, d).ToArray());
        var tensor = new ProtoWriter().Varint(1, 1).Bytes(2, shape.ToArray()); // elem_type FLOAT
        return new ProtoWriter().String(1, name).Bytes(2, new ProtoWriter().Bytes(1, tensor.ToArray()).ToArray()).ToArray();
    }

    // AttributeProto: name=1, type=20 (INT=2, INTS=7), i=3, ints=8.
    private static byte[] IntAttribute(string name, long value) =>
        new ProtoWriter().String(1, name).Varint(20, 2).Varint(3, value).ToArray();

    private static byte[] IntsAttribute(string name, long[] values)
    {
        var a = new ProtoWriter().String(1, name).Varint(20, 7);
        foreach (var v in values) a.Varint(8, v);
        return a.ToArray();
    }

    /// <summary>Minimal protobuf writer: varint and length-delimited fields.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public ProtoWriter Varint(int field, long value)
        {
            WriteRaw(((ulong)field << 3) | 0);
            WriteRaw((ulong)value);
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Bytes(int field, byte[] value)
        {
            WriteRaw(((ulong)field << 3) | 2);
            WriteRaw((ulong)value.Length);
            _stream.Write(value);
            return this;
        }

        public byte[] ToArray() => _stream.ToArray();

        private void WriteRaw(ulong v)
        {
            while (v >= 0x80)
            {
                _stream.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            _stream.WriteByte((byte)v);
        }
    }
}
