using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeFace.Runtime.Faces;

namespace EdgeFace.Cli.Commands;

/// <summary>The JSON shapes the face commands print, so detect, embed and verify describe faces identically.</summary>
internal static class FaceJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static JsonObject Face(in FaceDetection f) => new()
    {
        ["box"] = new JsonObject { ["x"] = R(f.Box.X), ["y"] = R(f.Box.Y), ["width"] = R(f.Box.Width), ["height"] = R(f.Box.Height) },
        ["landmarks"] = new JsonObject
        {
            ["left_eye"] = Point(f.Landmarks.LeftEye),
            ["right_eye"] = Point(f.Landmarks.RightEye),
            ["nose"] = Point(f.Landmarks.Nose),
            ["left_mouth"] = Point(f.Landmarks.LeftMouth),
            ["right_mouth"] = Point(f.Landmarks.RightMouth),
        },
        ["score"] = Math.Round(f.Score, 4),
    };

    public static JsonObject Quality(in FaceQuality q) => new()
    {
        ["face_size_px"] = R(q.FaceSizePx),
        ["sharpness"] = Math.Round(q.Sharpness, 1),
        ["brightness"] = Math.Round(q.Brightness, 1),
        ["detector_score"] = Math.Round(q.DetectorScore, 4),
        ["face_count"] = q.FaceCount,
    };

    private static JsonArray Point(PointF p) => [R(p.X), R(p.Y)];
    private static double R(float v) => Math.Round(v, 2);
}
