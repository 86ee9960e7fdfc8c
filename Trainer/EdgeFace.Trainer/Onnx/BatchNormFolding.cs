namespace EdgeFace.Trainer.Onnx;

/// <summary>
/// Folds an inference-mode batch normalisation into the convolution or linear layer before it, so the exported
/// graph has one op instead of two: <c>w' = w·γ/√(σ²+ε)</c> per output channel and
/// <c>b' = (b − μ)·γ/√(σ²+ε) + β</c>. Pure arithmetic on the caller's buffers (double precision internally).
/// </summary>
public static class BatchNormFolding
{
    /// <param name="weight">[outChannels, ...] weights, rewritten in place (each output channel's row is scaled).</param>
    /// <param name="bias">[outChannels] bias, rewritten in place (pass zeros when the layer had none).</param>
    public static void Fold(Span<float> weight, Span<float> bias,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon)
    {
        var channels = bias.Length;
        if (gamma.Length != channels || beta.Length != channels || mean.Length != channels || variance.Length != channels)
            throw new ArgumentException($"batch-norm statistics must have {channels} entries, one per output channel");
        if (channels == 0 || weight.Length % channels != 0)
            throw new ArgumentException($"weight length {weight.Length} is not a multiple of {channels} output channels");
        var perChannel = weight.Length / channels;
        for (var c = 0; c < channels; c++)
        {
            var factor = gamma[c] / Math.Sqrt(variance[c] + (double)epsilon);
            var row = weight.Slice(c * perChannel, perChannel);
            for (var i = 0; i < row.Length; i++) row[i] = (float)(row[i] * factor);
            bias[c] = (float)((bias[c] - mean[c]) * factor + beta[c]);
        }
    }
}
