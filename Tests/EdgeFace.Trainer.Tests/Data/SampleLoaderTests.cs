using EdgeFace.Runtime;
using EdgeFace.Runtime.Models;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Data;
using OpenCvSharp;

namespace EdgeFace.Trainer.Tests.Data;

public sealed class SampleLoaderTests
{
    private static readonly ModelInput Gray112 = new()
    {
        Name = "input", Channels = 1, Width = 112, Height = 112, ColorOrder = "GRAY",
        Scale = 1 / 255f, Mean = [0.5f], Std = [0.5f], Resize = ResizeMode.Stretch,
    };

    private static readonly ModelInput Rgb112 = new()
    {
        Name = "input", Channels = 3, Width = 112, Height = 112, ColorOrder = "RGB",
        Scale = 1f, Mean = [127.5f, 127.5f, 127.5f], Std = [128f, 128f, 128f], Resize = ResizeMode.Stretch,
    };

    [Fact]
    public void Gray_stretch_matches_opencv_resize_and_the_manifest_normalisation()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        var path = ds.Samples[0].Path;
        using var loader = new SampleLoader(Gray112);
        var actual = new float[loader.SampleLength];
        loader.Load(ds, 0, actual);

        using var src = Cv2.ImRead(path, ImreadModes.Grayscale);
        Assert.Equal((92, 112), (src.Width, src.Height));
        using var resized = new Mat();
        Cv2.Resize(src, resized, new Size(112, 112), 0, 0, InterpolationFlags.Linear); // 92 -> 112 wide is an upscale
        for (var y = 0; y < 112; y += 7)
        for (var x = 0; x < 112; x += 5)
            Assert.Equal((resized.At<byte>(y, x) / 255f - 0.5f) / 0.5f, actual[y * 112 + x], 1e-5f);
        Assert.InRange(actual.Min(), -1f, 1f);
        Assert.InRange(actual.Max(), -1f, 1f);
    }

    [Fact]
    public void Rgb_input_is_planar_in_rgb_order()
    {
        var path = Directory.EnumerateFiles(Path.Combine(DatasetTestData.Pins, "Bill_Gates")).Order().First();
        using var loader = new SampleLoader(Rgb112);
        var actual = new float[3 * 112 * 112];
        loader.Load(path, actual);

        using var bgr = Cv2.ImRead(path, ImreadModes.Color);
        using var resized = new Mat();
        Cv2.Resize(bgr, resized, new Size(112, 112), 0, 0, bgr.Width > 112 || bgr.Height > 112 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        for (var y = 3; y < 112; y += 11)
        for (var x = 2; x < 112; x += 13)
        {
            var px = resized.At<Vec3b>(y, x);
            Assert.Equal((px.Item2 - 127.5f) / 128f, actual[0 * 112 * 112 + y * 112 + x], 1e-5f); // R plane first
            Assert.Equal((px.Item1 - 127.5f) / 128f, actual[1 * 112 * 112 + y * 112 + x], 1e-5f);
            Assert.Equal((px.Item0 - 127.5f) / 128f, actual[2 * 112 * 112 + y * 112 + x], 1e-5f);
        }
    }

    [Fact]
    public void Letterbox_keeps_aspect_and_pads_with_zero_pixels()
    {
        var input = Gray112 with { Width = 220, Height = 150, Resize = ResizeMode.Letterbox, PadCentered = true, Mean = [0f], Std = [1f] };
        var ds = FolderDataset.Open(DatasetTestData.Orl);        // 92x112 portrait into 220x150 landscape
        using var loader = new SampleLoader(input);
        var x = new float[loader.SampleLength];
        loader.Load(ds, 0, x);
        // scale 150/112 -> 123 px wide, centred: columns 0..47 and 171..219 are padding.
        Assert.All(Enumerable.Range(0, 150), row => Assert.Equal(0f, x[row * 220 + 10]));
        Assert.All(Enumerable.Range(0, 150), row => Assert.Equal(0f, x[row * 220 + 210]));
        Assert.True(Enumerable.Range(0, 150).Sum(row => x[row * 220 + 110]) > 10f);
    }

    [Fact]
    public void Cache_decodes_once_and_returns_identical_tensors()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("s1-s3"));
        var cache = new SampleCache();
        using var loader = new SampleLoader(Gray112, cache);
        var first = new float[ds.Samples.Count * loader.SampleLength];
        var second = new float[first.Length];
        var all = Enumerable.Range(0, ds.Samples.Count).ToArray();
        loader.LoadBatch(ds, all, [], first);
        loader.LoadBatch(ds, all, [], second);
        Assert.Equal(30, cache.Count);
        Assert.Equal(30, cache.Misses);
        Assert.Equal(30, cache.Hits);
        Assert.Equal(30L * 112 * 112, cache.UsedBytes);
        Assert.Equal(first, second);

        using var uncached = new SampleLoader(Gray112);
        var direct = new float[uncached.SampleLength];
        uncached.Load(ds, 29, direct);
        Assert.Equal(direct, second.AsSpan(29 * uncached.SampleLength).ToArray());
    }

    [Fact]
    public void Cache_is_bounded_and_bound_to_one_configuration()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("s1"));
        var cache = new SampleCache(capacityBytes: 3 * 112 * 112 + 100);
        using var loader = new SampleLoader(Gray112, cache);
        var x = new float[loader.SampleLength];
        for (var i = 0; i < 10; i++) loader.Load(ds, i, x);
        Assert.Equal(3, cache.Count);
        Assert.True(cache.UsedBytes <= cache.CapacityBytes);
        Assert.Throws<ArgumentException>(() => new SampleLoader(Rgb112, cache));
    }

    [Fact]
    public void Steady_state_cached_loads_allocate_almost_nothing()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("s1"));
        using var loader = new SampleLoader(Gray112, new SampleCache(), AugmentOptions.Faces);
        var x = new float[loader.SampleLength];
        for (var i = 0; i < 10; i++) loader.Load(ds, i, x, (ulong)i);   // warm: decode + cache
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 20; round++)
            for (var i = 0; i < 10; i++) loader.Load(ds, i, x, (ulong)(round * 10 + i));
        var perLoad = (GC.GetAllocatedBytesForCurrentThread() - before) / 200.0;
        // Only OpenCvSharp's small InputArray/OutputArray wrappers remain: far below one image (12.5 kB) or tensor (50 kB).
        Assert.True(perLoad < 2048, $"{perLoad:F0} bytes allocated per augmented cached load");
    }

    [Fact]
    public void Unreadable_and_missing_images_are_named()
    {
        using var dir = new TempDir();
        var bogus = dir.File("broken.jpg");
        File.WriteAllText(bogus, "this is not a JPEG");
        using var loader = new SampleLoader(Gray112);
        var x = new float[loader.SampleLength];
        Assert.Equal($"cannot read image {bogus} (unreadable or not an image)", Assert.Throws<EdgeFaceException>(() => loader.Load(bogus, x)).Message);
        var missing = dir.File("gone.png");
        Assert.Equal($"image not found: {missing}", Assert.Throws<EdgeFaceException>(() => loader.Load(missing, x)).Message);
    }

    [Fact]
    public void Inputs_the_trainer_cannot_feed_are_rejected()
    {
        Assert.Contains("fixed input size", Assert.Throws<EdgeFaceException>(() => new SampleLoader(Gray112 with { Width = 0 })).Message);
        Assert.Contains("colour order 'RGB' does not fit 1 channel", Assert.Throws<EdgeFaceException>(() => new SampleLoader(Gray112 with { ColorOrder = "RGB" })).Message);
        Assert.Contains("std[0] must be a non-zero", Assert.Throws<EdgeFaceException>(() => new SampleLoader(Gray112 with { Std = [0f] })).Message);
        using var exact = new SampleLoader(Gray112 with { Resize = ResizeMode.None });
        var path = FolderDataset.Open(DatasetTestData.Orl).Samples[0].Path;
        Assert.Contains("is 92x112; the model input (resize 'none') needs exactly 112x112",
            Assert.Throws<EdgeFaceException>(() => exact.Load(path, new float[exact.SampleLength])).Message);
    }

    [Fact]
    public void Augmentation_is_deterministic_changes_pixels_and_keeps_shape()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        using var loader = new SampleLoader(Gray112, new SampleCache(), AugmentOptions.Faces);
        float[] Load(ulong? seed) { var x = new float[loader.SampleLength]; loader.Load(ds, 5, x, seed); return x; }
        var plain = Load(null);
        var a = Load(1234);
        var again = Load(1234);
        var other = Load(999);
        Assert.Equal(a, again);
        Assert.NotEqual(plain, a);
        Assert.NotEqual(a, other);
        Assert.Equal(plain, Load(null)); // augmenting never touched the cached original
        Assert.True(a.Zip(plain).Count(p => Math.Abs(p.First - p.Second) > 0.05f) > a.Length / 10);
        Assert.All(a, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Flip_only_augmentation_is_an_exact_mirror()
    {
        using var img = Cv2.ImRead(FolderDataset.Open(DatasetTestData.Orl).Samples[3].Path, ImreadModes.Grayscale);
        using var expected = new Mat();
        Cv2.Flip(img, expected, FlipMode.Y);
        using var aug = new Augmenter(new AugmentOptions { FlipProbability = 1, MaxRotationDegrees = 0, MaxScale = 0, MaxShift = 0, MaxBrightness = 0, MaxContrast = 0 });
        aug.Apply(img, 77);
        using var diff = new Mat();
        Cv2.Absdiff(img, expected, diff);
        Assert.Equal(0, Cv2.CountNonZero(diff));
        Assert.Equal((92, 112), (img.Width, img.Height));
    }

    [Fact]
    public void Signature_delegate_output_is_cached_and_augmented_per_plane()
    {
        var ds = SignatureDataset.Open(DatasetTestData.SigComp, "val");
        var input = new ModelInput { Name = "input", Channels = 1, Width = 220, Height = 150, ColorOrder = "GRAY", Resize = ResizeMode.None };
        var calls = 0;
        // A stand-in for the signature cleanup: fit into 220x150 and invert so ink is bright.
        void Cleanup(Mat src, Span<float> dst)
        {
            Interlocked.Increment(ref calls);
            using var fitted = new Mat();
            Cv2.Resize(src, fitted, new Size(220, 150), 0, 0, InterpolationFlags.Area);
            for (var y = 0; y < 150; y++)
            for (var x = 0; x < 220; x++) dst[y * 220 + x] = 1f - fitted.At<byte>(y, x) / 255f;
        }
        var cache = new SampleCache();
        using var loader = new SampleLoader(input, Cleanup, cache, AugmentOptions.Signatures);
        var forgery = ds.ForgeriesOf(0)[0];
        var plain = new float[loader.SampleLength];
        var augmented = new float[loader.SampleLength];
        var again = new float[loader.SampleLength];
        loader.Load(ds, forgery, plain);
        loader.Load(ds, forgery, augmented, 42);
        loader.Load(ds, forgery, again, 42);
        Assert.Equal(1, calls);
        Assert.Equal(augmented, again);
        Assert.NotEqual(plain, augmented);
        Assert.Equal(33_000 * 4, cache.UsedBytes);
    }
}
