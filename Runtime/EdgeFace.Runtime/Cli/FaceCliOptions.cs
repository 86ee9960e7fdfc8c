using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Runtime.Cli;

/// <summary>
/// The options every face command shares, read in one place: <c>--models DIR</c> (repeatable), <c>--device D</c>,
/// <c>--detector ID</c>, <c>--embedder ID</c>, <c>--score-threshold X</c>, <c>--threads N</c> and (where the command
/// lists it among its flags) <c>--flip</c>.
/// </summary>
public sealed record FaceCliOptions
{
    /// <summary>Flags a command using these options must declare (in addition to its own).</summary>
    public static IReadOnlyCollection<string> FlagNames { get; } = ["flip"];

    public required IReadOnlyList<string> ModelFolders { get; init; }
    public required DeviceRequest Device { get; init; }
    public string? DetectorId { get; init; }
    public string? EmbedderId { get; init; }
    public float? ScoreThreshold { get; init; }
    public bool Flip { get; init; }
    public int Threads { get; init; }

    public static FaceCliOptions Read(CliArgs args)
    {
        var score = args.GetDouble("score-threshold");
        if (score is < 0 or > 1) throw new EdgeFaceException($"--score-threshold must be between 0 and 1, got {score}");
        var threads = args.GetInt("threads", 0);
        if (threads < 0) throw new EdgeFaceException($"--threads must be 0 (automatic) or more, got {threads}");
        return new FaceCliOptions
        {
            ModelFolders = args.GetAll("models"),
            Device = DeviceRequest.Parse(args.Get("device")),
            DetectorId = args.Get("detector"),
            EmbedderId = args.Get("embedder"),
            ScoreThreshold = (float?)score,
            Flip = args.Flag("flip"),
            Threads = threads,
        };
    }

    public ModelCatalog Catalog() => ModelCatalog.Scan(ModelFolders);

    /// <summary>Builds the pipeline; device fallback notices go to the command's stderr.</summary>
    public FacePipeline CreatePipeline(CliContext context, ModelCatalog? catalog = null) => FacePipeline.Create(new FacePipelineOptions
    {
        Catalog = catalog ?? Catalog(),
        Device = Device,
        DetectorId = DetectorId,
        EmbedderId = EmbedderId,
        Detection = new FaceDetectorOptions { ScoreThreshold = ScoreThreshold },
        Flip = Flip,
        Threads = Threads,
        Log = message => context.Error.WriteLine($"note: {message}"),
    });
}
