namespace EdgeFace.Runtime.Signatures;

/// <summary>What <see cref="SignatureCleaner"/> found in the last image it cleaned, in working-image pixels.</summary>
/// <param name="WorkingWidth">Width of the working image (input rescaled to the working size).</param>
/// <param name="WorkingHeight">Height of the working image.</param>
/// <param name="InkPixels">Ink pixels kept after ruled-line and speck removal.</param>
/// <param name="InkCoverage">Fraction of the working image that the binarisation marked as ink, before any removal.</param>
/// <param name="ShadedPaper">Fraction of the non-ink pixels that are shaded rather than plain paper.</param>
/// <param name="Components">Connected ink components kept.</param>
/// <param name="SpecksRemoved">Connected ink components dropped as specks.</param>
/// <param name="RuledLines">Straight near-horizontal segments erased as ruled lines.</param>
/// <param name="InkThreshold">The binarisation threshold on the normalised image (ink is at or below it).</param>
/// <param name="DeskewDegrees">Rotation applied by deskewing (counter-clockwise positive), 0 when none.</param>
/// <param name="InkBoxWidth">Width of the ink's bounding box before scaling onto the canvas.</param>
/// <param name="InkBoxHeight">Height of the ink's bounding box before scaling onto the canvas.</param>
public readonly record struct SignatureCleanStats(
    int WorkingWidth, int WorkingHeight, int InkPixels, double InkCoverage, double ShadedPaper, int Components, int SpecksRemoved,
    int RuledLines, int InkThreshold, double DeskewDegrees, int InkBoxWidth, int InkBoxHeight);
