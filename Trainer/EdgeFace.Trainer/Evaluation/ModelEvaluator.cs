using System.Security.Cryptography;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Models;
using EdgeFace.Trainer.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeFace.Trainer.Evaluation;

/// <summary>
/// Evaluates an exported embedder as the Runtime would see it: its manifest (beside the .onnx) says how to feed
/// images and which output to read, the file's SHA-256 must match, and ONNX Runtime computes the embeddings.
/// </summary>
public static class ModelEvaluator
{
    public static ModelManifest LoadManifest(string onnxPath)
    {
        if (!File.Exists(onnxPath)) throw new EdgeFaceException($"model not found: {onnxPath}");
        var manifestPath = Path.ChangeExtension(onnxPath, null) + ModelManifest.FileSuffix;
        var manifest = ModelManifest.Load(manifestPath);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(onnxPath)));
        if (!string.Equals(sha, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new EdgeFaceException($"{onnxPath}: SHA-256 {sha} does not match its manifest ({manifest.Sha256}); the file was changed");
        if (manifest.Task is not (ModelTask.FaceEmbedder or ModelTask.SignatureEmbedder) || manifest.Output is null)
            throw new EdgeFaceException($"{manifestPath}: task {manifest.Task} is not an embedder");
        return manifest;
    }

    /// <summary>Embeds every image of <paramref name="data"/> (up to <paramref name="limit"/>) -> [count, D] and the labels.</summary>
    public static (float[] Embeddings, int[] Labels) Embed(string onnxPath, ModelManifest manifest, ILabeledDataset data, int limit = 2000, int batch = 16)
    {
        var input = manifest.Input;
        var d = manifest.Output!.Size;
        var count = Math.Min(limit, data.Samples.Count);
        var sampleLength = input.Channels * input.Height * input.Width;
        var embeddings = new float[count * d];
        var buffer = new float[batch * sampleLength];
        using var options = new SessionOptions();
        using var session = new InferenceSession(onnxPath, options);
        using var loader = new SampleLoader(input);
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            for (var i = 0; i < n; i++) loader.Load(data, start + i, buffer.AsSpan(i * sampleLength, sampleLength));
            var tensor = new DenseTensor<float>(buffer.AsMemory(0, n * sampleLength), [n, input.Channels, input.Height, input.Width]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input.Name, tensor)]);
            var output = results.FirstOrDefault(r => r.Name == manifest.Output.Name)
                ?? throw new EdgeFaceException($"{onnxPath}: no output named '{manifest.Output.Name}'");
            var values = output.AsTensor<float>().ToArray();
            if (values.Length != n * d) throw new EdgeFaceException($"{onnxPath}: output has {values.Length / n} values per image, the manifest says {d}");
            values.CopyTo(embeddings.AsSpan(start * d));
        }
        return (embeddings, data.Samples.Take(count).Select(s => s.Label).ToArray());
    }

    public static EmbeddingSeparation Evaluate(string onnxPath, string dataRoot, string? identities = null)
    {
        var manifest = LoadManifest(onnxPath);
        var data = FolderDataset.Open(dataRoot, IdentitySelection.Parse(identities));
        var (embeddings, labels) = Embed(onnxPath, manifest, data);
        return EmbeddingSeparation.Measure(embeddings, labels, manifest.Output!.Size);
    }
}
