using System.Runtime.Intrinsics;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Imaging;

/// <summary>
/// Writes an 8-bit BGR image into a planar float tensor with a model's colour order and normalisation
/// <c>(pixel * scale - mean) / std</c>, folded into one multiply-add per value. No allocation.
/// </summary>
public readonly struct NchwWriter
{
    private readonly float _a0, _a1, _a2, _b0, _b1, _b2;
    private readonly bool _rgb;

    public NchwWriter(ModelInput input)
    {
        if (input.Channels != 3) throw new EdgeFaceException($"input '{input.Name}': only 3-channel inputs are supported, manifest says {input.Channels}");
        if (input.Mean.Length != 3 || input.Std.Length != 3 || input.Std.Any(v => !(Math.Abs(v) > 0)))
            throw new EdgeFaceException($"input '{input.Name}': manifest needs 3 mean and 3 non-zero std values, has [{string.Join(",", input.Mean)}] / [{string.Join(",", input.Std)}]");
        _rgb = input.ColorOrder.Equals("RGB", StringComparison.OrdinalIgnoreCase);
        if (!_rgb && !input.ColorOrder.Equals("BGR", StringComparison.OrdinalIgnoreCase))
            throw new EdgeFaceException($"input '{input.Name}': colour order '{input.ColorOrder}' is not supported for faces (BGR or RGB)");
        // Plane c of the tensor takes source channel (rgb ? 2-c : c); a/b are the folded normalisation per plane.
        _a0 = input.Scale / input.Std[0]; _b0 = -input.Mean[0] / input.Std[0];
        _a1 = input.Scale / input.Std[1]; _b1 = -input.Mean[1] / input.Std[1];
        _a2 = input.Scale / input.Std[2]; _b2 = -input.Mean[2] / input.Std[2];
    }

    /// <summary>The tensor value a black (0) pixel maps to in plane <paramref name="plane"/>: the letterbox padding value.</summary>
    public float Zero(int plane) => plane switch { 0 => _b0, 1 => _b1, _ => _b2 };

    // Byte shuffles that gather one channel of 16 interleaved BGR pixels (48 bytes in three 16-byte vectors);
    // index 0xFF selects zero (pshufb: high bit set; ARM tbl: index >= 16), so OR-ing the three partial gathers gives the whole channel.
    private static readonly Vector128<byte>[] Gather = BuildGather();

    private static Vector128<byte>[] BuildGather()
    {
        var masks = new Vector128<byte>[9];
        Span<byte> m = stackalloc byte[16];
        for (var channel = 0; channel < 3; channel++)
            for (var part = 0; part < 3; part++)
            {
                for (var p = 0; p < 16; p++)
                {
                    var local = 3 * p + channel - 16 * part;
                    m[p] = local is >= 0 and < 16 ? (byte)local : (byte)0xFF;
                }
                masks[3 * channel + part] = Vector128.Create((ReadOnlySpan<byte>)m);
            }
        return masks;
    }

    private unsafe void Write16(byte* src, float* p0, float* p1, float* p2, int s0, int s2)
    {
        var v0 = Vector128.Load(src);
        var v1 = Vector128.Load(src + 16);
        var v2 = Vector128.Load(src + 32);
        Store(Channel(v0, v1, v2, s0), p0, _a0, _b0);
        Store(Channel(v0, v1, v2, 1), p1, _a1, _b1);
        Store(Channel(v0, v1, v2, s2), p2, _a2, _b2);
    }

    private static Vector128<byte> Channel(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2, int channel) =>
        Vector128.ShuffleNative(v0, Gather[3 * channel]) | Vector128.ShuffleNative(v1, Gather[3 * channel + 1]) | Vector128.ShuffleNative(v2, Gather[3 * channel + 2]);

    private static unsafe void Store(Vector128<byte> bytes, float* dst, float a, float b)
    {
        var va = Vector128.Create(a);
        var vb = Vector128.Create(b);
        var (lo, hi) = Vector128.Widen(bytes);
        var (q0, q1) = Vector128.Widen(lo);
        var (q2, q3) = Vector128.Widen(hi);
        (Vector128.ConvertToSingle(q0) * va + vb).Store(dst);
        (Vector128.ConvertToSingle(q1) * va + vb).Store(dst + 4);
        (Vector128.ConvertToSingle(q2) * va + vb).Store(dst + 8);
        (Vector128.ConvertToSingle(q3) * va + vb).Store(dst + 12);
    }

    /// <summary>Fills every plane of a 1x3xHxW tensor with the value of a black pixel.</summary>
    public void Clear(Span<float> tensor, int width, int height)
    {
        var plane = width * height;
        tensor[..plane].Fill(_b0);
        tensor.Slice(plane, plane).Fill(_b1);
        tensor.Slice(2 * plane, plane).Fill(_b2);
    }

    /// <summary>
    /// Writes <paramref name="bgr"/> (CV_8UC3) into a 1x3x<paramref name="height"/>x<paramref name="width"/> tensor at
    /// (<paramref name="offsetX"/>, <paramref name="offsetY"/>); <paramref name="mirror"/> flips it horizontally on the way.
    /// </summary>
    public unsafe void Write(Mat bgr, Span<float> tensor, int width, int height, int offsetX = 0, int offsetY = 0, bool mirror = false)
    {
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException("expected an 8-bit BGR image", nameof(bgr));
        int w = bgr.Cols, h = bgr.Rows;
        if (offsetX < 0 || offsetY < 0 || offsetX + w > width || offsetY + h > height)
            throw new ArgumentException($"{w}x{h} image does not fit a {width}x{height} tensor at ({offsetX},{offsetY})");
        if (tensor.Length < 3 * width * height) throw new ArgumentException("tensor too small", nameof(tensor));
        var plane = width * height;
        var step = (long)bgr.Step();
        var data = (byte*)bgr.DataPointer;
        fixed (float* t = tensor)
        {
            // Output plane 0 reads source channel 2 for RGB models, channel 0 for BGR models.
            int s0 = _rgb ? 2 : 0, s2 = _rgb ? 0 : 2;
            for (var y = 0; y < h; y++)
            {
                var src = data + y * step + (mirror ? 3 * (w - 1) : 0);
                var advance = mirror ? -3 : 3;
                var o = (offsetY + y) * width + offsetX;
                float* p0 = t + o, p1 = t + plane + o, p2 = t + 2 * plane + o;
                var x = 0;
                if (!mirror && Vector128.IsHardwareAccelerated)
                    for (; x + 16 <= w; x += 16, src += 48) Write16(src, p0 + x, p1 + x, p2 + x, s0, s2);
                for (; x < w; x++, src += advance)
                {
                    p0[x] = src[s0] * _a0 + _b0;
                    p1[x] = src[1] * _a1 + _b1;
                    p2[x] = src[s2] * _a2 + _b2;
                }
            }
        }
    }
}
