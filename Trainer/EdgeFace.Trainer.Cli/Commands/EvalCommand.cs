using System.Text.Json;
using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Evaluation;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary><c>edgeface-train eval</c>: how well an exported model separates identities of a folder dataset.</summary>
public sealed class EvalCommand : CliCommand
{
    public override string Path => "eval";
    public override string Summary => "embed a folder-per-identity dataset with an exported model: genuine/impostor cosine means, AUC, EER";
    public override string Usage => "--model FILE.onnx --data DIR [--identities SPEC] [--json]";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var model = args.Require("model");
        var data = args.Require("data");
        var identities = args.Get("identities");
        var json = args.Flag("json");
        args.EnsureAllUsed(0);
        var s = ModelEvaluator.Evaluate(model, data, identities);
        context.Out.WriteLine(json
            ? JsonSerializer.Serialize(new
            {
                images = s.Images, identities = s.Identities, genuine_mean = s.GenuineMean, impostor_mean = s.ImpostorMean,
                gap = s.Gap, auc = s.Auc, eer = s.Eer, eer_threshold = s.EerThreshold,
                genuine_pairs = s.Roc.GenuineCount, impostor_pairs = s.Roc.ImpostorCount,
            })
            : s.ToString());
        return 0;
    }
}
