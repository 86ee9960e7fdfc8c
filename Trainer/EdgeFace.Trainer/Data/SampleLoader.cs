using System.Globalization;
using System.Runtime.InteropServices;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// Turns image files into network input: decode (OpenCV), fit to the input size, optionally augment, and write
/// normalised planar NCHW floats <c>(pixel·Scale − Mean[c]) / Std[c]</c> into the caller's span, exactly as the
/// model manifest's <see cref="ModelInput"/> says (channels, GRAY/RGB/BGR order, stretch/letterbox/none fit).
/// Instead of the built-in fit+normalise, a preprocessing delegate (e.g. the signature cleanup) can produce the
/// floats from the decoded image; augmentation then works on its float planes.
/// The fitted 8-bit image (or the delegate's output) is kept in an optional shared <see cref="SampleCache"/>,
/// so a sample is decoded once and later loads only copy, augment and normalise, reusing this loader's Mats.
/// One loader per thread (it owns Mats, an <see cref="Augmenter"/> and scratch buffers); dispose it.
/// </summary>
public sealed class SampleLoader : IDisposable
{
    private readonly SampleCache? _cache;
    private readonly Action<Mat, Span<float>>? _preprocess;
    private readonly Augmenter? _augmenter;
    private readonly float[] _lut;            // [channel][pixel value] -> normalised float
    private readonly int[] _sourceChannel;    // network channel -> interleaved BGR/gray channel
    private readonly Mat _fitted;             // H×W 8-bit image in OpenCV channel order (built-in path)
    private readonly Mat _scaled = new();     // letterbox intermediate
    private readonly Mat? _plane;             // H×W float plane for augmenting delegate output

    /// <summary>Built-in path: decode, fit per <paramref name="input"/>.Resize, normalise.</summary>
    /// <exception cref="EdgeFaceException">An input the trainer cannot feed (dynamic size, channel/colour mismatch, zero std).</exception>
    public SampleLoader(ModelInput input, SampleCache? cache = null, AugmentOptions? augmentation = null)
        : this(input, null, cache, augmentation, delegatePath: false) { }

    /// <summary>Delegate path: decode, then <paramref name="preprocess"/> writes the <see cref="SampleLength"/> floats (planar CHW).</summary>
    public SampleLoader(ModelInput input, Action<Mat, Span<float>> preprocess, SampleCache? cache = null, AugmentOptions? augmentation = null)
        : this(input, preprocess ?? throw new ArgumentNullException(nameof(preprocess)), cache, augmentation, delegatePath: true) { }

    private SampleLoader(ModelInput input, Action<Mat, Span<float>>? preprocess, SampleCache? cache, AugmentOptions? augmentation, bool delegatePath)
    {
        Input = input;
        if (input.IsDynamic) throw new EdgeFaceException($"input '{input.Name}': training needs a fixed input size, the manifest gives {input.Width}x{input.Height}");
        if (input.Channels is not (1 or 3)) throw new EdgeFaceException($"input '{input.Name}': {input.Channels} channels; only 1 (GRAY) or 3 (RGB/BGR) are supported");
        var order = input.ColorOrder.ToUpperInvariant();
        if ((input.Channels == 1) != (order == "GRAY") || order is not ("GRAY" or "RGB" or "BGR"))
            throw new EdgeFaceException($"input '{input.Name}': colour order '{input.ColorOrder}' does not fit {input.Channels} channel(s) (use GRAY for 1, RGB or BGR for 3)");
        if (!delegatePath && input.Resize == ResizeMode.Pad)
            throw new EdgeFaceException($"input '{input.Name}': resize mode 'pad' is for dynamic-size models; training needs stretch, letterbox or none");
        if (input.Mean.Length < input.Channels || input.Std.Length < input.Channels)
            throw new EdgeFaceException($"input '{input.Name}': mean/std need {input.Channels} values");

        _sourceChannel = order == "RGB" ? [2, 1, 0] : order == "BGR" ? [0, 1, 2] : [0];
        _lut = new float[input.Channels * 256];
        for (var c = 0; c < input.Channels; c++)
        {
            if (input.Std[c] == 0 || !float.IsFinite(input.Std[c])) throw new EdgeFaceException($"input '{input.Name}': std[{c}] must be a non-zero number");
            for (var v = 0; v < 256; v++) _lut[c * 256 + v] = (v * input.Scale - input.Mean[c]) / input.Std[c];
        }

        _preprocess = preprocess;
        _fitted = new Mat(input.Height, input.Width, input.Channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3);
        if (augmentation is not null && (augmentation.IsGeometric || augmentation.IsPhotometric)) _augmenter = new Augmenter(augmentation);
        if (delegatePath) _plane = new Mat(input.Height, input.Width, MatType.CV_32FC1);
        _cache = cache;
        _cache?.Bind(Describe());
    }

