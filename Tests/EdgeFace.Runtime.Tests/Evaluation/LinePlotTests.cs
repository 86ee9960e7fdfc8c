using EdgeFace.Runtime.Reporting;
using EdgeFace.TestSupport;
using OpenCvSharp;

namespace EdgeFace.Runtime.Tests.Evaluation;

public class LinePlotTests
{
    [Fact]
    public void Writes_a_png_with_the_curve_drawn()
    {
        using var dir = new TempDir();
        var path = dir.File("roc.png");
        var far = new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1 };
        new LinePlot("ROC", "FAR", "TAR") { LogX = true, YRange = (0, 1) }
            .AddSeries("model", far, [0.5, 0.8, 0.9, 0.97, 1.0])
            .AddMarker("t=0.3", 1e-3, 0.8)
            .SavePng(path, 640, 480);
        using var image = Cv2.ImRead(path);
        Assert.Equal(640, image.Width);
        Assert.Equal(480, image.Height);
        // The first series is drawn in a blue-dominant colour; some such pixels must exist.
        using var channels = new Mat();
        Cv2.InRange(image, new Scalar(150, 60, 0), new Scalar(210, 120, 60), channels);
        Assert.True(Cv2.CountNonZero(channels) > 200);
    }
}
