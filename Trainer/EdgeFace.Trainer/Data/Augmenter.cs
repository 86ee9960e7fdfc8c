using OpenCvSharp;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// Applies <see cref="AugmentOptions"/> to an image in place, every random draw coming from the given seed
/// (the sampler's per-sample seed), so the same seed always yields the same pixels. Works on 8-bit (1 or 3
/// channel) and 32-bit float single-channel images. Owns a scratch image and the warp matrix, reused across calls:
/// one instance per thread; dispose it to free them.
/// </summary>
public sealed class Augmenter(AugmentOptions options) : IDisposable
{
    private readonly Mat _matrix = new(2, 3, MatType.CV_64FC1);
    private readonly Mat _scratch = new();

    public AugmentOptions Options { get; } = options;

    /// <summary>Augments <paramref name="image"/> in place; its size and type are kept.</summary>
    public void Apply(Mat image, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        // Draw every value unconditionally so each augmentation's randomness is independent of the others' settings.
        var flip = rng.NextDouble() < Options.FlipProbability;
        var angle = rng.NextSymmetric(Options.MaxRotationDegrees) * Math.PI / 180;
        var scale = 1 + rng.NextSymmetric(Options.MaxScale);
        var shiftX = rng.NextSymmetric(Options.MaxShift) * image.Width;
        var shiftY = rng.NextSymmetric(Options.MaxShift) * image.Height;
        var brightness = rng.NextSymmetric(Options.MaxBrightness);
        var contrast = 1 + rng.NextSymmetric(Options.MaxContrast);

        if (flip || angle != 0 || scale != 1 || shiftX != 0 || shiftY != 0)
            Warp(image, flip, angle, scale, shiftX, shiftY);
        if (brightness != 0 || contrast != 1)
        {
            var range = image.Depth() == MatType.CV_8U ? 255.0 : Options.FloatRange;
            var mean = Cv2.Mean(image);
            var channelMean = image.Channels() == 1 ? mean.Val0 : (mean.Val0 + mean.Val1 + mean.Val2) / 3;
            // v' = contrast·(v − mean) + mean + brightness·range, saturated for 8-bit images.
            image.ConvertTo(image, -1, contrast, (1 - contrast) * channelMean + brightness * range);
        }
    }

    private void Warp(Mat image, bool flip, double angle, double scale, double shiftX, double shiftY)
    {
        // Forward map src -> dst: q = A·(F·p − c) + c + t, with F the optional mirror x -> (W−1) − x,
        // A = scale·rotation, c the image centre and t the shift.
        double cx = (image.Width - 1) / 2.0, cy = (image.Height - 1) / 2.0;
        double cos = Math.Cos(angle) * scale, sin = Math.Sin(angle) * scale;
        double fx = flip ? -1 : 1, fOffset = flip ? image.Width - 1 : 0;
        // A·F: the mirror negates the first column.
        double m00 = cos * fx, m01 = -sin, m10 = sin * fx, m11 = cos;
        // A·(F_offset − c) + c + t
        double ox = cos * (fOffset - cx) - sin * (0 - cy) + cx + shiftX;
        double oy = sin * (fOffset - cx) + cos * (0 - cy) + cy + shiftY;
        _matrix.Set(0, 0, m00); _matrix.Set(0, 1, m01); _matrix.Set(0, 2, ox);
        _matrix.Set(1, 0, m10); _matrix.Set(1, 1, m11); _matrix.Set(1, 2, oy);
        Cv2.WarpAffine(image, _scratch, _matrix, image.Size(), InterpolationFlags.Linear, Options.Border, Scalar.All(Options.BorderValue));
        _scratch.CopyTo(image);
    }

    public void Dispose()
    {
        _matrix.Dispose();
        _scratch.Dispose();
    }
}
