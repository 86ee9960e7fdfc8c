namespace EdgeFace.Runtime.Faces;

/// <summary>Decision knobs shared by every detector. Null values take the model card's parameters.</summary>
public sealed record FaceDetectorOptions
{
    /// <summary>Minimum confidence (0..1) a face needs; null: the manifest's "score_threshold".</summary>
    public float? ScoreThreshold { get; init; }
    /// <summary>Boxes overlapping a better one by more than this IoU are dropped; null: the manifest's "nms_iou".</summary>
    public float? NmsIou { get; init; }
    /// <summary>Dynamic-size detectors downscale images whose longer side exceeds this, bounding the cost of huge photos.</summary>
    public int MaxDynamicSide { get; init; } = 1280;
}
