using EdgeFace.Runtime.Signatures;
using EdgeFace.TestSupport;
using OpenCvSharp;
using Xunit.Abstractions;

namespace EdgeFace.Runtime.Tests.Signatures;

public sealed class SignatureCleanerTests(ITestOutputHelper output) : IDisposable
{
    private readonly SignatureCleaner _cleaner = new();

    public void Dispose() => _cleaner.Dispose();

    [Fact]
    public void Nisdcc_ink_survives_and_background_goes()
    {
        var margin = _cleaner.Options.CanvasMargin;
        foreach (var path in SignatureImages.NisdccAll())
        {
            using var image = SignatureCleaner.ReadImage(path);
            var canvas = SignatureImages.Clean(_cleaner, image, path);
            Assert.Equal(SignatureCleaner.Height * SignatureCleaner.Width, canvas.Length);
            Assert.All(canvas, v => Assert.InRange(v, 0f, 1f));

            // The ink's box fills the canvas (minus its margin) in one dimension and is centred.
            var (x0, y0, x1, y1) = SignatureImages.InkBox(canvas);
            int w = x1 - x0 + 1, h = y1 - y0 + 1;
            Assert.True(w >= SignatureCleaner.Width - 2 * margin - 2 || h >= SignatureCleaner.Height - 2 * margin - 2, $"{path}: ink box {w}x{h} fills neither dimension");
            Assert.InRange(x0 + x1, SignatureCleaner.Width - 4, SignatureCleaner.Width + 2);
            Assert.InRange(y0 + y1, SignatureCleaner.Height - 4, SignatureCleaner.Height + 2);

            // Background is exactly 0: ink is a minority of the canvas, and all of it lies inside the box.
            var ink = canvas.Count(v => v > 0);
            Assert.True(ink < 0.45 * canvas.Length, $"{path}: {ink} non-zero pixels, the background did not go");

            // Ink survives: compare with a plain Otsu dark-pixel count of the original, scaled as the cleaner scales.
            var (dark, darkW, darkH) = DarkPixels(image);
            var scale = Math.Min((SignatureCleaner.Width - 2.0 * margin) / darkW, (SignatureCleaner.Height - 2.0 * margin) / darkH);
            var ratio = canvas.Count(v => v > 0.2f) / (dark * scale * scale);
            Assert.True(ratio is > 0.5 and < 2.0, $"{path}: cleaned ink is {ratio:0.00}x the dark-pixel count");
        }
    }

    [Fact]
    public void Sigcomp_pencil_scan_is_cleaned_into_the_canvas()
    {
        var path = SignatureImages.SigComp("041", "genuine", "01_041.png");
        using var image = SignatureCleaner.ReadImage(path);
        var canvas = SignatureImages.Clean(_cleaner, image, path);
        var (x0, y0, x1, y1) = SignatureImages.InkBox(canvas);
        Assert.True(x1 - x0 + 1 >= 210 || y1 - y0 + 1 >= 140);
        Assert.InRange(canvas.Count(v => v > 0) / (double)canvas.Length, 0.03, 0.4);
        // Contrast stretch: the darkest ink reaches the top of the range even for a light pencil.
        Assert.True(canvas.Max() >= 0.99f);
    }

    public static TheoryData<string, string> Degradations() => new()
    {
        { "coloured-paper", "001/genuine/001001_000.png" }, { "coloured-paper", "007/genuine/007007_002.png" },
        { "ruled-line", "001/genuine/001001_000.png" }, { "ruled-line", "004/genuine/004004_003.png" },
        { "jpeg-30", "001/genuine/001001_000.png" }, { "jpeg-30", "010/genuine/010010_001.png" },
        { "rotate-4", "001/genuine/001001_000.png" }, { "rotate-4", "012/genuine/012012_004.png" },
        { "all", "002/genuine/002002_000.png" },
    };

