using EdgeFace.Runtime.Imaging;
using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Faces;

/// <summary>
/// YuNet (libfacedetection) detector, fixed-size (letterboxed: longer side scaled to the input, padded
/// bottom/right) or dynamic-size (image padded bottom/right to a multiple of 32). Owns the session it is given,
/// its tensor buffers and a resize Mat; dispose it. Not thread-safe.
/// </summary>
public sealed class YuNetDetector : IFaceDetector, IBareRun
{
    private static readonly int[] Strides = [8, 16, 32];

    private readonly ModelSession _session;
    private readonly NchwWriter _writer;
    private readonly float _scoreThreshold, _nmsIou;
    private readonly int _maxDynamicSide;
    private readonly int[] _cls = new int[3], _obj = new int[3], _bbox = new int[3], _kps = new int[3];
    private readonly List<int> _hits = new(256);
    private readonly List<FaceDetection> _candidates = new(256);
    private readonly Mat _resized = new();
    private TensorBinding? _binding;
    private int _boundWidth, _boundHeight, _writtenWidth = -1, _writtenHeight = -1;

    public ModelManifest Manifest => _session.Manifest;

    public YuNetDetector(ModelSession session, FaceDetectorOptions? options = null)
    {
        _session = session;
        var m = session.Manifest;
        options ??= new FaceDetectorOptions();
        _writer = new NchwWriter(m.Input);
        _scoreThreshold = options.ScoreThreshold ?? (float)m.Parameters.GetValueOrDefault("score_threshold", 0.6);
        _nmsIou = options.NmsIou ?? (float)m.Parameters.GetValueOrDefault("nms_iou", 0.3);
        _maxDynamicSide = Math.Max(32, options.MaxDynamicSide);
        for (var i = 0; i < 3; i++)
        {
            _cls[i] = OutputIndex($"cls_{Strides[i]}");
            _obj[i] = OutputIndex($"obj_{Strides[i]}");
            _bbox[i] = OutputIndex($"bbox_{Strides[i]}");
            _kps[i] = OutputIndex($"kps_{Strides[i]}");
        }
    }

    private int OutputIndex(string name)
    {
        for (var i = 0; i < _session.OutputNames.Count; i++) if (_session.OutputNames[i] == name) return i;
        throw new EdgeFaceException($"{_session.Entry.FileName}: not a YuNet graph (no output '{name}')");
    }

    public void Detect(Mat bgrImage, List<FaceDetection> destination)
    {
        destination.Clear();
        ImageChecks.RequireBgr(bgrImage);
        int w = bgrImage.Cols, h = bgrImage.Rows;
        var input = Manifest.Input;
        float scale;
        int tensorW, tensorH;
        if (input.IsDynamic)
        {
            scale = Math.Max(w, h) > _maxDynamicSide ? (float)_maxDynamicSide / Math.Max(w, h) : 1f;
            var rw = Math.Max(1, (int)MathF.Round(w * scale));
            var rh = Math.Max(1, (int)MathF.Round(h * scale));
            var multiple = Math.Max(32, input.SizeMultiple);
            tensorW = (rw + multiple - 1) / multiple * multiple;
            tensorH = (rh + multiple - 1) / multiple * multiple;
        }
        else
        {
            scale = Math.Min((float)input.Width / w, (float)input.Height / h);
            tensorW = input.Width;
            tensorH = input.Height;
        }
        var binding = Bind(tensorW, tensorH);
        var source = bgrImage;
        if (scale != 1f)
        {
            var rw = Math.Clamp((int)MathF.Round(w * scale), 1, tensorW);
            var rh = Math.Clamp((int)MathF.Round(h * scale), 1, tensorH);
            Cv2.Resize(bgrImage, _resized, new Size(rw, rh), 0, 0, InterpolationFlags.Linear);
            source = _resized;
        }
        if (source.Cols != _writtenWidth || source.Rows != _writtenHeight)
        {
            // Padding must be black; only needed when the written region changes shape.
            _writer.Clear(binding.Inputs[0], tensorW, tensorH);
            _writtenWidth = source.Cols;
            _writtenHeight = source.Rows;
        }
        _writer.Write(source, binding.Inputs[0], tensorW, tensorH);
        binding.Run();
        Decode(binding, tensorW, tensorH, scale == 1f ? 1f : (float)w / source.Cols, scale == 1f ? 1f : (float)h / source.Rows);
        NonMaxSuppression.Apply(_candidates, _nmsIou, destination);
    }

    private void Decode(TensorBinding binding, int tensorW, int tensorH, float backX, float backY)
    {
        _candidates.Clear();
        var threshold2 = _scoreThreshold * _scoreThreshold;
        Span<float> kp = stackalloc float[10];
        for (var si = 0; si < Strides.Length; si++)
        {
            var s = Strides[si];
            var cols = tensorW / s;
            var n = cols * (tensorH / s);
            var cls = binding.Outputs[_cls[si]].AsSpan(0, n);
            var obj = binding.Outputs[_obj[si]].AsSpan(0, n);
            var bbox = binding.Outputs[_bbox[si]];
            var kps = binding.Outputs[_kps[si]];
            _hits.Clear();
            ScoreScan.ProductAtLeast(cls, obj, threshold2, _hits);
            foreach (var i in _hits)
            {
                var score = MathF.Sqrt(Math.Clamp(cls[i], 0f, 1f) * Math.Clamp(obj[i], 0f, 1f));
                if (score < _scoreThreshold) continue;
                float col = i % cols, row = i / cols;
                var bw = MathF.Exp(bbox[4 * i + 2]) * s;
                var bh = MathF.Exp(bbox[4 * i + 3]) * s;
                var cx = (col + bbox[4 * i]) * s;
                var cy = (row + bbox[4 * i + 1]) * s;
                for (var k = 0; k < 5; k++)
                {
                    kp[2 * k] = (col + kps[10 * i + 2 * k]) * s * backX;
                    kp[2 * k + 1] = (row + kps[10 * i + 2 * k + 1]) * s * backY;
                }
                var box = new RectF((cx - bw / 2) * backX, (cy - bh / 2) * backY, bw * backX, bh * backY);
                _candidates.Add(new FaceDetection(box, FacePoints.FromInterleaved(kp), score));
            }
        }
    }

    private TensorBinding Bind(int width, int height)
    {
        if (_binding is not null && width == _boundWidth && height == _boundHeight) return _binding;
        _binding?.Dispose();
        _binding = null;
        var outputs = new long[_session.OutputNames.Count][];
        for (var si = 0; si < Strides.Length; si++)
        {
            long n = (width / Strides[si]) * (height / Strides[si]);
            outputs[_cls[si]] = [1, n, 1];
            outputs[_obj[si]] = [1, n, 1];
            outputs[_bbox[si]] = [1, n, 4];
            outputs[_kps[si]] = [1, n, 10];
        }
        if (outputs.Any(o => o is null)) throw new EdgeFaceException($"{_session.Entry.FileName}: unexpected extra outputs for a YuNet graph");
        _binding = new TensorBinding(_session, [[1, 3, height, width]], outputs);
        _boundWidth = width;
        _boundHeight = height;
        _writtenWidth = _writtenHeight = -1;
        return _binding;
    }

    /// <summary>Runs the graph on the tensor the last <see cref="Detect"/> prepared (benchmarks only).</summary>
    public void RunBare() => (_binding ?? throw new InvalidOperationException("call Detect first")).Run();

    public void Dispose()
    {
        _binding?.Dispose();
        _resized.Dispose();
        _session.Dispose();
    }
}
