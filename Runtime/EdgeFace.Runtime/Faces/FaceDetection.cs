namespace EdgeFace.Runtime.Faces;

/// <summary>One detected face: box, five landmarks (see <see cref="FacePoints"/>) and detector confidence 0..1, in source-image pixels.</summary>
public readonly record struct FaceDetection(RectF Box, FacePoints Landmarks, float Score);