    [Theory]
    [MemberData(nameof(Degradations))]
    public void Degraded_scan_cleans_like_the_original(string degradation, string file)
    {
        var path = Shared.RequireFile(Path.Combine(SignatureImages.NisdccRoot, file));
        using var original = SignatureCleaner.ReadImage(path);
        var reference = SignatureImages.Clean(_cleaner, original, path);
        using var degraded = degradation switch
        {
            "coloured-paper" => SignatureDegradations.ColouredPaper(original),
            "ruled-line" => SignatureDegradations.RuledLine(original),
            "jpeg-30" => SignatureDegradations.Jpeg(original, 30),
            "rotate-4" => SignatureDegradations.Rotate(original, 4),
            _ => All(original),
        };
        var cleaned = SignatureImages.Clean(_cleaner, degraded, $"{degradation} {file}");
        var correlation = SignatureImages.BlurredCorrelation(reference, cleaned);
        var iou = SignatureImages.DilatedIoU(reference, cleaned);
        output.WriteLine($"{degradation} {file}: correlation {correlation:0.000}, IoU {iou:0.000}, stats {_cleaner.LastStats}");
        // All four at once is held to a lower bar: there the rule crosses the writer's underline at a shallow angle, and
        // erasing the rule cuts that stroke (a known limit of rule removal).
        var (minCorrelation, minIoU) = degradation == "all" ? (0.55, 0.35) : (0.8, 0.6);
        Assert.True(correlation > minCorrelation, $"{degradation} {file}: correlation {correlation:0.000}");
        Assert.True(iou > minIoU, $"{degradation} {file}: IoU {iou:0.000}");
        if (degradation == "ruled-line") Assert.True(_cleaner.LastStats.RuledLines > 0, "the rule was not detected");
    }

    private static Mat All(Mat original)
    {
        // The form's rule turns with the page; the page lies on coloured paper, shaded, then the phone compresses it.
        using var lined = SignatureDegradations.RuledLine(original);
        using var rotated = SignatureDegradations.Rotate(lined, -4);
        using var paper = SignatureDegradations.ColouredPaper(rotated);
        return SignatureDegradations.Jpeg(paper, 30);
    }

    [Fact]
    public void Ruled_line_alone_does_not_become_the_signature()
    {
        var path = SignatureImages.SigComp("042", "genuine", "01_042.png");
        using var original = SignatureCleaner.ReadImage(path);
        var reference = SignatureImages.Clean(_cleaner, original, path);
        Assert.Equal(0, _cleaner.LastStats.RuledLines);
        using var lined = SignatureDegradations.RuledLine(original);
        var cleaned = SignatureImages.Clean(_cleaner, lined, path);
        Assert.True(_cleaner.LastStats.RuledLines > 0);
        Assert.True(SignatureImages.BlurredCorrelation(reference, cleaned) > 0.8);
    }

    [Fact]
    public void Reused_cleaner_gives_identical_results()
    {
        var files = SignatureImages.NisdccGenuine().Take(3).ToList();
        var first = files.Select(f => { using var m = SignatureCleaner.ReadImage(f); return SignatureImages.Clean(_cleaner, m, f); }).ToList();
        using var fresh = new SignatureCleaner();
        for (var i = files.Count - 1; i >= 0; i--)
        {
            using var m = SignatureCleaner.ReadImage(files[i]);
            Assert.Equal(first[i], SignatureImages.Clean(fresh, m, files[i]));
        }
    }

    [Fact]
    public void Debug_images_show_every_stage()
    {
        using var dir = new TempDir();
        var path = SignatureImages.NisdccGenuine()[0];
        _cleaner.CleanFile(path, new float[SignatureCleaner.PixelCount]);
        var written = _cleaner.WriteDebugImages(dir.Path, "sample");
        Assert.Equal<string>(["sample.1-normalised.png", "sample.2-binary.png", "sample.3-lines-removed.png", "sample.4-cropped.png", "sample.5-final.png"],
            written.Select(p => Path.GetFileName(p)).ToList());
        using var final = Cv2.ImRead(written[^1], ImreadModes.Unchanged);
        Assert.Equal(new Size(SignatureCleaner.Width, SignatureCleaner.Height), final.Size());
        using var normalised = Cv2.ImRead(written[0], ImreadModes.Unchanged);
        Assert.Equal(_cleaner.Options.WorkingSize, Math.Max(normalised.Cols, normalised.Rows));
    }

