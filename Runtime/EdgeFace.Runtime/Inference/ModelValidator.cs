using EdgeFace.Runtime.Models;
using Microsoft.ML.OnnxRuntime;

namespace EdgeFace.Runtime.Inference;

/// <summary>Checks a loaded graph against its manifest: hash, input name and shape, output name and size.</summary>
internal static class ModelValidator
{
    public static void CheckHash(ModelEntry entry)
    {
        var manifest = entry.RequireManifest();
        var actual = FileHash.Sha256(entry.Path);
        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new EdgeFaceException($"{entry.FileName}: hash mismatch: manifest says {manifest.Sha256}, file is {actual}");
    }

    public static void CheckGraph(ModelEntry entry, InferenceSession session)
    {
        var m = entry.RequireManifest();
        var file = entry.FileName;
        if (!session.InputMetadata.TryGetValue(m.Input.Name, out var input))
            throw new EdgeFaceException($"{file}: manifest names input '{m.Input.Name}', model has {string.Join(", ", session.InputNames.Select(n => $"'{n}'"))}");
        var expected = new[] { 1, m.Input.Channels, m.Input.IsDynamic ? -1 : m.Input.Height, m.Input.IsDynamic ? -1 : m.Input.Width };
        var actual = input.Dimensions;
        var matches = actual.Length == 4 && Enumerable.Range(0, 4).All(i => actual[i] == expected[i] || (i == 0 && actual[i] <= 0)
            || (m.Input.IsDynamic && i >= 2 && actual[i] <= 0));
        if (!matches)
            throw new EdgeFaceException($"{file}: input '{m.Input.Name}' expected {Shape(expected)}, model has {Shape(actual)}");
        if (m.Output is { } output)
        {
            if (!session.OutputMetadata.TryGetValue(output.Name, out var o))
                throw new EdgeFaceException($"{file}: manifest names output '{output.Name}', model has {string.Join(", ", session.OutputNames.Select(n => $"'{n}'"))}");
            var size = o.Dimensions.Skip(1).Aggregate(1L, (a, d) => a * d);
            if (output.Size > 0 && size != output.Size)
                throw new EdgeFaceException($"{file}: output '{output.Name}' expected size {output.Size}, model has {Shape(o.Dimensions)}");
        }
    }

    private static string Shape(int[] dims) => "[" + string.Join(",", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
