using EdgeFace.Trainer.Checkpoints;

namespace EdgeFace.Trainer.Onnx;

/// <summary>
/// Builds an ONNX model (IR 8, default-domain opset 17, producer "edgeface-train") node by node and encodes it
/// with our own protobuf writer. Values are referred to by name; every helper returns the name of the value it
/// produced, made unique from the optional <c>name</c> hint. Inputs of a node must already exist (a graph input,
/// an initializer or an earlier node's output), so wiring mistakes fail here with the value's name rather than
/// later inside ONNX Runtime. Initializer data is copied when added, so callers may reuse their buffers.
/// Not thread-safe; holds only managed memory.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 17;
    public const string ProducerName = "edgeface-train";

    // TensorProto.DataType values from onnx.proto.
    private const int ElemFloat = 1, ElemInt64 = 7;

    private readonly string _graphName;
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly List<(string Name, OnnxDim[] Shape)> _inputs = [];
    private readonly List<(string Name, OnnxDim[]? Shape)> _outputs = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _nodes = [];

    public OnnxGraphBuilder(string graphName = "edgeface")
    {
        _graphName = graphName;
    }

    /// <summary>Text stored in ModelProto.producer_version (e.g. the trainer's version or run id).</summary>
    public string ProducerVersion { get; set; } = "";

    /// <summary>Text stored in ModelProto.doc_string (e.g. the training command).</summary>
    public string DocString { get; set; } = "";

    public int NodeCount => _nodes.Count;

    /// <summary>True when a value (input, initializer or node output) of that name exists.</summary>
    public bool HasValue(string name) => _values.Contains(name);

    /// <summary>
    /// A value name not used yet: <paramref name="hint"/> itself if free, else <c>hint_1</c>, <c>hint_2</c>, …
    /// The name is not reserved until a value with it is added.
    /// </summary>
    public string UniqueName(string hint) => Unique(_values, Sanitize(hint));

    // ---- graph interface --------------------------------------------------------------------------------------

    /// <summary>Declares a float32 graph input with the given shape (e.g. <c>["batch", 3, 112, 112]</c>). Returns its name.</summary>
    public string Input(string name, params OnnxDim[] shape)
    {
        Claim(name);
        _inputs.Add((name, shape.ToArray()));
        return name;
    }

    /// <summary>
    /// Declares <paramref name="value"/> a float32 graph output called <paramref name="name"/> (an Identity node
    /// renames it when the two differ). With no <paramref name="shape"/> the shape is left to shape inference.
    /// </summary>
    public string Output(string value, string name, params OnnxDim[] shape)
    {
        RequireValue(value, "Output");
        if (value != name) value = Node("Identity", [value], [], name, exactName: true);
        if (_outputs.Any(o => o.Name == value)) throw new ArgumentException($"'{value}' is already a graph output", nameof(name));
        _outputs.Add((value, shape.Length == 0 ? null : shape.ToArray()));
        return value;
    }

    /// <summary>Adds a float32 constant (weights). <paramref name="dims"/>' product must equal <paramref name="data"/>'s length.</summary>
    public string Initializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> data)
    {
        CheckElementCount(name, dims, data.Length);
        var t = TensorHeader(name, dims, ElemFloat, estimatedBytes: data.Length * 4);
        t.RawFloats(9, data); // raw_data, little-endian
        return AddInitializer(name, t);
    }

    /// <summary>Adds an int64 constant (e.g. a Reshape target shape).</summary>
    public string InitializerInt64(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> data)
    {
        CheckElementCount(name, dims, data.Length);
        var t = TensorHeader(name, dims, ElemInt64, estimatedBytes: data.Length * 10);
        t.PackedInt64(7, data); // int64_data (declared packed in onnx.proto)
        return AddInitializer(name, t);
    }

    /// <summary>
    /// Adds any default-domain node. Returns the name of its (single) output, derived from <paramref name="name"/>
    /// or the op type. Pass "" in <paramref name="inputs"/> to leave an optional input out.
    /// </summary>
    public string Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<OnnxAttribute> attributes, string? name = null)
        => Node(opType, inputs, attributes, name, exactName: false);

    // ---- layer helpers ----------------------------------------------------------------------------------------

    /// <summary>2-D convolution, weight [outC, inC/group, kH, kW], optional bias [outC], symmetric padding.</summary>
    public string Conv(string x, string weight, string? bias, int kernelH, int kernelW,
        int strideH = 1, int strideW = 1, int padH = 0, int padW = 0, int group = 1,
        int dilationH = 1, int dilationW = 1, string? name = null)
    {
        if (group < 1) throw new ArgumentOutOfRangeException(nameof(group), group, "Conv group must be at least 1");
        string[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Node("Conv", inputs,
        [
            OnnxAttribute.Ints("kernel_shape", kernelH, kernelW),
            OnnxAttribute.Ints("strides", strideH, strideW),
            OnnxAttribute.Ints("pads", padH, padW, padH, padW),
            OnnxAttribute.Ints("dilations", dilationH, dilationW),
            OnnxAttribute.Int("group", group),
        ], name ?? "conv");
    }

    /// <summary>General matrix multiply <c>alpha·A·op(B) + beta·C</c>; with <paramref name="transB"/> B is [out, in] as in a linear layer.</summary>
    public string Gemm(string a, string b, string? c, bool transB = true, float alpha = 1f, float beta = 1f, string? name = null)
    {
        string[] inputs = c is null ? [a, b] : [a, b, c];
        return Node("Gemm", inputs,
        [
            OnnxAttribute.Float("alpha", alpha),
            OnnxAttribute.Float("beta", beta),
            OnnxAttribute.Int("transB", transB ? 1 : 0),
        ], name ?? "gemm");
    }

    public string MatMul(string a, string b, string? name = null) => Node("MatMul", [a, b], [], name ?? "matmul");
    public string Add(string a, string b, string? name = null) => Node("Add", [a, b], [], name ?? "add");
    public string Mul(string a, string b, string? name = null) => Node("Mul", [a, b], [], name ?? "mul");
    public string Relu(string x, string? name = null) => Node("Relu", [x], [], name ?? "relu");
    public string Sigmoid(string x, string? name = null) => Node("Sigmoid", [x], [], name ?? "sigmoid");
    public string Identity(string x, string? name = null) => Node("Identity", [x], [], name ?? "identity");

    /// <summary>Parametric ReLU. For NCHW activations the slope initializer must be shaped [C, 1, 1].</summary>
    public string PRelu(string x, string slope, string? name = null) => Node("PRelu", [x, slope], [], name ?? "prelu");

    /// <summary>Inference-form batch normalisation with running statistics (normally folded into the conv before export).</summary>
    public string BatchNormalization(string x, string scale, string bias, string mean, string variance, float epsilon = 1e-5f, string? name = null)
        => Node("BatchNormalization", [x, scale, bias, mean, variance], [OnnxAttribute.Float("epsilon", epsilon)], name ?? "bn");

    public string MaxPool(string x, int kernelH, int kernelW, int strideH = 1, int strideW = 1, int padH = 0, int padW = 0, string? name = null)
        => Node("MaxPool", [x], PoolAttributes(kernelH, kernelW, strideH, strideW, padH, padW), name ?? "maxpool");

    /// <summary>Average pooling; padded cells are excluded from the mean unless <paramref name="countIncludePad"/>.</summary>
    public string AveragePool(string x, int kernelH, int kernelW, int strideH = 1, int strideW = 1, int padH = 0, int padW = 0,
        bool countIncludePad = false, string? name = null)
        => Node("AveragePool", [x],
            [.. PoolAttributes(kernelH, kernelW, strideH, strideW, padH, padW), OnnxAttribute.Int("count_include_pad", countIncludePad ? 1 : 0)],
            name ?? "avgpool");

    public string GlobalAveragePool(string x, string? name = null) => Node("GlobalAveragePool", [x], [], name ?? "gap");

    /// <summary>Flattens to 2-D [prod(dims[..axis]), prod(dims[axis..])].</summary>
    public string Flatten(string x, int axis = 1, string? name = null) => Node("Flatten", [x], [OnnxAttribute.Int("axis", axis)], name ?? "flatten");

    /// <summary>Reshape to <paramref name="shape"/> (0 copies the input dim, -1 infers one dim); adds the shape as an int64 initializer.</summary>
    public string Reshape(string x, ReadOnlySpan<long> shape, string? name = null)
    {
        var hint = name ?? "reshape";
        var shapeName = InitializerInt64(UniqueName(hint + "_shape"), [shape.Length], shape);
        return Node("Reshape", [x, shapeName], [], hint);
    }

    /// <summary>
    /// L2-normalises along <paramref name="axis"/> with the standard LpNormalization op (p = 2), which ONNX Runtime's
    /// CPU provider implements. An all-zero row comes out as zeros, not NaN.
    /// </summary>
    public string L2Normalize(string x, int axis = 1, string? name = null)
        => Node("LpNormalization", [x], [OnnxAttribute.Int("axis", axis), OnnxAttribute.Int("p", 2)], name ?? "l2norm");

    // ---- encoding ---------------------------------------------------------------------------------------------

    /// <summary>Encodes the ModelProto. Fails if no output was declared.</summary>
    public byte[] ToBytes()
    {
        if (_outputs.Count == 0) throw new InvalidOperationException($"ONNX graph '{_graphName}' has no outputs; call Output() first");
        // GraphProto fields: node=1, name=2, initializer=5, input=11, output=12.
        var graph = new ProtoWriter(_initializers.Sum(t => t.Length) + 4096);
        foreach (var n in _nodes) graph.Message(1, n);
        graph.String(2, _graphName);
        foreach (var t in _initializers) graph.Message(5, t);
        foreach (var (name, shape) in _inputs) graph.Message(11, ValueInfo(name, shape));
        foreach (var (name, shape) in _outputs) graph.Message(12, ValueInfo(name, shape));

        // ModelProto fields: ir_version=1, producer_name=2, producer_version=3, doc_string=6, graph=7, opset_import=8.
        var model = new ProtoWriter(graph.Length + 256);
        model.Int64(1, IrVersion);
        model.String(2, ProducerName);
        if (ProducerVersion.Length > 0) model.String(3, ProducerVersion);
        if (DocString.Length > 0) model.String(6, DocString);
        model.Message(7, graph);
        var opset = new ProtoWriter();
        opset.String(1, ""); // default ONNX domain
        opset.Int64(2, OpsetVersion);
        model.Message(8, opset);
        return model.ToArray();
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> atomically (a temp file in the same folder, flushed, then renamed),
    /// so a crash or full disk never leaves a half-written model where a good one was.
    /// </summary>
    public void Save(string path)
    {
        var bytes = ToBytes();
        AtomicFile.Write(path, stream => stream.Write(bytes), "ONNX model");
    }

    // ---- internals --------------------------------------------------------------------------------------------

    private string Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<OnnxAttribute> attributes, string? name, bool exactName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        foreach (var input in inputs)
            if (input.Length > 0) RequireValue(input, opType);
        var hint = name ?? opType.ToLowerInvariant();
        string output;
        if (exactName) { Claim(hint); output = hint; }
        else { output = Unique(_values, Sanitize(hint)); _values.Add(output); }
        var nodeName = Unique(_nodeNames, output);
        _nodeNames.Add(nodeName);

        // NodeProto fields: input=1, output=2, name=3, op_type=4, attribute=5.
        var w = new ProtoWriter();
        foreach (var input in inputs) w.String(1, input);
        w.String(2, output);
        w.String(3, nodeName);
        w.String(4, opType);
        foreach (var a in attributes)
        {
            var aw = new ProtoWriter();
            a.WriteTo(aw);
            w.Message(5, aw);
        }
        _nodes.Add(w);
        return output;
    }

    private static OnnxAttribute[] PoolAttributes(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) =>
    [
        OnnxAttribute.Ints("kernel_shape", kernelH, kernelW),
        OnnxAttribute.Ints("strides", strideH, strideW),
        OnnxAttribute.Ints("pads", padH, padW, padH, padW),
    ];

    private static ProtoWriter TensorHeader(string name, ReadOnlySpan<long> dims, int dataType, int estimatedBytes)
    {
        // TensorProto fields: dims=1 (proto2 repeated, unpacked), data_type=2, name=8.
        var t = new ProtoWriter(estimatedBytes + 64 + name.Length);
        foreach (var d in dims) t.Int64(1, d);
        t.Int64(2, dataType);
        t.String(8, name);
        return t;
    }

    private string AddInitializer(string name, ProtoWriter tensor)
    {
        Claim(name);
        _initializers.Add(tensor);
        return name;
    }

    private static ProtoWriter ValueInfo(string name, OnnxDim[]? shape)
    {
        // TensorShapeProto.Dimension: dim_value=1, dim_param=2.  TensorShapeProto: dim=1.
        // TypeProto.Tensor: elem_type=1, shape=2.  TypeProto: tensor_type=1.  ValueInfoProto: name=1, type=2.
        var tensorType = new ProtoWriter();
        tensorType.Int64(1, ElemFloat);
        if (shape is not null)
        {
            var shapeProto = new ProtoWriter();
            foreach (var d in shape)
            {
                var dim = new ProtoWriter();
                if (d.Symbol is { } symbol) dim.String(2, symbol); else dim.Int64(1, d.Value);
                shapeProto.Message(1, dim);
            }
            tensorType.Message(2, shapeProto);
        }
        var type = new ProtoWriter();
        type.Message(1, tensorType);
        var info = new ProtoWriter();
        info.String(1, name);
        info.Message(2, type);
        return info;
    }

    private static void CheckElementCount(string name, ReadOnlySpan<long> dims, int length)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ArgumentException($"initializer '{name}': negative dimension {d} in [{string.Join(", ", dims.ToArray())}]");
            count *= d;
        }
        if (count != length)
            throw new ArgumentException(
                $"initializer '{name}': dims [{string.Join(", ", dims.ToArray())}] hold {count} elements but {length} values were given");
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_values.Add(name)) throw new ArgumentException($"ONNX value name '{name}' is already used in graph '{_graphName}'");
    }

    private void RequireValue(string name, string user)
    {
        if (!_values.Contains(name))
            throw new ArgumentException($"{user}: unknown ONNX value '{name}' (not an input, initializer or earlier node output)");
    }

    private static string Unique(HashSet<string> taken, string hint)
    {
        if (!taken.Contains(hint)) return hint;
        for (var i = 1; ; i++)
        {
            var candidate = $"{hint}_{i}";
            if (!taken.Contains(candidate)) return candidate;
        }
    }

    private static string Sanitize(string hint) => string.IsNullOrWhiteSpace(hint) ? "value" : hint.Trim();
}
