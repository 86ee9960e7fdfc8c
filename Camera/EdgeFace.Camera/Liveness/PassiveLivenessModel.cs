using EdgeFace.Camera.Faces;
using EdgeFace.Runtime;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace EdgeFace.Camera.Liveness;

/// <summary>
/// The MiniFASNet two-model ensemble (V2 at crop scale 2.7, V1SE at 4.0): each sees the full frame cropped around
/// the face per <see cref="MiniFasCrop"/>, resized to 80×80 BGR with raw 0..255 values; softmax of each model's
/// logits is averaged and class 1 is "live". Tensors and crops are allocated once.
/// Owns both sessions; dispose to release them. Not thread-safe.
/// </summary>
public sealed class PassiveLivenessModel : IDisposable
{
    private const int Side = 80;
    private readonly Member[] _members;

    public PassiveLivenessModel(string v2Model, string v1seModel, int threads = 1)
    {
        _members = [new Member(v2Model, 2.7f, threads), new Member(v1seModel, 4.0f, threads)];
    }

    /// <summary>Creates the ensemble from the standard file names in a models folder.</summary>
    public static PassiveLivenessModel FromFolder(string folder, int threads = 1) => new(
        Path.Combine(folder, "liveness-minifasnet-v2-2.7.onnx"), Path.Combine(folder, "liveness-minifasnet-v1se-4.0.onnx"), threads);

    /// <summary>Probability in [0,1] that the face in <paramref name="frame"/> at <paramref name="box"/> is live.</summary>
    public float Score(Mat frame, BoxF box)
    {
        var sum = 0f;
        foreach (var m in _members) sum += m.LiveProbability(frame, box);
        return sum / _members.Length;
    }

    /// <summary>Each member's live probability, for diagnostics and tests.</summary>
    public (float V2, float V1SE) ScoreEach(Mat frame, BoxF box) =>
        (_members[0].LiveProbability(frame, box), _members[1].LiveProbability(frame, box));

    public void Dispose()
    {
        foreach (var m in _members) m?.Dispose();
    }

    private sealed class Member : IDisposable
    {
        private readonly float _scale;
        private readonly InferenceSession _session;
        private readonly RunOptions _run = new();
        private readonly float[] _input = new float[3 * Side * Side];
        private readonly float[] _logits = new float[3];
        private readonly OrtValue _inputValue;
        private readonly OrtValue _outputValue;
        private readonly string[] _inputNames;
        private readonly string[] _outputNames;
        private readonly OrtValue[] _inputs;
        private readonly OrtValue[] _outputs;
        private readonly Mat _resized = new(Side, Side, MatType.CV_8UC3);

        public Member(string model, float scale, int threads)
        {
            if (!File.Exists(model)) throw new EdgeFaceException($"liveness model not found: {model}");
            _scale = scale;
            try
            {
                using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
                _session = new InferenceSession(model, options);
            }
            catch (OnnxRuntimeException e)
            {
                _run.Dispose();
                _resized.Dispose();
                throw new EdgeFaceException($"cannot load {model}: {e.Message}", e);
            }
            _inputNames = [_session.InputNames[0]];
            _outputNames = [_session.OutputNames[0]];
            _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, 3, Side, Side]);
            _outputValue = OrtValue.CreateTensorValueFromMemory(_logits, [1, 3]);
            _inputs = [_inputValue];
            _outputs = [_outputValue];
        }

        public unsafe float LiveProbability(Mat frame, BoxF box)
        {
            var rect = MiniFasCrop.Compute(frame.Width, frame.Height, box, _scale);
            using (var roi = new Mat(frame, rect)) Cv2.Resize(roi, _resized, new Size(Side, Side));
            const int plane = Side * Side;
            var step = (int)_resized.Step();
            var data = (byte*)_resized.Data;
            for (var y = 0; y < Side; y++)
            {
                var row = data + y * step;
                for (var x = 0; x < Side; x++)
                {
                    var o = y * Side + x;
                    _input[o] = row[3 * x];
                    _input[plane + o] = row[3 * x + 1];
                    _input[2 * plane + o] = row[3 * x + 2];
                }
            }
            _session.Run(_run, _inputNames, _inputs, _outputNames, _outputs);
            var max = MathF.Max(_logits[0], MathF.Max(_logits[1], _logits[2]));
            float e0 = MathF.Exp(_logits[0] - max), e1 = MathF.Exp(_logits[1] - max), e2 = MathF.Exp(_logits[2] - max);
            return e1 / (e0 + e1 + e2);
        }

        public void Dispose()
        {
            _inputValue.Dispose();
            _outputValue.Dispose();
            _session.Dispose();
            _run.Dispose();
            _resized.Dispose();
        }
    }
}
