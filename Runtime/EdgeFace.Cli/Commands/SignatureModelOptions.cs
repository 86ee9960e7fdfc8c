using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// How signature commands pick their model: <c>--model ID|FILE|MANIFEST</c>, <c>--models DIR</c> (repeatable, searched
/// before EDGEFACE_MODELS and ./models), or <c>--baseline</c> for the training-free gradient-histogram embedder.
/// Default: the signature-embedder model on the search path (the shipped signature-signet-v2).
/// </summary>
internal sealed record SignatureModelOptions(string? Model, IReadOnlyList<string> Folders, bool Baseline)
{
    public const string Usage = "[--model ID|MANIFEST] [--models DIR] [--baseline]";
    public const string BaselineFlag = "baseline";

    public static SignatureModelOptions Read(CliArgs args) => new(args.Get("model"), args.GetAll("models"), args.Flag(BaselineFlag));

    /// <summary>Opens the model; the caller owns and disposes it.</summary>
    public SignatureModel Open() => SignatureModel.Open(Model, Folders, Baseline);
}
