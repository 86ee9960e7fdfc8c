using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// The signature embedder a command runs with and the decision settings that belong to it: the base threshold
/// (manifest threshold "default"), α and μ of the per-writer adaptation (manifest parameters <c>alpha</c>, <c>mu</c>)
/// and the model binding enrolled templates are tied to. By default it is the signature-embedder model found on the
/// runtime's model search path (<c>--models</c>, EDGEFACE_MODELS, ./models), i.e. the shipped
/// <c>signature-signet-v2</c>; the training-free baseline only when asked for. Owns the embedder: dispose it.
/// </summary>
public sealed class SignatureModel : IDisposable
{
    public const string AlphaParameter = "alpha";
    public const string MuParameter = "mu";
    public const string MinReferencesParameter = "min_references";
    /// <summary>Fewest references an enrolment accepts unless the manifest says otherwise: with fewer, the spread m_w is too noisy to adapt on.</summary>
    public const int DefaultMinReferences = 3;

    private SignatureModel(ISignatureEmbedder embedder, ModelManifest? manifest, string sha256)
    {
        Embedder = embedder;
        Manifest = manifest;
        Sha256 = sha256;
    }

    public ISignatureEmbedder Embedder { get; }

    /// <summary>The ONNX model's manifest; null for the baseline.</summary>
    public ModelManifest? Manifest { get; }

    public string Id => Embedder.Id;

    /// <summary>SHA-256 of the ONNX file (for the baseline, of its id and version), for template binding.</summary>
    public string Sha256 { get; }

    /// <summary>Base decision threshold on the adapted mean cosine; null when the model carries none (the baseline).</summary>
    public double? Threshold => Manifest?.Thresholds.TryGetValue("default", out var t) == true ? t.Value : null;

    public double Alpha => Parameter(AlphaParameter) ?? new SignatureProtocolOptions().Adaptation;

    /// <summary>Population mean of the reference spread; null when uncalibrated.</summary>
    public double? Mu => Parameter(MuParameter);

    public int MinReferences => Parameter(MinReferencesParameter) is { } m ? (int)m : DefaultMinReferences;

    private double? Parameter(string name) => Manifest?.Parameters.TryGetValue(name, out var v) == true ? v : null;

    /// <summary>
    /// Opens the model: <paramref name="baseline"/> → the gradient-histogram baseline; <paramref name="model"/> = a
    /// manifest path, an .onnx path, a manifest id or file name on the search path; else the search path's default
    /// signature embedder.
    /// </summary>
    public static SignatureModel Open(string? model, IEnumerable<string>? modelFolders = null, bool baseline = false)
    {
        if (baseline)
        {
            if (model is not null) throw new EdgeFaceException("--baseline and --model exclude each other");
            var b = new GradientHistogramSignatureEmbedder();
            return new SignatureModel(b, null, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(b.Id))));
        }
        string manifestPath;
        if (model is not null && model.EndsWith(ModelManifest.FileSuffix, StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(model)) throw new EdgeFaceException($"model manifest not found: {model}");
            manifestPath = model;
        }
        else manifestPath = ModelCatalog.Scan(modelFolders).Resolve(ModelTask.SignatureEmbedder, model).ManifestPath;
        var embedder = OnnxSignatureEmbedder.Load(manifestPath);
        return new SignatureModel(embedder, embedder.Manifest, embedder.Manifest.Sha256);
    }

    /// <summary>Cleans and embeds one image file into a new L2-normalised vector.</summary>
    public float[] EmbedFile(SignatureCleaner cleaner, string path, float[] canvas)
    {
        cleaner.CleanFile(path, canvas);
        var e = new float[Embedder.Dimension];
        Embedder.Embed(canvas, e);
        return e;
    }

    /// <summary>The writer-adapted threshold base + α·(m_w − μ); m_w undefined (one reference) or μ unknown → base.</summary>
    public static double AdaptedThreshold(double baseThreshold, double alpha, double? mu, double spread) =>
        mu is { } m && double.IsFinite(spread) ? baseThreshold + alpha * (spread - m) : baseThreshold;

    /// <summary>Mean pairwise cosine among L2-normalised references (m_w); NaN with fewer than two.</summary>
    public static double Spread(IReadOnlyList<float[]> references)
    {
        if (references.Count < 2) return double.NaN;
        double sum = 0;
        var pairs = 0;
        for (var i = 0; i < references.Count; i++)
            for (var j = i + 1; j < references.Count; j++, pairs++) sum += SignatureVectors.Cosine(references[i], references[j]);
        return sum / pairs;
    }

    /// <summary>Mean cosine of <paramref name="query"/> over the references (the protocol's default aggregation).</summary>
    public static double Score(float[] query, IReadOnlyList<float[]> references)
    {
        double sum = 0;
        foreach (var r in references) sum += SignatureVectors.Cosine(query, r);
        return sum / references.Count;
    }

    public string Describe() => Manifest is null ? $"{Id} (training-free baseline)"
        : string.Create(CultureInfo.InvariantCulture, $"{Id} ({Manifest.File})");

    public void Dispose() => (Embedder as IDisposable)?.Dispose();
}
