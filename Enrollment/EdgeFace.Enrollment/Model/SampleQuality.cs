namespace EdgeFace.Enrollment.Model;

/// <summary>
/// What the capture pipeline measured about one sample. Face fields come from the detector and the crop;
/// a signature sample leaves the face fields at zero.
/// </summary>
/// <param name="FaceCount">Faces the detector found in the image (the sample is the chosen one).</param>
/// <param name="FaceSizePx">Shorter side of the chosen face box, in source-image pixels.</param>
/// <param name="Sharpness">Variance of the Laplacian of the aligned grey crop (higher is sharper).</param>
/// <param name="Brightness">Mean grey level of the aligned crop, 0..255.</param>
/// <param name="DetectorScore">Detector confidence of the chosen face, 0..1.</param>
public readonly record struct SampleQuality(int FaceCount, double FaceSizePx, double Sharpness, double Brightness, double DetectorScore);
