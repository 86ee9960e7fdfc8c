using System.Security.Cryptography;
using EdgeFace.Runtime.Models;
using Microsoft.ML.OnnxRuntime;

namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// A trained signature network (task <c>signature-embedder</c>) run with ONNX Runtime on the CPU. The input is
/// 1x1x150x220: the cleaned canvas with the manifest's normalisation <c>(v·Scale − Mean)/Std</c>; the output (length
/// <c>output.size</c>) is L2-normalised here unless the manifest says the network already does it.
/// Owns the session and its pinned input/output tensors: dispose it. One call at a time (it reuses its buffers).
/// </summary>
public sealed class OnnxSignatureEmbedder : ISignatureEmbedder, IDisposable
{
    private readonly ModelManifest _manifest;
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input = new float[SignatureCleaner.PixelCount];
    private readonly float[] _output;
    private readonly OrtValue _inputValue, _outputValue;
    private readonly string[] _inputNames, _outputNames;
    private readonly OrtValue[] _inputValues, _outputValues;
    private readonly float _scale, _mean, _std;

    private OnnxSignatureEmbedder(ModelManifest manifest, string modelPath)
    {
        _manifest = manifest;
        var output = manifest.Output!;
        _sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        try
        {
            try { _session = new InferenceSession(modelPath, _sessionOptions); }
            catch (OnnxRuntimeException e) { throw new EdgeFaceException($"{modelPath}: ONNX Runtime cannot load the model ({e.Message.Split('\n')[0]})", e); }
            CheckGraph(modelPath, manifest);
        }
        catch
        {
            _session?.Dispose();
            _sessionOptions.Dispose();
            _runOptions.Dispose();
            throw;
        }
        _output = new float[output.Size];
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, 1, SignatureCleaner.Height, SignatureCleaner.Width]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [1, output.Size]);
        _inputNames = [manifest.Input.Name];
        _outputNames = [output.Name];
        _inputValues = [_inputValue];
        _outputValues = [_outputValue];
        _scale = manifest.Input.Scale;
        _mean = manifest.Input.Mean.Length > 0 ? manifest.Input.Mean[0] : 0;
        _std = manifest.Input.Std.Length > 0 ? manifest.Input.Std[0] : 1;
    }

    public string Id => _manifest.Id;
    public int Dimension => _output.Length;
    public ModelManifest Manifest => _manifest;

    /// <summary>Loads <c>NAME.manifest.json</c> and the ONNX file it names, checking task, geometry and SHA-256.</summary>
    public static OnnxSignatureEmbedder Load(string manifestPath)
    {
        var manifest = ModelManifest.Load(manifestPath);
        if (manifest.Task != ModelTask.SignatureEmbedder)
            throw new EdgeFaceException($"{manifestPath}: model '{manifest.Id}' is a {TaskName(manifest.Task)}, not a signature-embedder");
        var input = manifest.Input;
        if (input.Channels != 1 || input.Width != SignatureCleaner.Width || input.Height != SignatureCleaner.Height)
            throw new EdgeFaceException($"{manifestPath}: input is {input.Channels}x{input.Height}x{input.Width}; signature embedders take 1x150x220");
        if (input.Std.Any(s => s == 0)) throw new EdgeFaceException($"{manifestPath}: input std must not be 0");
        if (manifest.Output is not { Size: > 0 }) throw new EdgeFaceException($"{manifestPath}: output name and size are required");
        if (string.IsNullOrEmpty(manifest.File)) throw new EdgeFaceException($"{manifestPath}: 'file' (the ONNX file) is missing");
        var modelPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, manifest.File);
        if (!File.Exists(modelPath)) throw new EdgeFaceException($"{manifestPath}: model file not found: {modelPath}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(modelPath)));
        if (!string.Equals(hash, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new EdgeFaceException($"{modelPath}: SHA-256 {hash} does not match the manifest ({manifest.Sha256}); refusing a changed model");
        return new OnnxSignatureEmbedder(manifest, modelPath);
    }

    private static string TaskName(ModelTask task) => System.Text.Json.JsonSerializer.Serialize(task, ModelManifest.JsonOptions).Trim('"');

    /// <summary>The graph must have the manifest's input (1 or dynamic batch, 1x150x220) and output (size N).</summary>
    private void CheckGraph(string modelPath, ModelManifest manifest)
    {
        if (!_session.InputMetadata.TryGetValue(manifest.Input.Name, out var input))
            throw new EdgeFaceException($"{modelPath}: the graph has no input '{manifest.Input.Name}' (it has {string.Join(", ", _session.InputMetadata.Keys)})");
        var dims = input.Dimensions;
        if (dims.Length != 4 || dims[0] > 1 || dims[1] != 1 || dims[2] != SignatureCleaner.Height || dims[3] != SignatureCleaner.Width)
            throw new EdgeFaceException($"{modelPath}: input '{manifest.Input.Name}' has shape [{string.Join(",", dims)}]; a signature embedder takes [1,1,150,220]");
        if (!_session.OutputMetadata.TryGetValue(manifest.Output!.Name, out var output))
            throw new EdgeFaceException($"{modelPath}: the graph has no output '{manifest.Output.Name}' (it has {string.Join(", ", _session.OutputMetadata.Keys)})");
        if (output.Dimensions.Length != 2 || output.Dimensions[^1] != manifest.Output.Size)
            throw new EdgeFaceException($"{modelPath}: output '{manifest.Output.Name}' has shape [{string.Join(",", output.Dimensions)}]; the manifest says [1,{manifest.Output.Size}]");
    }

    public void Embed(ReadOnlySpan<float> cleaned, Span<float> destination)
    {
        if (cleaned.Length != SignatureCleaner.PixelCount)
            throw new ArgumentException($"cleaned signature must have {SignatureCleaner.PixelCount} values, has {cleaned.Length}", nameof(cleaned));
        if (destination.Length != Dimension)
            throw new ArgumentException($"destination must have {Dimension} values, has {destination.Length}", nameof(destination));
        for (var i = 0; i < _input.Length; i++) _input[i] = (cleaned[i] * _scale - _mean) / _std;
        _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
        _output.CopyTo(destination);
        if (!_manifest.Output!.Normalized) SignatureVectors.Normalize(destination);
    }

    public void Dispose()
    {
        _inputValue.Dispose();
        _outputValue.Dispose();
        _session.Dispose();
        _sessionOptions.Dispose();
        _runOptions.Dispose();
    }
}
