using OpenCvSharp;

namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// Turns a scanned or photographed signature (any size, colour or grey) into the signature network's input:
/// a 150x220 (height x width) canvas, row-major, ink bright on a zero background, values 0..1.
/// <para>
/// Steps: rescale to the working size; divide every channel by its paper estimate (a large closing), so shadows,
/// gradients and coloured paper vanish; Otsu-binarise with a contrast guard; erase ruled lines (long straight
/// near-horizontal segments) while keeping strokes that cross them; drop specks; refuse images that do not look
/// like a signature; deskew small tilts; crop to the ink; scale it to fit the canvas minus a margin without
/// distorting it; centre it. Ink values are the ink's darkness, contrast-stretched so the
/// <see cref="SignatureCleanerOptions.InkPercentile"/> of the ink maps to 1.
/// </para>
/// Owns native OpenCV buffers that are reused from call to call: dispose it. Not thread-safe; use one per thread.
/// The intermediate stages of the last call stay available to <see cref="WriteDebugImages"/>.
/// </summary>
public sealed class SignatureCleaner : IDisposable
{
    public const int Height = 150;
    public const int Width = 220;
    public const int PixelCount = Height * Width;

    private readonly SignatureCleanerOptions _options;
    private readonly Mat _backgroundKernel;
    private const int BackgroundScale = 4;
    private const int RuleSearchScale = 4;
    private const double MaxSpeckArea = 0.0001;
    private readonly Mat _small = new(), _smallBackground = new(), _smallMask = new();
    private readonly Mat _working = new(), _channel = new(), _alpha = new(), _background = new(), _ratio = new();
    private readonly Mat _normalised = new(), _binary = new(), _mask = new(), _lineMask = new(), _bridged = new();
    private readonly Mat _labels = new(), _componentStats = new(), _centroids = new();
    private readonly Mat _ink = new(), _padded = new(), _rotated = new(), _cropped = new(), _resized = new();
    private readonly Mat _canvas = new(Height, Width, MatType.CV_8UC1);
    private bool[] _dropLabel = new bool[256];
    private Stage _reached;

    private enum Stage { None, Normalised, Binary, LinesRemoved, Cropped, Final }