    public ModelInput Input { get; }

    /// <summary>Floats per sample: Channels × Height × Width.</summary>
    public int SampleLength => Input.Channels * Input.Height * Input.Width;

    /// <summary>Loads sample <paramref name="index"/> of <paramref name="data"/> into <paramref name="destination"/>.</summary>
    public void Load(ILabeledDataset data, int index, Span<float> destination, ulong? augmentSeed = null) =>
        Load(data.Samples[index].Path, destination, augmentSeed);

    /// <summary>Loads a batch: sample i goes to <c>destination[i·SampleLength ..]</c>, augmented with <paramref name="augmentSeeds"/>[i] (pass an empty span for none).</summary>
    public void LoadBatch(ILabeledDataset data, ReadOnlySpan<int> indices, ReadOnlySpan<ulong> augmentSeeds, Span<float> destination)
    {
        if (destination.Length < indices.Length * SampleLength)
            throw new ArgumentException($"batch destination holds {destination.Length} floats, {indices.Length} samples need {indices.Length * SampleLength}");
        if (!augmentSeeds.IsEmpty && augmentSeeds.Length != indices.Length)
            throw new ArgumentException("one augmentation seed per sample, or none");
        for (var i = 0; i < indices.Length; i++)
            Load(data.Samples[indices[i]].Path, destination.Slice(i * SampleLength, SampleLength), augmentSeeds.IsEmpty ? null : augmentSeeds[i]);
    }

    /// <summary>Loads one image file into <paramref name="destination"/> (exactly <see cref="SampleLength"/> floats).</summary>
    /// <exception cref="EdgeFaceException">The file is missing, unreadable or not an image (the message names it).</exception>
    public void Load(string path, Span<float> destination, ulong? augmentSeed = null)
    {
        if (destination.Length != SampleLength)
            throw new ArgumentException($"destination holds {destination.Length} floats, one sample needs {SampleLength}");
        if (_preprocess is null) LoadBuiltIn(path, destination, augmentSeed);
        else LoadWithDelegate(path, destination, augmentSeed);
    }

    private void LoadBuiltIn(string path, Span<float> destination, ulong? augmentSeed)
    {
        if (_cache is not null && _cache.TryGet(path, out var cached)) cached.CopyTo(FittedBytes());
        else
        {
            using (var decoded = Decode(path)) Fit(decoded, path);
            _cache?.TryAdd(path, FittedBytes());
        }
        if (augmentSeed is { } seed && _augmenter is not null) _augmenter.Apply(_fitted, seed);
        Normalize(destination);
    }

