using EdgeFace.Runtime.Models;
using Microsoft.ML.OnnxRuntime;

namespace EdgeFace.Runtime.Inference;

/// <summary>
/// An ONNX Runtime session for one identified, verified model, on the device it actually runs on.
/// Owns the <see cref="InferenceSession"/>; dispose it when done. A session created for DirectML must be used
/// from one thread at a time (DirectML sessions are not safe for concurrent Run calls).
/// </summary>
public sealed class ModelSession : IDisposable
{
    public ModelEntry Entry { get; }
    public ModelManifest Manifest { get; }
    public InferenceSession Session { get; }
    /// <summary>The device the session runs on, e.g. "cpu" or "directml:0".</summary>
    public string Device { get; }
    /// <summary>Why the requested accelerator was not used, or null when it was (or CPU was asked for).</summary>
    public string? FallbackReason { get; }

    public IReadOnlyList<string> InputNames { get; }
    public IReadOnlyList<string> OutputNames { get; }

    internal ModelSession(ModelEntry entry, InferenceSession session, string device, string? fallbackReason)
    {
        Entry = entry;
        Manifest = entry.RequireManifest();
        Session = session;
        Device = device;
        FallbackReason = fallbackReason;
        InputNames = session.InputNames.ToArray();
        OutputNames = session.OutputNames.ToArray();
    }

    /// <summary>Graph dimensions of an output (-1 for dynamic axes).</summary>
    public int[] OutputDimensions(string name) => Session.OutputMetadata[name].Dimensions;

    public void Dispose() => Session.Dispose();
}
