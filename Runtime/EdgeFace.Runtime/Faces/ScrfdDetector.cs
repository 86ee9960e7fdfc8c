using EdgeFace.Runtime.Imaging;
using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Faces;

/// <summary>
/// InsightFace SCRFD detector with keypoints, fixed-size input, letterboxed and centred, 2 anchors per cell.
/// Outputs are recognised by shape (score/box/landmark per stride), not by name. Owns the session it is given,
/// its buffers and a resize Mat; dispose it. Not thread-safe.
/// </summary>
public sealed class ScrfdDetector : IFaceDetector, IBareRun
{
    private static readonly int[] Strides = [8, 16, 32];

    private readonly ModelSession _session;
    private readonly NchwWriter _writer;
    private readonly float _scoreThreshold, _nmsIou;
    private readonly int _anchors;
    private readonly int[] _score = new int[3], _box = new int[3], _kps = new int[3];
    private readonly List<int> _hits = new(256);
    private readonly List<FaceDetection> _candidates = new(256);
    private readonly Mat _resized = new();
    private readonly TensorBinding _binding;
    private int _writtenX = -1, _writtenY = -1, _writtenW = -1, _writtenH = -1;

    public ModelManifest Manifest => _session.Manifest;

    public ScrfdDetector(ModelSession session, FaceDetectorOptions? options = null)
    {
        _session = session;
        var m = session.Manifest;
        if (m.Input.IsDynamic) throw new EdgeFaceException($"{session.Entry.FileName}: SCRFD support needs a fixed-size export (manifest input is dynamic)");
        options ??= new FaceDetectorOptions();
        _writer = new NchwWriter(m.Input);
        _scoreThreshold = options.ScoreThreshold ?? (float)m.Parameters.GetValueOrDefault("score_threshold", 0.5);
        _nmsIou = options.NmsIou ?? (float)m.Parameters.GetValueOrDefault("nms_iou", 0.4);
        _anchors = (int)m.Parameters.GetValueOrDefault("anchors_per_cell", 2);
        var shapes = new long[session.OutputNames.Count][];
        for (var o = 0; o < session.OutputNames.Count; o++)
        {
            var dims = session.OutputDimensions(session.OutputNames[o]);
            // Exports differ in whether the batch axis is kept: [1,N,k] or [N,k].
            long n = dims.Length == 3 ? dims[1] : dims[0];
            long k = dims[^1];
            shapes[o] = dims.Select(d => (long)d).ToArray();
            var stride = Array.FindIndex(Strides, s => (m.Input.Width / s) * (m.Input.Height / s) * _anchors == n);
            int[]? group = k switch { 1 => _score, 4 => _box, 10 => _kps, _ => null };
            if (stride < 0 || group is null || dims.Any(d => d <= 0))
                throw new EdgeFaceException($"{session.Entry.FileName}: not a SCRFD keypoint graph (unexpected output '{session.OutputNames[o]}' [{string.Join(",", dims)}])");
            group[stride] = o + 1; // +1 so 0 means "missing"
        }
        if (_score.Concat(_box).Concat(_kps).Any(i => i == 0))
            throw new EdgeFaceException($"{session.Entry.FileName}: not a SCRFD keypoint graph (needs score, box and landmark outputs for strides 8/16/32)");
        for (var i = 0; i < 3; i++) { _score[i]--; _box[i]--; _kps[i]--; }
        _binding = new TensorBinding(session, [[1, 3, m.Input.Height, m.Input.Width]], shapes);
    }

    public void Detect(Mat bgrImage, List<FaceDetection> destination)
    {
        destination.Clear();
        ImageChecks.RequireBgr(bgrImage);
        int inW = Manifest.Input.Width, inH = Manifest.Input.Height;
        var scale = Math.Min((float)inW / bgrImage.Cols, (float)inH / bgrImage.Rows);
        var rw = Math.Clamp((int)MathF.Round(bgrImage.Cols * scale), 1, inW);
        var rh = Math.Clamp((int)MathF.Round(bgrImage.Rows * scale), 1, inH);
        var source = bgrImage;
        if (rw != bgrImage.Cols || rh != bgrImage.Rows)
        {
            Cv2.Resize(bgrImage, _resized, new Size(rw, rh), 0, 0, InterpolationFlags.Linear);
            source = _resized;
        }
        var padX = Manifest.Input.PadCentered ? (inW - rw) / 2 : 0;
        var padY = Manifest.Input.PadCentered ? (inH - rh) / 2 : 0;
        if (padX != _writtenX || padY != _writtenY || rw != _writtenW || rh != _writtenH)
        {
            _writer.Clear(_binding.Inputs[0], inW, inH);
            (_writtenX, _writtenY, _writtenW, _writtenH) = (padX, padY, rw, rh);
        }
        _writer.Write(source, _binding.Inputs[0], inW, inH, padX, padY);
        _binding.Run();
        Decode(inW, padX, padY, (float)bgrImage.Cols / rw, (float)bgrImage.Rows / rh);
        NonMaxSuppression.Apply(_candidates, _nmsIou, destination);
    }

    private void Decode(int inW, int padX, int padY, float backX, float backY)
    {
        _candidates.Clear();
        Span<float> kp = stackalloc float[10];
        for (var si = 0; si < Strides.Length; si++)
        {
            var s = Strides[si];
            var cols = inW / s;
            var scores = _binding.Outputs[_score[si]];
            var box = _binding.Outputs[_box[si]];
            var kps = _binding.Outputs[_kps[si]];
            _hits.Clear();
            ScoreScan.AtLeast(scores, _scoreThreshold, _hits);
            foreach (var i in _hits)
            {
                var cell = i / _anchors;
                float cx = cell % cols * s, cy = cell / cols * s;
                var x1 = (cx - box[4 * i] * s - padX) * backX;
                var y1 = (cy - box[4 * i + 1] * s - padY) * backY;
                var x2 = (cx + box[4 * i + 2] * s - padX) * backX;
                var y2 = (cy + box[4 * i + 3] * s - padY) * backY;
                for (var k = 0; k < 5; k++)
                {
                    kp[2 * k] = (cx + kps[10 * i + 2 * k] * s - padX) * backX;
                    kp[2 * k + 1] = (cy + kps[10 * i + 2 * k + 1] * s - padY) * backY;
                }
                _candidates.Add(new FaceDetection(new RectF(x1, y1, x2 - x1, y2 - y1), FacePoints.FromInterleaved(kp), scores[i]));
            }
        }
    }

    /// <summary>Runs the graph on the tensor the last <see cref="Detect"/> prepared (benchmarks only).</summary>
    public void RunBare() => _binding.Run();

    public void Dispose()
    {
        _binding.Dispose();
        _resized.Dispose();
        _session.Dispose();
    }
}
