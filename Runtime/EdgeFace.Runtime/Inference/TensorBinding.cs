using Microsoft.ML.OnnxRuntime;

namespace EdgeFace.Runtime.Inference;

/// <summary>
/// Pre-allocated float buffers for every input and output of a <see cref="ModelSession"/>, wrapped once in
/// <see cref="OrtValue"/>s and bound to an <see cref="OrtIoBinding"/>, so <see cref="Run"/> allocates nothing.
/// Owns the OrtValues, the binding and the RunOptions; dispose it before the session.
/// </summary>
public sealed class TensorBinding : IDisposable
{
    private readonly ModelSession _session;
    private readonly OrtValue[] _values;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();

    public float[][] Inputs { get; }
    public float[][] Outputs { get; }
    public long[][] InputShapes { get; }
    public long[][] OutputShapes { get; }

    /// <param name="session">The session to run.</param>
    /// <param name="inputShapes">Shape of each input, in <see cref="ModelSession.InputNames"/> order.</param>
    /// <param name="outputShapes">Shape of each output, in <see cref="ModelSession.OutputNames"/> order.</param>
    public TensorBinding(ModelSession session, long[][] inputShapes, long[][] outputShapes)
    {
        _session = session;
        InputShapes = inputShapes;
        OutputShapes = outputShapes;
        Inputs = inputShapes.Select(s => new float[Count(s)]).ToArray();
        Outputs = outputShapes.Select(s => new float[Count(s)]).ToArray();
        _values = new OrtValue[Inputs.Length + Outputs.Length];
        _binding = session.Session.CreateIoBinding();
        try
        {
            for (var i = 0; i < Inputs.Length; i++)
            {
                _values[i] = OrtValue.CreateTensorValueFromMemory(Inputs[i], inputShapes[i]);
                _binding.BindInput(session.InputNames[i], _values[i]);
            }
            for (var i = 0; i < Outputs.Length; i++)
            {
                var v = _values[Inputs.Length + i] = OrtValue.CreateTensorValueFromMemory(Outputs[i], outputShapes[i]);
                _binding.BindOutput(session.OutputNames[i], v);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs the graph on the current contents of <see cref="Inputs"/>, writing <see cref="Outputs"/>.</summary>
    public void Run() => _session.Session.RunWithBinding(_runOptions, _binding);

    private static long Count(long[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var v in _values) v?.Dispose();
        _runOptions.Dispose();
    }
}
