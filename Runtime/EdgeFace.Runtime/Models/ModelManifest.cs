using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeFace.Runtime.Models;

/// <summary>What a model is for. Decides which runtime component may load it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelTask>))]
public enum ModelTask
{
    [JsonStringEnumMemberName("face-detector")] FaceDetector,
    [JsonStringEnumMemberName("face-embedder")] FaceEmbedder,
    [JsonStringEnumMemberName("signature-embedder")] SignatureEmbedder,
    [JsonStringEnumMemberName("liveness")] Liveness,
    [JsonStringEnumMemberName("landmarks")] Landmarks,
}

/// <summary>How a similarity or distance between two embeddings is computed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Metric>))]
public enum Metric
{
    /// <summary>Cosine similarity: higher means more alike.</summary>
    [JsonStringEnumMemberName("cosine")] Cosine,
    /// <summary>Euclidean distance of the L2-normalised embeddings: lower means more alike.</summary>
    [JsonStringEnumMemberName("euclidean")] Euclidean,
    /// <summary>Manhattan (L1) distance of the L2-normalised embeddings: lower means more alike.</summary>
    [JsonStringEnumMemberName("manhattan")] Manhattan,
}

/// <summary>How an image is fitted to a fixed network input.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResizeMode>))]
public enum ResizeMode
{
    /// <summary>Scale to fit keeping the aspect ratio, pad the rest (see <see cref="ModelInput.PadCentered"/>).</summary>
    [JsonStringEnumMemberName("letterbox")] Letterbox,
    /// <summary>Scale both axes independently to the input size.</summary>
    [JsonStringEnumMemberName("stretch")] Stretch,
    /// <summary>No scaling: the input is the image padded bottom/right to <see cref="ModelInput.SizeMultiple"/> (dynamic-size models).</summary>
    [JsonStringEnumMemberName("pad")] Pad,
    /// <summary>The caller hands over an already prepared crop of exactly the input size (aligned faces, signature canvases).</summary>
    [JsonStringEnumMemberName("none")] None,
}

/// <summary>
/// The network input: tensor name, geometry and the per-pixel normalisation
/// <c>value = (pixel * Scale - Mean[c]) / Std[c]</c>, applied after reordering channels to <see cref="ColorOrder"/>.
/// </summary>
public sealed record ModelInput
{
    public required string Name { get; init; }
    /// <summary>Always NCHW for now; kept explicit so a manifest says it.</summary>
    public string Layout { get; init; } = "NCHW";
    public int Channels { get; init; } = 3;
    /// <summary>Fixed input width, or 0 for a dynamic-size model.</summary>
    public int Width { get; init; }
    /// <summary>Fixed input height, or 0 for a dynamic-size model.</summary>
    public int Height { get; init; }
    /// <summary>"BGR", "RGB" or "GRAY".</summary>
    public string ColorOrder { get; init; } = "RGB";
    public float Scale { get; init; } = 1f;
    public float[] Mean { get; init; } = [0f, 0f, 0f];
    public float[] Std { get; init; } = [1f, 1f, 1f];
    public ResizeMode Resize { get; init; } = ResizeMode.None;
    /// <summary>Letterbox only: centre the image in the padding (true) or pad bottom/right (false).</summary>
    public bool PadCentered { get; init; }
    /// <summary>Dynamic-size models: height and width must be multiples of this.</summary>
    public int SizeMultiple { get; init; } = 1;

    [JsonIgnore] public bool IsDynamic => Width <= 0 || Height <= 0;
}

/// <summary>The network output that callers read. Detectors name several outputs and leave this null.</summary>
public sealed record ModelOutput
{
    public required string Name { get; init; }
    /// <summary>Embedding length for embedders; class count for classifiers.</summary>
    public int Size { get; init; }
    /// <summary>True when the network already L2-normalises its output.</summary>
    public bool Normalized { get; init; }
}

