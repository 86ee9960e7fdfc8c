using EdgeFace.Runtime.Imaging;
using EdgeFace.TestSupport;

namespace EdgeFace.Runtime.Tests;

public class ImageLoaderTests
{
    [Fact]
    public void Loads_jpeg_pgm_and_png_as_bgr()
    {
        using var jpg = ImageLoader.Load(Shared.Face("lfw", "images", "Aaron_Peirsol", "Aaron_Peirsol_0001.jpg"));
        using var pgm = ImageLoader.Load(Shared.Face("orl", "s1", "1.pgm"));
        using var png = ImageLoader.Load(Shared.Face("yale", "subject01", "happy.png"));
        Assert.Equal((160, 160, 3), (jpg.Cols, jpg.Rows, jpg.Channels()));
        Assert.Equal((92, 112, 3), (pgm.Cols, pgm.Rows, pgm.Channels()));
        Assert.Equal((320, 243, 3), (png.Cols, png.Rows, png.Channels()));
    }

    [Fact]
    public void Header_claiming_sixty_thousand_squared_is_refused_before_decoding()
    {
        using var dir = new TempDir();
        var path = dir.File("huge.png");
        File.WriteAllBytes(path, BadImages.HugePng());
        var e = Assert.Throws<EdgeFaceException>(() => ImageLoader.Load(path));
        Assert.Contains("60000x60000", e.Message);
        Assert.Contains(path, e.Message);
    }
}
