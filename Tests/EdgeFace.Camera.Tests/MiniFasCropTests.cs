using EdgeFace.Camera.Liveness;
using EdgeFace.Runtime.Faces;
using OpenCvSharp;

namespace EdgeFace.Camera.Tests;

/// <summary>The MiniFASNet crop rule, checked against examples computed by hand from the model card's steps.</summary>
public sealed class MiniFasCropTests
{
    [Theory]
    // Centred box, V2 scale: 270×270 about (320,240) → corners 185..455, 105..375 inclusive.
    [InlineData(270, 190, 100, 100, 2.7f, 185, 105, 271, 271)]
    // Same box, V1SE scale: 400×400 → 120..520, 40..440.
    [InlineData(270, 190, 100, 100, 4.0f, 120, 40, 401, 401)]
    // Top-left corner: the 270 box would start at -75; shifted right/down to start at 0.
    [InlineData(10, 10, 100, 100, 2.7f, 0, 0, 271, 271)]
    // Big box: scale capped at 479/200 = 2.395 so the box is 479 px; shifted to 0..479.
    [InlineData(100, 50, 200, 200, 4.0f, 0, 0, 480, 480)]
    // Bottom-right corner: the 135 box 537.5..672.5 overshoots 639 by 33.5, so it moves to 504..639 (and 344..479).
    [InlineData(580, 420, 50, 50, 2.7f, 504, 344, 136, 136)]
    public void Crop_matches_the_model_card_rule(float x, float y, float w, float h, float scale, int ex, int ey, int ew, int eh)
    {
        var r = MiniFasCrop.Compute(640, 480, new RectF(x, y, w, h), scale);
        Assert.Equal(new Rect(ex, ey, ew, eh), r);
    }

    [Fact]
    public void Crop_always_lies_inside_the_frame()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var w = random.Next(5, 400);
            var h = random.Next(5, 400);
            var box = new RectF(random.Next(-50, 640), random.Next(-50, 480), w, h);
            var r = MiniFasCrop.Compute(640, 480, box, random.Next(0, 2) == 0 ? 2.7f : 4.0f);
            Assert.True(r.X >= 0 && r.Y >= 0 && r.Right <= 640 && r.Bottom <= 480 && r.Width > 0 && r.Height > 0, $"{box} -> {r}");
        }
    }
}
