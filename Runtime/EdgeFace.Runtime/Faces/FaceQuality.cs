namespace EdgeFace.Runtime.Faces;

/// <summary>
/// How usable a face capture is: face size (the larger box side, px), sharpness (variance of the Laplacian of
/// the aligned grey crop), mean brightness of the crop (0..255), detector score and how many faces the image had.
/// </summary>
public readonly record struct FaceQuality(float FaceSizePx, double Sharpness, double Brightness, float DetectorScore, int FaceCount);

/// <summary>The face chosen for embedding, with its quality summary.</summary>
public readonly record struct PrimaryFace(FaceDetection Detection, FaceQuality Quality);