    private void LoadWithDelegate(string path, Span<float> destination, ulong? augmentSeed)
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        if (_cache is not null && _cache.TryGet(path, out var cached)) cached.CopyTo(bytes);
        else
        {
            using (var decoded = Decode(path)) _preprocess!(decoded, destination);
            _cache?.TryAdd(path, bytes);
        }
        if (augmentSeed is not { } seed || _augmenter is null) return;
        var planeLength = Input.Height * Input.Width;
        var plane = PlaneFloats();
        for (var c = 0; c < Input.Channels; c++)
        {
            // Same seed per plane: every channel gets the same geometry.
            destination.Slice(c * planeLength, planeLength).CopyTo(plane);
            _augmenter.Apply(_plane!, seed);
            plane.CopyTo(destination.Slice(c * planeLength, planeLength));
        }
    }

    private Mat Decode(string path)
    {
        Mat image;
        try { image = Cv2.ImRead(path, Input.Channels == 1 ? ImreadModes.Grayscale : ImreadModes.Color); }
        catch (OpenCVException e) { throw new EdgeFaceException($"cannot read image {path}: {e.Message}", e); }
        if (image.Empty())
        {
            image.Dispose();
            throw new EdgeFaceException(File.Exists(path)
                ? $"cannot read image {path} (unreadable or not an image)"
                : $"image not found: {path}");
        }
        return image;
    }

    private void Fit(Mat decoded, string path)
    {
        int w = Input.Width, h = Input.Height;
        switch (Input.Resize)
        {
            case ResizeMode.None:
                if (decoded.Width != w || decoded.Height != h)
                    throw new EdgeFaceException($"image {path} is {decoded.Width}x{decoded.Height}; the model input (resize 'none') needs exactly {w}x{h}");
                decoded.CopyTo(_fitted);
                break;
            case ResizeMode.Letterbox:
            {
                var s = Math.Min((double)w / decoded.Width, (double)h / decoded.Height);
                int sw = Math.Clamp((int)Math.Round(decoded.Width * s), 1, w), sh = Math.Clamp((int)Math.Round(decoded.Height * s), 1, h);
                Cv2.Resize(decoded, _scaled, new Size(sw, sh), 0, 0, s < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
                int left = Input.PadCentered ? (w - sw) / 2 : 0, top = Input.PadCentered ? (h - sh) / 2 : 0;
                Cv2.CopyMakeBorder(_scaled, _fitted, top, h - sh - top, left, w - sw - left, BorderTypes.Constant, Scalar.All(0));
                break;
            }
            default: // Stretch
                var shrink = decoded.Width > w || decoded.Height > h;
                Cv2.Resize(decoded, _fitted, new Size(w, h), 0, 0, shrink ? InterpolationFlags.Area : InterpolationFlags.Linear);
                break;
        }
    }

    private unsafe void Normalize(Span<float> destination)
    {
        int w = Input.Width, h = Input.Height, channels = Input.Channels, plane = w * h;
        var src = (byte*)_fitted.DataPointer;
        var step = (int)_fitted.Step();
        for (var c = 0; c < channels; c++)
        {
            var lut = _lut.AsSpan(c * 256, 256);
            var dst = destination.Slice(c * plane, plane);
            var sc = _sourceChannel[c];
            for (var y = 0; y < h; y++)
            {
                var row = src + (long)y * step;
                var outRow = dst.Slice(y * w, w);
                for (var x = 0; x < w; x++) outRow[x] = lut[row[x * channels + sc]];
            }
        }
    }

    /// <summary>The fitted image's pixels (continuous: it was allocated at exactly H×W and is never a ROI).</summary>
    private unsafe Span<byte> FittedBytes() =>
        new((void*)_fitted.DataPointer, Input.Height * Input.Width * Input.Channels);

    private unsafe Span<float> PlaneFloats() => new((void*)_plane!.DataPointer, Input.Height * Input.Width);

    private string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Input.Channels}x{Input.Height}x{Input.Width} {(_preprocess is null ? $"{Input.ColorOrder} {Input.Resize} centered={Input.PadCentered} uint8" : "delegate float32")}");

    public void Dispose()
    {
        _fitted.Dispose();
        _scaled.Dispose();
        _plane?.Dispose();
        _augmenter?.Dispose();
    }
}