    public SignatureCleaner(SignatureCleanerOptions? options = null)
    {
        _options = options ?? new SignatureCleanerOptions();
        _options.Validate();
        var side = Math.Max(3, _options.BackgroundKernel / BackgroundScale | 1);
        _backgroundKernel = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(side, side));
    }

    public SignatureCleanerOptions Options => _options;

    /// <summary>Measurements of the last image cleaned (also after a rejection, as far as it got).</summary>
    public SignatureCleanStats LastStats { get; private set; }

    /// <summary>Reads <paramref name="path"/> and cleans it into <paramref name="destination"/> (<see cref="PixelCount"/> floats).</summary>
    public void CleanFile(string path, Span<float> destination)
    {
        using var image = ReadImage(path);
        Clean(image, destination, path);
    }

    /// <summary>
    /// Loads an image file as it is stored (grey, colour or with alpha). Throws <see cref="EdgeFaceException"/> naming the
    /// file when it is missing or cannot be decoded. The caller owns the returned Mat.
    /// </summary>
    public static Mat ReadImage(string path)
    {
        if (!File.Exists(path)) throw new EdgeFaceException($"image not found: {path}");
        Mat image;
        try { image = Cv2.ImRead(path, ImreadModes.Unchanged); }
        catch (OpenCVException e) { throw new EdgeFaceException($"cannot read image {path}: {e.Message}", e); }
        if (image.Empty())
        {
            image.Dispose();
            throw new EdgeFaceException($"cannot read image {path}: not a supported image file or corrupt");
        }
        return image;
    }

    /// <summary>
    /// Cleans <paramref name="image"/> (8- or 16-bit; 1, 3 (BGR) or 4 (BGRA) channels) into <paramref name="destination"/>.
    /// <paramref name="origin"/> names the image in error messages. Throws <see cref="EdgeFaceException"/> when no ink is
    /// found or the image does not look like a signature.
    /// </summary>
    public void Clean(Mat image, Span<float> destination, string origin)
    {
        if (destination.Length != PixelCount)
            throw new ArgumentException($"destination must hold {PixelCount} floats (150x220), has {destination.Length}", nameof(destination));
        if (image.Empty()) throw new EdgeFaceException($"{origin} is an empty image");
        if (image.Channels() is not (1 or 3 or 4))
            throw new EdgeFaceException($"{origin} has {image.Channels()} channels; expected grey, colour or colour with alpha");
        _reached = Stage.None;
        LastStats = default;

        Rescale(image);
        Normalise();
        _reached = Stage.Normalised;
        var threshold = Binarise();
        _reached = Stage.Binary;
        var workingArea = (double)_mask.Rows * _mask.Cols;
        var coverage = Cv2.CountNonZero(_mask) / workingArea;
        var shaded = ShadedPaperFraction(threshold);
        LastStats = LastStats with { InkThreshold = threshold, InkCoverage = coverage, ShadedPaper = shaded };
        if (coverage < _options.MinInkCoverage) throw new EdgeFaceException($"no ink found in {origin}");
        if (coverage > _options.MaxInkCoverage) throw NotASignature(origin, $"ink covers {Percent(coverage)} of the image");
        if (shaded > _options.MaxShadedPaper) throw NotASignature(origin, $"{Percent(shaded)} of the background is shaded like a photograph, not plain paper");

        var ruledLines = RemoveRuledLines();
        var (components, specks, ink) = RemoveSpecks();
        _reached = Stage.LinesRemoved;
        LastStats = LastStats with { RuledLines = ruledLines, Components = components, SpecksRemoved = specks, InkPixels = ink };
        if (ink < _options.MinInkCoverage * workingArea) throw new EdgeFaceException($"no ink found in {origin}");
        if (components > _options.MaxComponents) throw NotASignature(origin, $"{components} separate ink marks, more than handwriting has");

        var box = Cv2.BoundingRect(_mask);
        var fill = ink / ((double)box.Width * box.Height);
        if (fill > _options.MaxBoxFill) throw NotASignature(origin, $"ink fills {Percent(fill)} of its bounding box");
        var aspect = box.Width / (double)box.Height;
        if (aspect < _options.MinAspect || aspect > _options.MaxAspect)
            throw NotASignature(origin, $"the ink is {box.Width}x{box.Height} pixels, outside the width/height range {_options.MinAspect:0.##}-{_options.MaxAspect:0.##}");

        PaintInk();
        var angle = Deskew(box);
        _reached = Stage.Cropped;
        LastStats = LastStats with { DeskewDegrees = angle, InkBoxWidth = _cropped.Cols, InkBoxHeight = _cropped.Rows };
        Compose(destination);
        _reached = Stage.Final;
    }

    private static string Percent(double fraction) => $"{fraction * 100:0}%";

    private static EdgeFaceException NotASignature(string origin, string reason) => new($"{origin} does not look like a signature ({reason})");

    /// <summary>Converts to 8 bits and scales so the longer side is the working size; the kernels are tuned for that size.</summary>
    private void Rescale(Mat image)
    {
        var source = image;
        using var eightBit = new Mat();
        if (image.Depth() != MatType.CV_8U)
        {
            var scale = image.Depth() == MatType.CV_16U ? 1.0 / 257 : image.Depth() is MatType.CV_32F or MatType.CV_64F ? 255.0 : 1.0;
            image.ConvertTo(eightBit, MatType.CV_8UC(image.Channels()), scale);
            source = eightBit;
        }
        var factor = _options.WorkingSize / (double)Math.Max(source.Cols, source.Rows);
        var size = new Size(Math.Max(1, (int)Math.Round(source.Cols * factor)), Math.Max(1, (int)Math.Round(source.Rows * factor)));
        Cv2.Resize(source, _working, size, 0, 0, factor < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        LastStats = LastStats with { WorkingWidth = size.Width, WorkingHeight = size.Height };
    }

    /// <summary>
    /// Per channel: value / paper estimate, so the paper becomes 255 whatever its colour or lighting. The darkest channel
    /// ratio wins, which keeps coloured ink visible on coloured paper (blue ink on yellow paper is dark in red).
    /// </summary>
    private void Normalise()
    {
        var colourChannels = _working.Channels() == 4 ? 3 : _working.Channels();
        if (_working.Channels() == 4) Cv2.ExtractChannel(_working, _alpha, 3);
        for (var c = 0; c < colourChannels; c++)
        {
            Cv2.ExtractChannel(_working, _channel, c);
            if (_working.Channels() == 4) CompositeOnWhite(_channel, _alpha);
            // Lighting varies slowly, so the paper is estimated at a quarter of the resolution (16x less work):
            // a closing erases everything darker and narrower than the kernel, a blur smooths its blocks.
            Cv2.Resize(_channel, _small, new Size(Math.Max(1, _channel.Cols / BackgroundScale), Math.Max(1, _channel.Rows / BackgroundScale)), 0, 0, InterpolationFlags.Area);
            Cv2.MorphologyEx(_small, _smallBackground, MorphTypes.Close, _backgroundKernel, borderType: BorderTypes.Replicate);
            Cv2.Blur(_smallBackground, _smallBackground, _backgroundKernel.Size(), borderType: BorderTypes.Replicate);
            Cv2.Resize(_smallBackground, _background, _channel.Size(), 0, 0, InterpolationFlags.Linear);
            Cv2.Max(_background, _channel, _background);
            Cv2.Divide(_channel, _background, c == 0 ? _normalised : _ratio, 255.0);
            if (c > 0) Cv2.Min(_normalised, _ratio, _normalised);
        }
    }

    /// <summary>Transparent pixels of a PNG are paper, whatever colour they happen to store: value = 255 - (255 - v)·alpha.</summary>
    private static unsafe void CompositeOnWhite(Mat channel, Mat alpha)
    {
        int rows = channel.Rows, cols = channel.Cols;
        for (var y = 0; y < rows; y++)
        {
            var v = (byte*)channel.Ptr(y);
            var a = (byte*)alpha.Ptr(y);
            for (var x = 0; x < cols; x++) v[x] = (byte)(255 - (255 - v[x]) * a[x] / 255);
        }
    }

    /// <summary>
    /// Fraction of the non-ink pixels that are clearly darker than paper (below 235 after normalisation). Paper, even
    /// photographed, normalises to near 255 with ink edges as the only mid-tones; a photograph of a face or scene keeps
    /// smooth shading everywhere.
    /// </summary>
    private unsafe double ShadedPaperFraction(int threshold)
    {
        const int paperLevel = 235;
        int rows = _normalised.Rows, cols = _normalised.Cols;
        long paper = 0, shaded = 0;
        for (var y = 0; y < rows; y++)
        {
            var n = (byte*)_normalised.Ptr(y);
            for (var x = 0; x < cols; x++)
            {
                if (n[x] <= threshold) continue;
                paper++;
                if (n[x] < paperLevel) shaded++;
            }
        }
        return shaded / (double)Math.Max(1, paper);
    }

    /// <summary>Otsu on the normalised image, capped at 255 - MinInkContrast so a blank page's noise never becomes ink.</summary>
    private int Binarise()
    {
        var otsu = Cv2.Threshold(_normalised, _binary, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
        var threshold = (int)Math.Min(otsu, 255 - _options.MinInkContrast);
        Cv2.Threshold(_normalised, _binary, threshold, 255, ThresholdTypes.BinaryInv);
        _binary.CopyTo(_mask);
        return threshold;
    }

    /// <summary>
    /// Finds straight near-horizontal segments longer than the configured fraction of the width, erases a band as thick
    /// as the line, then restores the band where ink continues above and below it (strokes crossing the line).
    /// Candidates come from a Hough transform on a 4x max-pooled mask (cheap), and are confirmed at full resolution.
    /// </summary>
    private int RemoveRuledLines()
    {
        int rows = _mask.Rows, cols = _mask.Cols;
        Cv2.Resize(_mask, _smallMask, new Size(Math.Max(1, cols / RuleSearchScale), Math.Max(1, rows / RuleSearchScale)), 0, 0, InterpolationFlags.Area);
        Cv2.Threshold(_smallMask, _smallMask, 0, 255, ThresholdTypes.Binary);
        var minLength = _options.RuledLineMinLength * _smallMask.Cols;
        var segments = Cv2.HoughLinesP(_smallMask, 1, Math.PI / 180, (int)(minLength / 2), minLength, 2);
        _lineMask.Create(_mask.Size(), MatType.CV_8UC1);
        _lineMask.SetTo(Scalar.Black);
        var lines = 0;
        var thickest = 0;
        var maxThickness = Math.Max(3, _options.WorkingSize / 40);
        foreach (var s in segments)
        {
            var angle = Math.Abs(Math.Atan2(s.P2.Y - s.P1.Y, s.P2.X - s.P1.X) * 180 / Math.PI);
            if (angle > 90) angle = 180 - angle;
            if (angle > _options.RuledLineMaxAngle) continue;
            var x1 = s.P1.X * RuleSearchScale + RuleSearchScale / 2.0;
            var x2 = s.P2.X * RuleSearchScale + RuleSearchScale / 2.0;
            var y1 = s.P1.Y * RuleSearchScale + RuleSearchScale / 2.0;
            var y2 = s.P2.Y * RuleSearchScale + RuleSearchScale / 2.0;
            if (!ConfirmRule(x1, y1, x2, y2, maxThickness, out var fitted, out var thickness)) continue;
            Cv2.Line(_lineMask, fitted.P1, fitted.P2, Scalar.White, thickness + 2);
            thickest = Math.Max(thickest, thickness + 2);
            lines++;
        }
        if (lines == 0) return 0;
        Cv2.Subtract(_mask, _lineMask, _mask);
        // A vertical closing bridges the erased band only where strokes reach it from both sides.
        using var bridge = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(1, thickest + 3));
        Cv2.MorphologyEx(_mask, _bridged, MorphTypes.Close, bridge);
        Cv2.BitwiseAnd(_bridged, _lineMask, _bridged);
        Cv2.BitwiseAnd(_bridged, _binary, _bridged);
        Cv2.BitwiseOr(_mask, _bridged, _mask);
        return lines;
    }

    /// <summary>
    /// Confirms a candidate at full resolution. Along it, the nearest vertical ink run is found at each sample; a printed
    /// rule is there at nearly every sample, has the same thickness all along, and its run centres lie on one straight
    /// line within a pixel. A long pen stroke wavers in thickness or path and is kept. Returns the fitted line.
    /// </summary>
    private unsafe bool ConfirmRule(double x1, double y1, double x2, double y2, int limit, out LineSegmentPoint fitted, out int thickness)
    {
        const int samples = 48, search = RuleSearchScale + 2;
        fitted = default;
        thickness = 0;
        Span<double> xs = stackalloc double[samples];
        Span<double> centres = stackalloc double[samples];
        Span<int> runs = stackalloc int[samples];
        int rows = _mask.Rows, cols = _mask.Cols;
        var step = (int)_mask.Step();
        var data = (byte*)_mask.Data;
        var found = 0;
        for (var i = 0; i < samples; i++)
        {
            var t = (i + 0.5) / samples;
            var x = Math.Clamp((int)Math.Round(x1 + t * (x2 - x1)), 0, cols - 1);
            var predicted = (int)Math.Round(y1 + t * (y2 - y1));
            var column = data + x;
            var y = -1;
            for (var d = 0; d <= search && y < 0; d++)
            {
                if (predicted - d is var up && up >= 0 && up < rows && column[up * step] != 0) y = up;
                else if (predicted + d is var down && down >= 0 && down < rows && column[down * step] != 0) y = down;
            }
            if (y < 0) continue;
            int top = y, bottom = y;
            while (top > 0 && column[(top - 1) * step] != 0 && bottom - top < limit) top--;
            while (bottom < rows - 1 && column[(bottom + 1) * step] != 0 && bottom - top < limit) bottom++;
            xs[found] = x;
            centres[found] = (top + bottom) / 2.0;
            runs[found] = bottom - top + 1;
            found++;
        }
        if (found < 0.9 * samples) return false;
        xs = xs[..found];
        centres = centres[..found];
        runs = runs[..found];
        double mx = 0, my = 0;
        for (var i = 0; i < found; i++) { mx += xs[i]; my += centres[i]; }
        mx /= found; my /= found;
        double sxy = 0, sxx = 0;
        for (var i = 0; i < found; i++) { sxy += (xs[i] - mx) * (centres[i] - my); sxx += (xs[i] - mx) * (xs[i] - mx); }
        var slope = sxx > 0 ? sxy / sxx : 0;
        double residual = 0;
        for (var i = 0; i < found; i++) { var r = centres[i] - my - slope * (xs[i] - mx); residual += r * r; }
        if (Math.Sqrt(residual / found) > 0.7) return false;
        runs.Sort();
        var median = runs[found / 2];
        // Steady thickness: the middle two thirds of the runs within ±30% of the median (+1 px for rounding).
        if (median > limit || runs[found * 5 / 6] - runs[found / 6] > 0.3 * median + 1) return false;
        thickness = median;
        var left = Math.Min(x1, x2) - RuleSearchScale;
        var right = Math.Max(x1, x2) + RuleSearchScale;
        fitted = new LineSegmentPoint(
            new Point((int)Math.Round(left), (int)Math.Round(my + slope * (left - mx))),
            new Point((int)Math.Round(right), (int)Math.Round(my + slope * (right - mx))));
        return true;
    }

    /// <summary>Drops connected components smaller than SpeckFraction of all ink. Returns (kept, dropped, ink pixels kept).</summary>
    private unsafe (int Kept, int Dropped, int Ink) RemoveSpecks()
    {
        var count = Cv2.ConnectedComponentsWithStats(_mask, _labels, _componentStats, _centroids, PixelConnectivity.Connectivity8, MatType.CV_32S);
        long total = 0;
        for (var i = 1; i < count; i++) total += _componentStats.At<int>(i, (int)ConnectedComponentsTypes.Area);
        // Relative to the ink, so a bold signature loses its dust but a fine one keeps its dots; capped in absolute terms
        // so that small separate marks (the letters of a printed page) still count as marks.
        var minArea = Math.Max(2, Math.Min(_options.SpeckFraction * total, MaxSpeckArea * _mask.Rows * _mask.Cols));
        if (_dropLabel.Length < count) _dropLabel = new bool[count * 2];
        int kept = 0, dropped = 0, ink = 0;
        for (var i = 1; i < count; i++)
        {
            var area = _componentStats.At<int>(i, (int)ConnectedComponentsTypes.Area);
            _dropLabel[i] = area < minArea;
            if (_dropLabel[i]) dropped++;
            else { kept++; ink += area; }
        }
        if (dropped == 0) return (kept, 0, ink);
        int rows = _mask.Rows, cols = _mask.Cols;
        for (var y = 0; y < rows; y++)
        {
            var m = (byte*)_mask.Ptr(y);
            var l = (int*)_labels.Ptr(y);
            for (var x = 0; x < cols; x++)
                if (m[x] != 0 && _dropLabel[l[x]]) m[x] = 0;
        }
        return (kept, dropped, ink);
    }

    /// <summary>
    /// Ink image: darkness (255 - normalised) where the mask says ink, 0 elsewhere, stretched so the configured
    /// percentile of ink darkness becomes 255.
    /// </summary>
    private unsafe void PaintInk()
    {
        Span<int> histogram = stackalloc int[256];
        var total = 0;
        int rows = _mask.Rows, cols = _mask.Cols;
        for (var y = 0; y < rows; y++)
        {
            var m = (byte*)_mask.Ptr(y);
            var n = (byte*)_normalised.Ptr(y);
            for (var x = 0; x < cols; x++)
                if (m[x] != 0) { histogram[255 - n[x]]++; total++; }
        }
        var rank = (int)Math.Ceiling(_options.InkPercentile * total);
        int reference = 1, cumulative = 0;
        for (var d = 0; d < 256; d++)
        {
            cumulative += histogram[d];
            if (cumulative >= rank) { reference = Math.Max(1, d); break; }
        }
        Span<byte> lut = stackalloc byte[256];
        for (var v = 0; v < 256; v++) lut[v] = (byte)Math.Min(255, Math.Max(1, (255 - v) * 255 / reference));
        _ink.Create(_mask.Size(), MatType.CV_8UC1);
        for (var y = 0; y < rows; y++)
        {
            var m = (byte*)_mask.Ptr(y);
            var n = (byte*)_normalised.Ptr(y);
            var o = (byte*)_ink.Ptr(y);
            for (var x = 0; x < cols; x++) o[x] = m[x] != 0 ? lut[n[x]] : (byte)0;
        }
    }

    /// <summary>
    /// Rotates the ink so its principal axis is horizontal when the tilt is small (full correction up to DeskewMaxAngle,
    /// tapering to none at twice that), then crops to the ink into <see cref="_cropped"/>. Returns the rotation applied.
    /// </summary>
    private double Deskew(Rect box)
    {
        var angle = DeskewAngle();
        if (angle == 0)
        {
            using var roi = new Mat(_ink, box);
            roi.CopyTo(_cropped);
            return 0;
        }
        // Rotate only the ink's box, padded so no corner is clipped.
        var pad = (int)Math.Ceiling(Math.Max(box.Width, box.Height) * Math.Sin(Math.Abs(angle) * Math.PI / 180)) + 2;
        _padded.Create(box.Height + 2 * pad, box.Width + 2 * pad, MatType.CV_8UC1);
        _padded.SetTo(Scalar.Black);
        using (var source = new Mat(_ink, box))
        using (var target = new Mat(_padded, new Rect(pad, pad, box.Width, box.Height)))
            source.CopyTo(target);
        using var rotation = Cv2.GetRotationMatrix2D(new Point2f(_padded.Cols / 2f, _padded.Rows / 2f), angle, 1);
        Cv2.WarpAffine(_padded, _rotated, rotation, _padded.Size(), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.Black);
        var rotatedBox = Cv2.BoundingRect(_rotated);
        using var crop = new Mat(_rotated, rotatedBox);
        crop.CopyTo(_cropped);
        return angle;
    }

    private double DeskewAngle()
    {
        var limit = _options.DeskewMaxAngle;
        if (limit <= 0) return 0;
        var m = Cv2.Moments(_mask, binaryImage: true);
        // Principal axis in image coordinates (y down): positive means the ink runs down to the right,
        // which a positive (counter-clockwise) OpenCV rotation straightens.
        var tilt = 0.5 * Math.Atan2(2 * m.Mu11, m.Mu20 - m.Mu02) * 180 / Math.PI;
        var magnitude = Math.Abs(tilt);
        var correction = magnitude <= limit ? magnitude : magnitude < 2 * limit ? 2 * limit - magnitude : 0;
        return correction < 0.1 ? 0 : Math.CopySign(correction, tilt);
    }

    /// <summary>Scales the cropped ink to fit the canvas minus its margin, keeping the aspect ratio, and centres it.</summary>
    private unsafe void Compose(Span<float> destination)
    {
        var margin = _options.CanvasMargin;
        var scale = Math.Min((Width - 2.0 * margin) / _cropped.Cols, (Height - 2.0 * margin) / _cropped.Rows);
        var w = Math.Clamp((int)Math.Round(_cropped.Cols * scale), 1, Width - 2 * margin);
        var h = Math.Clamp((int)Math.Round(_cropped.Rows * scale), 1, Height - 2 * margin);
        Cv2.Resize(_cropped, _resized, new Size(w, h), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        _canvas.SetTo(Scalar.Black);
        using (var target = new Mat(_canvas, new Rect((Width - w) / 2, (Height - h) / 2, w, h)))
            _resized.CopyTo(target);
        for (var y = 0; y < Height; y++)
        {
            var row = (byte*)_canvas.Ptr(y);
            var output = destination.Slice(y * Width, Width);
            for (var x = 0; x < Width; x++) output[x] = row[x] * (1f / 255f);
        }
    }

    /// <summary>
    /// Writes the stages of the last <see cref="Clean"/> call as PNGs named <c>STEM.1-normalised.png</c>,
    /// <c>.2-binary.png</c>, <c>.3-lines-removed.png</c>, <c>.4-cropped.png</c> and <c>.5-final.png</c>, as far as that call
    /// got (a rejected image still shows why). Stages 1-4 are dark ink on white as on paper; the final one is what the
    /// network sees: bright ink on black. Returns the files written.
    /// </summary>
    public IReadOnlyList<string> WriteDebugImages(string directory, string stem)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Write(Stage stage, string name, Mat image, bool invert)
        {
            if (_reached < stage) return;
            var path = Path.Combine(directory, $"{stem}.{name}.png");
            using var view = new Mat();
            if (invert) Cv2.BitwiseNot(image, view); else image.CopyTo(view);
            if (!Cv2.ImWrite(path, view)) throw new EdgeFaceException($"cannot write debug image {path}");
            written.Add(path);
        }
        Write(Stage.Normalised, "1-normalised", _normalised, invert: false);
        Write(Stage.Binary, "2-binary", _binary, invert: true);
        Write(Stage.LinesRemoved, "3-lines-removed", _mask, invert: true);
        Write(Stage.Cropped, "4-cropped", _cropped, invert: true);
        Write(Stage.Final, "5-final", _canvas, invert: false);
        return written;
    }

    public void Dispose()
    {
        foreach (var m in new[] { _backgroundKernel, _small, _smallBackground, _smallMask, _working, _channel, _alpha, _background, _ratio, _normalised, _binary, _mask,
                     _lineMask, _bridged, _labels, _componentStats, _centroids, _ink, _padded, _rotated, _cropped, _resized, _canvas })
            m.Dispose();
    }
}