/// <summary>A decision threshold and the evidence behind it.</summary>
public sealed record CalibratedThreshold
{
    /// <summary>Score on the manifest's metric. For cosine, accept when score &gt;= Value; for distances, when score &lt;= Value.</summary>
    public required double Value { get; init; }
    /// <summary>The false-accept rate this threshold was chosen for, if it was chosen that way.</summary>
    public double? Far { get; init; }
    /// <summary>The false-reject rate measured at this threshold on <see cref="Data"/>.</summary>
    public double? Frr { get; init; }
    /// <summary>Which data the threshold was set on, in words (e.g. "sigcomp2011 writers 041-048, 188 signatures").</summary>
    public required string Data { get; init; }
    public string? Note { get; init; }
    public DateTimeOffset? CalibratedAt { get; init; }
}

/// <summary>
/// Describes a model file completely: what it does, how to feed it, how to read it, how to decide with it,
/// and where it came from. Built-in model cards cover the well-known public models; every other model
/// ships a <c>NAME.manifest.json</c> beside <c>NAME.onnx</c>.
/// </summary>
public sealed record ModelManifest
{
    public const int CurrentSchema = 1;
    public const string FileSuffix = ".manifest.json";

    public int Schema { get; init; } = CurrentSchema;
    /// <summary>Stable identifier, e.g. "mobilefacenet-128". Templates in a gallery are bound to it (with the sha256).</summary>
    public required string Id { get; init; }
    public required ModelTask Task { get; init; }
    /// <summary>Decoder or architecture family: "yunet", "scrfd", "ultraface", "arcface", "signet", "minifasnet", "pfld".</summary>
    public required string Family { get; init; }
    /// <summary>The ONNX file name, relative to the manifest's folder.</summary>
    public string? File { get; init; }
    /// <summary>Lower-case hex SHA-256 of the ONNX file. Loading refuses a file whose hash differs.</summary>
    public required string Sha256 { get; init; }
    public required ModelInput Input { get; init; }
    public ModelOutput? Output { get; init; }
    public Metric Metric { get; init; } = Metric.Cosine;
    /// <summary>Named thresholds; "default" is the one decisions use unless told otherwise.</summary>
    public Dictionary<string, CalibratedThreshold> Thresholds { get; init; } = new();
    public required string License { get; init; }
    public required string Source { get; init; }
    /// <summary>Family-specific numbers (e.g. "crop_scale" for MiniFASNet, "nms_iou" for detectors).</summary>
    public Dictionary<string, double> Parameters { get; init; } = new();
    /// <summary>Free text: training data, the command that reproduces the model, caveats.</summary>
    public string? Notes { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses a manifest, throwing <see cref="EdgeFaceException"/> naming <paramref name="origin"/> on malformed JSON.</summary>
    public static ModelManifest FromJson(string json, string origin)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions)
                ?? throw new EdgeFaceException($"{origin}: manifest is empty");
            if (manifest.Schema > CurrentSchema)
                throw new EdgeFaceException($"{origin}: manifest schema {manifest.Schema} is newer than this runtime supports ({CurrentSchema})");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new EdgeFaceException($"{origin}: not a valid model manifest ({e.Message.Split('.')[0]})", e);
        }
    }

    public static ModelManifest Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new EdgeFaceException($"manifest not found: {path}");
        return FromJson(System.IO.File.ReadAllText(path), path);
    }

    /// <summary>Writes atomically (temp file, then rename) so a crash never leaves a half-written manifest.</summary>
    public void Save(string path)
    {
        var tmp = path + ".tmp";
        System.IO.File.WriteAllText(tmp, ToJson());
        System.IO.File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The "default" threshold, or throws saying the model has not been calibrated.</summary>
    [JsonIgnore]
    public CalibratedThreshold DefaultThreshold => Thresholds.TryGetValue("default", out var t) ? t
        : throw new EdgeFaceException($"model '{Id}' has no calibrated 'default' threshold; run 'edgeface calibrate' or pass --threshold");

    /// <summary>True when <paramref name="score"/> on this manifest's metric means "same".</summary>
    public bool Accepts(double score, double threshold) => Metric == Metric.Cosine ? score >= threshold : score <= threshold;
}
