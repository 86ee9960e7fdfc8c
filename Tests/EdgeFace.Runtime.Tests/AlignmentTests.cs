using EdgeFace.Runtime.Faces;
using OpenCvSharp;

namespace EdgeFace.Runtime.Tests;

public class AlignmentTests
{
    [Fact]
    public void Template_onto_itself_is_the_identity()
    {
        var t = SimilarityTransform.Estimate(FaceAligner.Template, FaceAligner.Template);
        Assert.Equal(1, t.A, 6);
        Assert.Equal(0, t.B, 6);
        Assert.Equal(0, t.Tx, 4);
        Assert.Equal(0, t.Ty, 4);
    }

    [Fact]
    public void A_known_similarity_is_recovered_from_transformed_points()
    {
        var truth = new SimilarityTransform(1.7 * Math.Cos(0.3), 1.7 * Math.Sin(0.3), 120.5, -33.25);
        var moved = FaceAligner.Template.ToArray().Select(truth.Apply).ToArray();
        // Fit the other way round, as alignment does: image points onto the template.
        var back = SimilarityTransform.Estimate(moved, FaceAligner.Template);
        foreach (var p in FaceAligner.Template)
        {
            var q = back.Apply(truth.Apply(p));
            Assert.InRange(q.X - p.X, -1e-3, 1e-3);
            Assert.InRange(q.Y - p.Y, -1e-3, 1e-3);
        }
        Assert.Equal(1 / 1.7, back.Scale, 5);
    }

    [Fact]
    public void Landmarks_of_a_real_face_land_on_the_template_after_warping()
    {
        using var detector = TestModels.Detector("yunet-s-640");
        using var aligner = new FaceAligner();
        using var image = TestModels.Lfw("Abel_Pacheco", 1);
        var face = Assert.Single(detector.Detect(image));
        using var crop = new Mat();
        var t = aligner.Align(image, face.Landmarks, crop);
        Assert.Equal(new Size(112, 112), crop.Size());
        // A real face is not exactly the template's shape: the least-squares residual is small, not zero.
        var squared = 0.0;
        for (var i = 0; i < FacePoints.Count; i++)
        {
            var p = t.Apply(face.Landmarks[i]);
            double dx = p.X - FaceAligner.Template[i].X, dy = p.Y - FaceAligner.Template[i].Y;
            Assert.True(Math.Sqrt(dx * dx + dy * dy) < 4, $"landmark {i} lands {dx:F2},{dy:F2} px from the template");
            squared += dx * dx + dy * dy;
        }
        Assert.InRange(Math.Sqrt(squared / FacePoints.Count), 0.01, 2.5);
        // Detecting again on the aligned crop (enlarged so the detector sees a normal-sized face) finds the eyes at the template.
        using var big = new Mat();
        Cv2.Resize(crop, big, new Size(448, 448), interpolation: InterpolationFlags.Cubic);
        var again = detector.Detect(big).OrderByDescending(f => f.Score).First();
        // Eyes and nose only: a second detection has its own landmark noise, largest at the mouth corners.
        for (var i = 0; i < 3; i++)
        {
            Assert.InRange(again.Landmarks[i].X / 4 - FaceAligner.Template[i].X, -5, 5);
            Assert.InRange(again.Landmarks[i].Y / 4 - FaceAligner.Template[i].Y, -5, 5);
        }
    }
}
