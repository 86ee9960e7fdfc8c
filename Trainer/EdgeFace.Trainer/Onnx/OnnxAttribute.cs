namespace EdgeFace.Trainer.Onnx;

/// <summary>
/// A node attribute (ONNX AttributeProto) of one of the kinds our exporter needs: INT, INTS, FLOAT, FLOATS, STRING.
/// Immutable; create with the static factories.
/// </summary>
public sealed class OnnxAttribute
{
    // AttributeProto.AttributeType values from onnx.proto.
    private const int TypeFloat = 1, TypeInt = 2, TypeString = 3, TypeFloats = 6, TypeInts = 7;

    private readonly int _type;
    private readonly long _int;
    private readonly float _float;
    private readonly string? _string;
    private readonly long[]? _ints;
    private readonly float[]? _floats;

    private OnnxAttribute(string name, int type, long i = 0, float f = 0, string? s = null, long[]? ints = null, float[]? floats = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("an ONNX attribute needs a name", nameof(name));
        Name = name;
        _type = type; _int = i; _float = f; _string = s; _ints = ints; _floats = floats;
    }

    public string Name { get; }

    public static OnnxAttribute Int(string name, long value) => new(name, TypeInt, i: value);
    public static OnnxAttribute Ints(string name, params ReadOnlySpan<long> values) => new(name, TypeInts, ints: values.ToArray());
    public static OnnxAttribute Ints(string name, ReadOnlySpan<int> values)
    {
        var longs = new long[values.Length];
        for (var k = 0; k < values.Length; k++) longs[k] = values[k];
        return new(name, TypeInts, ints: longs);
    }
    public static OnnxAttribute Float(string name, float value) => new(name, TypeFloat, f: value);
    public static OnnxAttribute Floats(string name, params ReadOnlySpan<float> values) => new(name, TypeFloats, floats: values.ToArray());
    public static OnnxAttribute String(string name, string value) => new(name, TypeString, s: value ?? throw new ArgumentNullException(nameof(value)));

    // AttributeProto fields: name=1, f=2, i=3, s=4, floats=7, ints=8, type=20.
    internal void WriteTo(ProtoWriter w)
    {
        w.String(1, Name);
        switch (_type)
        {
            case TypeFloat: w.Float(2, _float); break;
            case TypeInt: w.Int64(3, _int); break;
            case TypeString: w.String(4, _string!); break;
            // onnx.proto declares floats/ints as proto2 "repeated" without [packed]; write them unpacked to match.
            case TypeFloats: foreach (var v in _floats!) w.Float(7, v); break;
            case TypeInts: foreach (var v in _ints!) w.Int64(8, v); break;
        }
        w.Int64(20, _type);
    }
}
