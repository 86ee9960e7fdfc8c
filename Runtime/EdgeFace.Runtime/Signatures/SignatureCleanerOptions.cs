namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// Tuning of <see cref="SignatureCleaner"/>. Every length is in pixels of the working image, which is the input
/// rescaled so its longer side is <see cref="WorkingSize"/>; that makes the kernels independent of the scan resolution.
/// The defaults were set by looking at the stages (<see cref="SignatureCleaner.WriteDebugImages"/>) of SigComp2011 and
/// NISDCC scans; the "not a signature" limits come from the spread of those measures over all 1,269 SigComp2011 and
/// NISDCC images against 265 face photos (a sanity range, not a tuned verification threshold).
/// </summary>
public sealed record SignatureCleanerOptions
{
    /// <summary>Longer side of the working image (default 768). Small crops are upscaled, large photos downscaled.</summary>
    public int WorkingSize { get; init; } = 768;

    /// <summary>
    /// Side of the square closing that estimates the paper (default 31). Must exceed the widest pen stroke, because
    /// anything darker and narrower than this is taken as ink; shadows and gradients are wider and are divided out.
    /// </summary>
    public int BackgroundKernel { get; init; } = 31;

    /// <summary>
    /// Ink must be at least this much darker than the paper, on the 0..255 scale of the normalised image (default 45).
    /// Caps the Otsu threshold so a blank or nearly blank page (whose histogram is all paper and noise) yields no ink.
    /// </summary>
    public int MinInkContrast { get; init; } = 45;

    /// <summary>
    /// A straight near-horizontal ink segment at least this fraction of the working width, of steady thickness and
    /// straight to a pixel, is a ruled line and is erased (default 0.6). Hand-drawn strokes waver and are kept.
    /// </summary>
    public double RuledLineMinLength { get; init; } = 0.6;

    /// <summary>Steepest angle, in degrees, at which a straight segment still counts as a ruled line (default 10).</summary>
    public double RuledLineMaxAngle { get; init; } = 10;

    /// <summary>Connected ink components smaller than this fraction of all ink are specks and removed (default 0.002).</summary>
    public double SpeckFraction { get; init; } = 0.002;

    /// <summary>
    /// Deskew: an ink principal axis within this many degrees of horizontal is rotated to horizontal (default 15);
    /// the correction tapers linearly to none at twice this angle, so a steeply written signature is left alone. The
    /// bound is wide on purpose: a page tilt of ±5° on top of the writer's own slant must still land in the fully
    /// corrected range, or the same signature would be straightened on one scan and not on the next. 0 disables.
    /// </summary>
    public double DeskewMaxAngle { get; init; } = 15;

    /// <summary>
    /// Empty border, in output pixels, left on each side of the 150x220 canvas (default 4). The ink is cropped to its
    /// bounding box and this border is the only margin, so the ink touches the margin in at least one dimension.
    /// </summary>
    public int CanvasMargin { get; init; } = 4;

    /// <summary>
    /// Contrast stretch: ink darkness is scaled so this percentile of the ink pixels maps to 1.0 (default 0.95),
    /// which makes a light pencil and a dark marker comparable.
    /// </summary>
    public double InkPercentile { get; init; } = 0.95;

    /// <summary>Report "no ink found" when less than this fraction of the working image is ink after clean-up (default 0.0005).</summary>
    public double MinInkCoverage { get; init; } = 0.0005;

    /// <summary>Reject as "not a signature" when more than this fraction of the image is ink (default 0.30).</summary>
    public double MaxInkCoverage { get; init; } = 0.30;

    /// <summary>
    /// Reject as "not a signature" when more than this fraction of the non-ink pixels is shaded (darker than plain
    /// paper) after illumination normalisation (default 0.15). Signature scans measure 0.01-0.11 on SigComp2011 and NISDCC;
    /// face photographs 0.09-0.54 (88% above 0.15), so this stops most, not all, photographs.
    /// </summary>
    public double MaxShadedPaper { get; init; } = 0.15;

    /// <summary>Reject as "not a signature" when the ink fills more than this fraction of its own bounding box (default 0.45).</summary>
    public double MaxBoxFill { get; init; } = 0.45;

    /// <summary>Reject as "not a signature" when more than this many ink components remain after speck removal (default 120).</summary>
    public int MaxComponents { get; init; } = 120;

    /// <summary>Accepted range of the ink box's width/height ratio (default 0.25 to 15).</summary>
    public double MinAspect { get; init; } = 0.25;
    public double MaxAspect { get; init; } = 15;

    /// <summary>Throws <see cref="EdgeFaceException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        Check(WorkingSize is >= 128 and <= 4096, nameof(WorkingSize), WorkingSize);
        Check(BackgroundKernel is >= 3 and <= 255, nameof(BackgroundKernel), BackgroundKernel);
        Check(MinInkContrast is >= 1 and <= 254, nameof(MinInkContrast), MinInkContrast);
        Check(RuledLineMinLength is > 0 and <= 1, nameof(RuledLineMinLength), RuledLineMinLength);
        Check(RuledLineMaxAngle is >= 0 and < 45, nameof(RuledLineMaxAngle), RuledLineMaxAngle);
        Check(SpeckFraction is >= 0 and < 0.5, nameof(SpeckFraction), SpeckFraction);
        Check(DeskewMaxAngle is >= 0 and <= 30, nameof(DeskewMaxAngle), DeskewMaxAngle);
        Check(CanvasMargin is >= 0 and < 50, nameof(CanvasMargin), CanvasMargin);
        Check(InkPercentile is > 0 and <= 1, nameof(InkPercentile), InkPercentile);
        Check(MinInkCoverage is >= 0 and < 0.1, nameof(MinInkCoverage), MinInkCoverage);
        Check(MaxInkCoverage is > 0 and <= 1, nameof(MaxInkCoverage), MaxInkCoverage);
        Check(MaxShadedPaper is > 0 and <= 1, nameof(MaxShadedPaper), MaxShadedPaper);
        Check(MaxBoxFill is > 0 and <= 1, nameof(MaxBoxFill), MaxBoxFill);
        Check(MaxComponents >= 1, nameof(MaxComponents), MaxComponents);
        Check(MinAspect > 0 && MaxAspect > MinAspect, nameof(MinAspect), MinAspect);
    }

    private static void Check(bool ok, string name, double value)
    {
        if (!ok) throw new EdgeFaceException($"signature cleaner option {name} is out of range ({value})");
    }
}
