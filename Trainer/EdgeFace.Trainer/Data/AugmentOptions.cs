using OpenCvSharp;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// Strength of the random training augmentations. Geometric ones (flip, rotation, scale, shift) are composed into
/// one affine warp, so "pad-and-crop" is the shift and "scale-crop" the scale jitter; photometric ones
/// (brightness, contrast) follow. Zero disables an augmentation. Immutable.
/// </summary>
public sealed record AugmentOptions
{
    /// <summary>Probability of a horizontal flip (0 for signatures: a mirrored signature is another shape).</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Maximum rotation either way, in degrees.</summary>
    public double MaxRotationDegrees { get; init; } = 10;

    /// <summary>Maximum relative zoom either way (0.1 = 90 %..110 %).</summary>
    public double MaxScale { get; init; } = 0.10;

    /// <summary>Maximum shift either way as a fraction of the width/height: a random pad-and-crop.</summary>
    public double MaxShift { get; init; } = 0.06;

    /// <summary>Maximum brightness offset either way as a fraction of the full range (255 for 8-bit, <see cref="FloatRange"/> for float images).</summary>
    public double MaxBrightness { get; init; } = 0.10;

    /// <summary>Maximum contrast change either way (0.2 = ×0.8..×1.2 around the image mean).</summary>
    public double MaxContrast { get; init; } = 0.20;

    /// <summary>How pixels uncovered by the warp are filled.</summary>
    public BorderTypes Border { get; init; } = BorderTypes.Constant;

    /// <summary>Fill value for <see cref="BorderTypes.Constant"/>, in the image's own units.</summary>
    public double BorderValue { get; init; }

    /// <summary>Full range of float images (e.g. the output of a preprocessing delegate), for <see cref="MaxBrightness"/>.</summary>
    public double FloatRange { get; init; } = 1.0;

    /// <summary>Sensible face defaults (the property defaults).</summary>
    public static AugmentOptions Faces { get; } = new();

    /// <summary>Signatures: no flip, gentler geometry, edges replicated (the paper background continues).</summary>
    public static AugmentOptions Signatures { get; } = new()
    {
        FlipProbability = 0, MaxRotationDegrees = 5, MaxScale = 0.08, MaxShift = 0.04, Border = BorderTypes.Replicate,
    };

    public bool IsGeometric => FlipProbability > 0 || MaxRotationDegrees > 0 || MaxScale > 0 || MaxShift > 0;
    public bool IsPhotometric => MaxBrightness > 0 || MaxContrast > 0;
}
