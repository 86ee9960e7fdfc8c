using EdgeFace.Runtime.Imaging;
using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Matching;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Faces;

/// <summary>
/// Embeds aligned face crops with an ONNX model described by its manifest (colour order, scale/mean/std, output).
/// Input and output tensors are bound once, so <see cref="Embed"/> allocates nothing. Owns the session; dispose it.
/// </summary>
public sealed class OnnxFaceEmbedder : IFaceEmbedder, IBareRun
{
    private readonly ModelSession _session;
    private readonly NchwWriter _writer;
    private readonly TensorBinding _binding;
    private readonly int _output;

    public int Dimension { get; }
    public ModelManifest Manifest => _session.Manifest;
    public bool FlipAugmentation { get; }
    /// <summary>The device the model runs on (see <see cref="ModelSession.Device"/>).</summary>
    public string Device => _session.Device;

    public OnnxFaceEmbedder(ModelSession session, bool flipAugmentation = false)
    {
        _session = session;
        var m = session.Manifest;
        if (m.Input.IsDynamic) throw new EdgeFaceException($"{session.Entry.FileName}: an embedder needs a fixed input size");
        var output = m.Output ?? throw new EdgeFaceException($"{session.Entry.FileName}: manifest has no output section");
        _writer = new NchwWriter(m.Input);
        FlipAugmentation = flipAugmentation;
        var shapes = session.OutputNames.Select(n => session.OutputDimensions(n).Select(d => (long)Math.Max(1, d)).ToArray()).ToArray();
        _output = session.OutputNames.ToList().IndexOf(output.Name);
        Dimension = (int)shapes[_output].Aggregate(1L, (a, d) => a * d);
        _binding = new TensorBinding(session, [[1, m.Input.Channels, m.Input.Height, m.Input.Width]], shapes);
    }

    /// <summary>Raw model time without pre/post-processing, for benchmarks: runs the graph on whatever the input buffer holds.</summary>
    public void RunBare() => _binding.Run();

    public void Embed(Mat alignedBgr112, Span<float> destination)
    {
        ImageChecks.RequireBgr(alignedBgr112);
        var input = Manifest.Input;
        if (alignedBgr112.Cols != input.Width || alignedBgr112.Rows != input.Height)
            throw new ArgumentException($"expected a {input.Width}x{input.Height} aligned crop, got {alignedBgr112.Cols}x{alignedBgr112.Rows}", nameof(alignedBgr112));
        if (destination.Length < Dimension) throw new ArgumentException($"destination holds {destination.Length} floats, embedding has {Dimension}", nameof(destination));
        var dst = destination[..Dimension];
        var output = _binding.Outputs[_output].AsSpan(0, Dimension);
        _writer.Write(alignedBgr112, _binding.Inputs[0], input.Width, input.Height);
        _binding.Run();
        output.CopyTo(dst);
        if (FlipAugmentation)
        {
            _writer.Write(alignedBgr112, _binding.Inputs[0], input.Width, input.Height, mirror: true);
            _binding.Run();
            for (var i = 0; i < dst.Length; i++) dst[i] += output[i];
        }
        Similarity.Normalize(dst);
    }

    public void Dispose()
    {
        _binding.Dispose();
        _session.Dispose();
    }
}
