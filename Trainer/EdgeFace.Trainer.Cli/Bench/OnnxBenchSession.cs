using Microsoft.ML.OnnxRuntime;

namespace EdgeFace.Trainer.Cli.Bench;

/// <summary>
/// An ONNX Runtime CPU session over an in-memory model with two float inputs and one output bound to
/// caller-owned arrays, so <see cref="Run"/> measures only the kernel. Disposing releases every native object.
/// </summary>
internal sealed class OnnxBenchSession : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;
    private readonly string[] _inputNames, _outputNames;

    public OnnxBenchSession(byte[] model, int threads, (string Name, float[] Data, long[] Shape)[] inputs, (string Name, float[] Data, long[] Shape) output)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            _session = new InferenceSession(model, _options);
        }
        catch
        {
            _options.Dispose();
            throw;
        }
        _inputNames = inputs.Select(i => i.Name).ToArray();
        _inputs = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Data, i.Shape)).ToArray();
        _outputNames = [output.Name];
        _outputs = [OrtValue.CreateTensorValueFromMemory(output.Data, output.Shape)];
    }

    public void Run() => _session.Run(_run, _inputNames, _inputs, _outputNames, _outputs);

    public void Dispose()
    {
        foreach (var v in _inputs) v.Dispose();
        foreach (var v in _outputs) v.Dispose();
        _run.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