    [Fact]
    public void Debug_images_of_a_rejected_image_stop_where_it_failed()
    {
        using var dir = new TempDir();
        using var blank = BlankPage();
        Assert.Throws<EdgeFaceException>(() => _cleaner.Clean(blank, new float[SignatureCleaner.PixelCount], "blank"));
        var written = _cleaner.WriteDebugImages(dir.Path, "blank");
        Assert.Equal(2, written.Count);
    }

    [Fact]
    public void Blank_page_has_no_ink()
    {
        using var blank = BlankPage();
        var e = Assert.Throws<EdgeFaceException>(() => _cleaner.Clean(blank, new float[SignatureCleaner.PixelCount], "blank.png"));
        Assert.Equal("no ink found in blank.png", e.Message);
    }

    [Theory]
    [InlineData("lfw/images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg")]
    [InlineData("pins/Adriana_Lima/001.jpg")]
    public void Face_photo_is_not_a_signature(string face)
    {
        var path = Shared.Face(face.Split('/'));
        var e = Assert.Throws<EdgeFaceException>(() => _cleaner.CleanFile(path, new float[SignatureCleaner.PixelCount]));
        Assert.StartsWith($"{path} does not look like a signature (", e.Message);
    }

    [Fact]
    public void Page_of_text_is_not_a_signature()
    {
        using var page = new Mat(600, 800, MatType.CV_8UC1, Scalar.All(250));
        for (var line = 0; line < 18; line++)
            for (var word = 0; word < 9; word++)
                Cv2.PutText(page, "lorem", new Point(10 + word * 88, 30 + line * 32), HersheyFonts.HersheySimplex, 0.8, Scalar.All(20), 2);
        var e = Assert.Throws<EdgeFaceException>(() => _cleaner.Clean(page, new float[SignatureCleaner.PixelCount], "page.png"));
        output.WriteLine(e.Message);
        Assert.StartsWith("page.png does not look like a signature (", e.Message);
    }

    [Fact]
    public void Unreadable_and_missing_files_are_named()
    {
        using var dir = new TempDir();
        var bogus = dir.File("scan.png");
        File.WriteAllText(bogus, "not an image");
        var e = Assert.Throws<EdgeFaceException>(() => _cleaner.CleanFile(bogus, new float[SignatureCleaner.PixelCount]));
        Assert.Contains(bogus, e.Message);
        var missing = dir.File("missing.png");
        e = Assert.Throws<EdgeFaceException>(() => _cleaner.CleanFile(missing, new float[SignatureCleaner.PixelCount]));
        Assert.Equal($"image not found: {missing}", e.Message);
    }

    [Fact]
    public void Options_out_of_range_are_rejected()
    {
        var e = Assert.Throws<EdgeFaceException>(() => new SignatureCleaner(new SignatureCleanerOptions { WorkingSize = 10 }));
        Assert.Contains("WorkingSize", e.Message);
    }

    private static Mat BlankPage()
    {
        var page = new Mat(300, 500, MatType.CV_8UC3, new Scalar(235, 240, 245));
        using var noise = new Mat(page.Size(), MatType.CV_8UC3);
        Cv2.Randn(noise, Scalar.All(0), Scalar.All(3));
        Cv2.Add(page, noise, page);
        return page;
    }

    private static (int Count, int Width, int Height) DarkPixels(Mat image)
    {
        using var grey = new Mat();
        if (image.Channels() == 1) image.CopyTo(grey); else Cv2.CvtColor(image, grey, ColorConversionCodes.BGR2GRAY);
        using var dark = new Mat();
        Cv2.Threshold(grey, dark, 0, 255, ThresholdTypes.BinaryInv | ThresholdTypes.Otsu);
        var box = Cv2.BoundingRect(dark);
        return (Cv2.CountNonZero(dark), box.Width, box.Height);
    }
}
