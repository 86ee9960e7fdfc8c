using EdgeFace.Runtime.Signatures;
using OpenCvSharp;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// The Runtime's own <see cref="SignatureCleaner"/> as an <see cref="SampleLoader"/> preprocessing delegate, so a
/// signature network is trained on exactly the canvas the runtime will feed it: cleaned ink 0..1, then
/// <c>(v − mean)/std</c> as written to the manifest. Owns a cleaner (native buffers): dispose it. Not thread-safe,
/// like the loader that calls it.
/// </summary>
public sealed class SignaturePreprocessor(float mean, float std) : IDisposable
{
    private readonly SignatureCleaner _cleaner = new();

    /// <summary>The delegate for <see cref="SampleLoader"/>; the decoded image's origin is unknown here, so errors name "training image".</summary>
    public void Preprocess(Mat image, Span<float> destination)
    {
        _cleaner.Clean(image, destination, "training image");
        if (mean == 0f && std == 1f) return;
        for (var i = 0; i < destination.Length; i++) destination[i] = (destination[i] - mean) / std;
    }

    public void Dispose() => _cleaner.Dispose();
}
