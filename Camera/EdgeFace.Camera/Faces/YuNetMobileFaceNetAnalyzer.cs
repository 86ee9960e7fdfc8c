using EdgeFace.Runtime;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace EdgeFace.Camera.Faces;

/// <summary>
/// Detection with YuNet (OpenCV's FaceDetectorYN) and embedding with MobileFaceNet-128 (ONNX Runtime),
/// following the model cards: BGR raw input for YuNet; 5-point similarity alignment to 112×112, RGB, /255,
/// ImageNet mean/std for MobileFaceNet, output L2-normalised here.
/// Every buffer (detector output, aligned crop, input/output tensors) is allocated once and reused per frame.
/// Owns the detector, the session and the tensors; dispose it to release them.
/// </summary>
public sealed class YuNetMobileFaceNetAnalyzer : IFrameAnalyzer
{
    private const int Side = 112;
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    private readonly string _detectorModel;
    private FaceDetectorYN _detector;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly Mat _detections = new();
    private readonly Mat _aligned = new(Side, Side, MatType.CV_8UC3);
    private readonly Mat _affine = new(2, 3, MatType.CV_64FC1);
    private readonly float[] _input = new float[3 * Side * Side];
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;
    private readonly float _minScore;
    private Size _detectorSize;

    /// <param name="detectorModel">YuNet ONNX file (e.g. detect-yunet-s-640.onnx).</param>
    /// <param name="embedderModel">MobileFaceNet ONNX file (embed-mobilefacenet-128.onnx).</param>
    /// <param name="minScore">Detection confidence below which faces are ignored.</param>
    /// <param name="threads">ONNX Runtime intra-op threads (0 = runtime default).</param>
    public YuNetMobileFaceNetAnalyzer(string detectorModel, string embedderModel, float minScore = 0.7f, int threads = 0)
    {
        RequireFile(detectorModel, "face detector model");
        RequireFile(embedderModel, "face embedding model");
        _minScore = minScore;
        _detectorModel = detectorModel;
        _detectorSize = new Size(640, 480);
        _detector = CreateDetector(_detectorSize);
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
            _session = new InferenceSession(embedderModel, options);
            _inputNames = [_session.InputNames[0]];
            _outputNames = [_session.OutputNames[0]];
            var outLength = (int)_session.OutputMetadata[_outputNames[0]].Dimensions[^1];
            _output = new float[outLength];
            _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, 3, Side, Side]);
            _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [1, outLength]);
            _inputs = [_inputValue];
            _outputs = [_outputValue];
        }
        catch (OnnxRuntimeException e)
        {
            Dispose();
            throw new EdgeFaceException($"cannot load {embedderModel}: {e.Message}", e);
        }
    }

    public int EmbeddingSize => _output.Length;

    public void Detect(Mat frame, List<FaceObservation> faces)
    {
        faces.Clear();
        var size = frame.Size();
        if (size != _detectorSize)
        {
            // FaceDetectorYN is built for one input size; a new camera resolution (rare) rebuilds it.
            _detector.Dispose();
            _detector = CreateDetector(size);
            _detectorSize = size;
        }
        _detector.Detect(frame, _detections);
        var rows = _detections.Rows;
        for (var r = 0; r < rows; r++)
        {
            var score = _detections.At<float>(r, 14);
            if (score < _minScore) continue;
            var box = new BoxF(_detections.At<float>(r, 0), _detections.At<float>(r, 1), _detections.At<float>(r, 2), _detections.At<float>(r, 3));
            var marks = new Landmarks5(
                _detections.At<float>(r, 4), _detections.At<float>(r, 5), _detections.At<float>(r, 6), _detections.At<float>(r, 7),
                _detections.At<float>(r, 8), _detections.At<float>(r, 9), _detections.At<float>(r, 10), _detections.At<float>(r, 11),
                _detections.At<float>(r, 12), _detections.At<float>(r, 13));
            faces.Add(new FaceObservation(box, marks, score));
        }
        faces.Sort(static (a, b) => b.Score.CompareTo(a.Score));
    }

    public void Embed(Mat frame, in FaceObservation face, Span<float> embedding)
    {
        if (embedding.Length != _output.Length) throw new ArgumentException($"embedding span has {embedding.Length} floats, model gives {_output.Length}");
        Span<double> m = stackalloc double[6];
        SimilarityAlignment.Estimate(face.Landmarks, m);
        for (var i = 0; i < 6; i++) _affine.Set(i / 3, i % 3, m[i]);
        Cv2.WarpAffine(frame, _aligned, _affine, new Size(Side, Side), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        FillInput();
        _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
        _output.CopyTo(embedding);
        VectorMath.Normalize(embedding);
    }

    /// <summary>BGR bytes → planar RGB floats, ImageNet-normalised.</summary>
    private unsafe void FillInput()
    {
        const int plane = Side * Side;
        var src = (byte*)_aligned.Data;
        var step = (int)_aligned.Step();
        for (var y = 0; y < Side; y++)
        {
            var row = src + y * step;
            for (var x = 0; x < Side; x++)
            {
                var o = y * Side + x;
                _input[o] = (row[3 * x + 2] / 255f - Mean[0]) / Std[0];
                _input[plane + o] = (row[3 * x + 1] / 255f - Mean[1]) / Std[1];
                _input[2 * plane + o] = (row[3 * x] / 255f - Mean[2]) / Std[2];
            }
        }
    }

    private FaceDetectorYN CreateDetector(Size size)
    {
        try { return FaceDetectorYN.Create(_detectorModel, "", size, _minScore, 0.3f, 50); }
        catch (OpenCVException e) { throw new EdgeFaceException($"cannot load face detector {_detectorModel}: {e.Message}", e); }
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path)) throw new EdgeFaceException($"{what} not found: {path}");
    }

    public void Dispose()
    {
        _inputValue?.Dispose();
        _outputValue?.Dispose();
        _session?.Dispose();
        _runOptions.Dispose();
        _detector?.Dispose();
        _detections.Dispose();
        _aligned.Dispose();
        _affine.Dispose();
    }
}
