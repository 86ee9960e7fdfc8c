using EdgeFace.Enrollment.Model;

namespace EdgeFace.Enrollment.Policy;

/// <summary>
/// The quality bar an enrolment sample must pass. Defaults suit a kiosk camera or ID-style photos:
/// exactly one face, at least 80 px (the embedder's 112 px crop from fewer pixels loses detail),
/// a sharpness of 25 (variance of the Laplacian of the aligned crop; motion blur scores below ~15),
/// mean brightness between 40 and 220 (of 255), and detector confidence at least 0.6.
/// </summary>
public sealed record QualityOptions
{
    public double MinFaceSizePx { get; init; } = 80;
    public double MinSharpness { get; init; } = 25;
    public double MinBrightness { get; init; } = 40;
    public double MaxBrightness { get; init; } = 220;
    public double MinDetectorScore { get; init; } = 0.6;

    /// <summary>Why a face sample fails the bar (e.g. "face too small (48 px &lt; 80 px)"), or null when it passes.</summary>
    public string? Reject(SampleQuality q)
    {
        if (q.FaceCount == 0) return "no face found";
        if (q.FaceCount > 1) return $"{q.FaceCount} faces (enrolment needs exactly one)";
        if (q.FaceSizePx < MinFaceSizePx) return $"face too small ({q.FaceSizePx:0} px < {MinFaceSizePx:0} px)";
        if (q.DetectorScore < MinDetectorScore) return $"face not clear enough (detector score {q.DetectorScore:0.00} < {MinDetectorScore:0.00})";
        if (q.Sharpness < MinSharpness) return $"too blurry (sharpness {q.Sharpness:0.0} < {MinSharpness:0.0})";
        if (q.Brightness < MinBrightness) return $"too dark (brightness {q.Brightness:0} < {MinBrightness:0})";
        if (q.Brightness > MaxBrightness) return $"too bright (brightness {q.Brightness:0} > {MaxBrightness:0})";
        return null;
    }
}
