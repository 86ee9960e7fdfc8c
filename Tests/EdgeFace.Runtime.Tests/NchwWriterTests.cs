using EdgeFace.Runtime.Imaging;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Tests;

public class NchwWriterTests
{
    [Theory]
    [InlineData("RGB", false)]
    [InlineData("BGR", false)]
    [InlineData("RGB", true)]
    public void Vector_and_scalar_paths_write_the_normalised_planes(string order, bool mirror)
    {
        var input = BuiltInModelCards.FindById("mobilefacenet-128")!.Input with { ColorOrder = order };
        const int w = 37, h = 5, tw = 40, th = 7, ox = 2, oy = 1;
        using var image = new Mat(h, w, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(256));
        var tensor = new float[3 * tw * th];
        var writer = new NchwWriter(input);
        writer.Clear(tensor, tw, th);
        writer.Write(image, tensor, tw, th, ox, oy, mirror);
        for (var plane = 0; plane < 3; plane++)
        {
            var source = order == "RGB" ? 2 - plane : plane;
            for (var y = 0; y < th; y++)
                for (var x = 0; x < tw; x++)
                {
                    var inside = x >= ox && x < ox + w && y >= oy && y < oy + h;
                    var pixel = inside ? image.At<Vec3b>(y - oy, mirror ? w - 1 - (x - ox) : x - ox)[source] : 0;
                    var expected = (pixel * input.Scale - input.Mean[plane]) / input.Std[plane];
                    Assert.True(Math.Abs(expected - tensor[plane * tw * th + y * tw + x]) < 1e-4, $"plane {plane} ({x},{y}): expected {expected}, got {tensor[plane * tw * th + y * tw + x]}");
                }
        }
    }
}
