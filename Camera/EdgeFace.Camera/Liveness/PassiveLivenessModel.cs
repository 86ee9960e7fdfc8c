using EdgeFace.Runtime;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Camera.Liveness;

/// <summary>
/// The MiniFASNet two-model ensemble (V2 at crop scale 2.7, V1SE at 4.0; the scale comes from each manifest's
/// <c>crop_scale</c>): each model sees the full frame cropped around the face per <see cref="MiniFasCrop"/>,
/// resized to 80×80 BGR with raw 0..255 values; the softmax of each model's logits is averaged and class
/// <c>live_class</c> (1) is "live". Tensors and the resized crop are allocated once.
/// Owns both sessions and bindings; dispose to release them. Not thread-safe.
/// </summary>
public sealed class PassiveLivenessModel : IDisposable
{
    public const string V2Id = "minifasnet-v2-2.7";
    public const string V1SEId = "minifasnet-v1se-4.0";
    private readonly Member[] _members;

    /// <summary>Takes ownership of the sessions (also on failure).</summary>
    public PassiveLivenessModel(IReadOnlyList<ModelSession> sessions)
    {
        var members = new List<Member>();
        try
        {
            foreach (var s in sessions) members.Add(new Member(s));
        }
        catch
        {
            foreach (var m in members) m.Dispose();
            foreach (var s in sessions.Skip(members.Count)) s.Dispose();
            throw;
        }
        _members = members.ToArray();
    }

    /// <summary>Opens both ensemble members from the model catalog.</summary>
    public static PassiveLivenessModel Open(ModelCatalog catalog, SessionFactory factory)
    {
        var v2 = factory.Open(catalog.Resolve(ModelTask.Liveness, V2Id));
        ModelSession v1;
        try { v1 = factory.Open(catalog.Resolve(ModelTask.Liveness, V1SEId)); }
        catch { v2.Dispose(); throw; }
        return new PassiveLivenessModel([v2, v1]);
    }

    public IReadOnlyList<string> MemberIds => _members.Select(m => m.Id).ToArray();

    /// <summary>Probability in [0,1] that the face at <paramref name="box"/> in the full <paramref name="frame"/> is live.</summary>
    public float Score(Mat frame, RectF box)
    {
        var sum = 0f;
        foreach (var m in _members) sum += m.LiveProbability(frame, box);
        return sum / _members.Length;
    }

    /// <summary>Each member's live probability, in construction order (diagnostics and tests).</summary>
    public void ScoreEach(Mat frame, RectF box, Span<float> destination)
    {
        for (var i = 0; i < _members.Length; i++) destination[i] = _members[i].LiveProbability(frame, box);
    }

    /// <summary>The crop each member would take (diagnostics and tests).</summary>
    public Rect[] Crops(int width, int height, RectF box) => _members.Select(m => MiniFasCrop.Compute(width, height, box, m.Scale)).ToArray();

    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
    }

    private sealed class Member : IDisposable
    {
        private readonly ModelSession _session;
        private readonly TensorBinding _binding;
        private readonly Mat _resized;
        private readonly int _side;
        private readonly int _height;
        private readonly int _liveClass;

        public Member(ModelSession session)
        {
            _session = session;
            var m = session.Manifest;
            if (m.Family != "minifasnet") throw new EdgeFaceException($"{m.Id}: not a MiniFASNet liveness model (family '{m.Family}')");
            if (!m.Parameters.TryGetValue("crop_scale", out var scale) || scale <= 0)
                throw new EdgeFaceException($"{m.Id}: manifest lacks a positive 'crop_scale' parameter");
            Scale = (float)scale;
            _liveClass = (int)m.Parameters.GetValueOrDefault("live_class", 1);
            _side = m.Input.Width;
            _height = m.Input.Height;
            var classes = m.Output?.Size is > 0 ? m.Output.Size : 3;
            if (_liveClass < 0 || _liveClass >= classes) throw new EdgeFaceException($"{m.Id}: live_class {_liveClass} outside {classes} classes");
            _binding = new TensorBinding(session, [[1, 3, _height, _side]], [[1, classes]]);
            _resized = new Mat(_height, _side, MatType.CV_8UC3);
        }

        public string Id => _session.Manifest.Id;
        public float Scale { get; }

        public unsafe float LiveProbability(Mat frame, RectF box)
        {
            var rect = MiniFasCrop.Compute(frame.Width, frame.Height, box, Scale);
            using (var roi = new Mat(frame, rect)) Cv2.Resize(roi, _resized, new Size(_side, _height));
            var input = _binding.Inputs[0];
            var plane = _side * _height;
            var step = (int)_resized.Step();
            var data = (byte*)_resized.Data;
            // Raw 0..255 BGR planes: the model card says no scaling and no mean/std.
            for (var y = 0; y < _height; y++)
            {
                var row = data + y * step;
                for (var x = 0; x < _side; x++)
                {
                    var o = y * _side + x;
                    input[o] = row[3 * x];
                    input[plane + o] = row[3 * x + 1];
                    input[2 * plane + o] = row[3 * x + 2];
                }
            }
            _binding.Run();
            return Softmax(_binding.Outputs[0], _liveClass);
        }

        private static float Softmax(ReadOnlySpan<float> logits, int index)
        {
            var max = float.NegativeInfinity;
            foreach (var v in logits) max = MathF.Max(max, v);
            var sum = 0f;
            foreach (var v in logits) sum += MathF.Exp(v - max);
            return MathF.Exp(logits[index] - max) / sum;
        }

        public void Dispose()
        {
            _binding.Dispose();
            _session.Dispose();
            _resized.Dispose();
        }
    }
}
