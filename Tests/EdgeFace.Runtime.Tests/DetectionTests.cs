using EdgeFace.Runtime.Faces;
using OpenCvSharp;

namespace EdgeFace.Runtime.Tests;

public class DetectionTests
{
    private static void AssertPlausibleFace(FaceDetection f, Mat image)
    {
        Assert.InRange(f.Score, 0.5f, 1f);
        Assert.True(f.Box.Width > 20 && f.Box.Height > 20, $"box {f.Box}");
        for (var i = 0; i < FacePoints.Count; i++) Assert.True(f.Box.Contains(f.Landmarks[i]), $"landmark {i} {f.Landmarks[i]} outside {f.Box}");
        Assert.True(f.Landmarks.LeftEye.X < f.Landmarks.RightEye.X, "left eye must have the smaller x");
        Assert.True(f.Landmarks.LeftMouth.X < f.Landmarks.RightMouth.X, "left mouth corner must have the smaller x");
        Assert.True(f.Landmarks.LeftEye.Y < f.Landmarks.Nose.Y && f.Landmarks.Nose.Y < f.Landmarks.LeftMouth.Y, "eyes above nose above mouth");
        Assert.InRange(f.Box.CenterX, 0, image.Cols);
        Assert.InRange(f.Box.CenterY, 0, image.Rows);
    }

    [Theory]
    [InlineData("yunet-s-640")]
    [InlineData("yunet-s-dynamic")]
    [InlineData("yunet-n-dynamic")]
    public void YuNet_finds_exactly_one_face_in_lfw_and_orl_images(string id)
    {
        using var detector = TestModels.Detector(id);
        foreach (var (name, n) in new[] { ("Aaron_Peirsol", 1), ("Abel_Pacheco", 1), ("George_W_Bush", 7) })
        {
            using var image = TestModels.Lfw(name, n);
            AssertPlausibleFace(Assert.Single(detector.Detect(image)), image);
        }
        using var orl = TestModels.Orl(1, 1);
        AssertPlausibleFace(Assert.Single(detector.Detect(orl)), orl);
    }

    [Theory]
    [InlineData("scrfd-500m")]
    [InlineData("scrfd-2.5g")]
    public void Scrfd_finds_exactly_one_face_in_yale_images(string id)
    {
        using var detector = TestModels.Detector(id);
        foreach (var (subject, condition) in new[] { (1, "happy"), (2, "normal"), (5, "glasses") })
        {
            using var image = TestModels.Yale(subject, condition);
            AssertPlausibleFace(Assert.Single(detector.Detect(image)), image);
        }
    }

    [Theory]
    [InlineData("yunet-s-640")]
    [InlineData("yunet-s-dynamic")]
    [InlineData("scrfd-500m")]
    public void Two_real_faces_side_by_side_give_two_detections_in_the_right_places(string id)
    {
        using var detector = TestModels.Detector(id);
        using var a = TestModels.Yale(1, "normal");
        using var b = TestModels.Yale(3, "normal");
        using var canvas = TestModels.SideBySide(a, b);
        var faces = detector.Detect(canvas).OrderBy(f => f.Box.X).ToList();
        Assert.Equal(2, faces.Count);
        Assert.True(faces[0].Box.Right < a.Cols + 20, $"first face {faces[0].Box} should be in the left image");
        Assert.True(faces[1].Box.X > a.Cols, $"second face {faces[1].Box} should be in the right image");
        foreach (var f in faces) AssertPlausibleFace(f, canvas);
    }

    [Fact]
    public void Detectors_agree_on_landmarks_of_the_same_face()
    {
        using var image = TestModels.Yale(2, "normal");
        using var yunet = TestModels.Detector("yunet-s-640");
        using var scrfd = TestModels.Detector("scrfd-2.5g");
        var y = Assert.Single(yunet.Detect(image));
        var s = Assert.Single(scrfd.Detect(image));
        for (var i = 0; i < FacePoints.Count; i++)
        {
            Assert.InRange(y.Landmarks[i].X - s.Landmarks[i].X, -6, 6);
            Assert.InRange(y.Landmarks[i].Y - s.Landmarks[i].Y, -6, 6);
        }
    }

    [Fact]
    public void A_flat_grey_image_has_no_faces()
    {
        using var detector = TestModels.Detector("yunet-s-640");
        using var grey = new Mat(480, 640, MatType.CV_8UC3, Scalar.All(128));
        Assert.Empty(detector.Detect(grey));
    }

    [Fact]
    public void Dynamic_detector_handles_changing_sizes_and_maps_back_to_source_pixels()
    {
        using var detector = TestModels.Detector("yunet-s-dynamic");
        using var image = TestModels.Lfw("Aaron_Peirsol", 1);
        var small = Assert.Single(detector.Detect(image));
        using var big = new Mat();
        Cv2.Resize(image, big, new Size(image.Cols * 2, image.Rows * 2));
        var large = Assert.Single(detector.Detect(big));
        Assert.InRange(large.Landmarks.Nose.X / 2 - small.Landmarks.Nose.X, -4, 4);
        Assert.InRange(large.Landmarks.Nose.Y / 2 - small.Landmarks.Nose.Y, -4, 4);
        var again = Assert.Single(detector.Detect(image));
        Assert.Equal(small, again);
    }
}
