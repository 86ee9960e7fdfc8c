using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// Verifies a questioned signature against a writer's enrolled references: score = mean cosine to the references,
/// accepted as genuine when score ≥ base + α·(m_w − μ) (the model's calibrated threshold adapted to how consistently
/// this writer signs). The decision goes to the audit trail and the output; like face verification, a completed
/// check exits 0 whatever the decision (exit 2 is reserved for bad input).
/// </summary>
public sealed class SignatureVerifyCommand : CliCommand
{
    public override string Path => "signature verify";
    public override string Summary => "Is a questioned signature genuine or forged, against the writer's enrolled references?";
    public override string Usage => $"--writer ID FILE [--threshold T] [--json] {GalleryOptions.Usage} {SignatureModelOptions.Usage}";
    public override IReadOnlyCollection<string> Flags => ["json", SignatureModelOptions.BaselineFlag];

    public override int Run(CliArgs args, CliContext context)
    {
        var writer = args.Require("writer").Trim();
        var file = args.Positional(0, "FILE");
        var overrideThreshold = args.GetDouble("threshold");
        var json = args.Flag("json");
        var gallery = GalleryOptions.Read(args);
        var modelOptions = SignatureModelOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);

        using var model = modelOptions.Open();
        var baseThreshold = overrideThreshold ?? model.Threshold
            ?? throw new EdgeFaceException($"model {model.Id} has no calibrated threshold; pass --threshold T or calibrate it with 'edgeface signature calibrate'");
        using var store = gallery.Open();
        var identity = GalleryOptions.Require(store, writer);
        var references = store.GetTemplates(identity.Id, TemplateKind.Signature).Where(t => !t.IsAggregate).ToList();
        if (references.Count == 0) throw new EdgeFaceException($"writer '{writer}' has no reference signatures enrolled in {store.Location}");
        if (references.Count < model.MinReferences)
            throw new EdgeFaceException($"writer '{writer}' has too few references ({references.Count}, at least {model.MinReferences} are needed); re-enrol with 'edgeface signature enroll --replace'");
        references[0].Model.RequireSame(new ModelBinding(model.Id, model.Sha256), $"writer '{writer}'");

        float[] query;
        using (var cleaner = new SignatureCleaner()) query = model.EmbedFile(cleaner, file, new float[SignatureCleaner.PixelCount]);
        var vectors = references.Select(r => r.Embedding).ToList();
        var score = SignatureModel.Score(query, vectors);
        var spread = SignatureModel.Spread(vectors);
        var threshold = SignatureModel.AdaptedThreshold(baseThreshold, model.Alpha, model.Mu, spread);
        var genuine = score >= threshold;
        store.AppendAudit(new AuditEntry(gallery.Actor, "verify-signature", genuine ? "genuine" : "forged", identity.Id,
            Math.Round(score, 6), Math.Round(threshold, 6), model.Id,
            Detail: string.Create(CultureInfo.InvariantCulture, $"{{\"references\":{references.Count},\"spread\":{spread:0.######},\"base_threshold\":{baseThreshold:0.######},\"alpha\":{model.Alpha}}}")));
        if (json)
            context.Out.WriteLine(new JsonObject
            {
                ["writer"] = writer,
                ["decision"] = genuine ? "genuine" : "forged",
                ["score"] = Math.Round(score, 6),
                ["threshold"] = Math.Round(threshold, 6),
                ["base_threshold"] = Math.Round(baseThreshold, 6),
                ["alpha"] = model.Alpha,
                ["mu"] = model.Mu,
                ["reference_spread"] = double.IsFinite(spread) ? Math.Round(spread, 6) : null,
                ["references"] = references.Count,
                ["model"] = model.Id,
            }.ToJsonString());
        else
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(genuine ? "genuine" : "forged")}: score {score:0.0000} {(genuine ? ">=" : "<")} threshold {threshold:0.0000} (base {baseThreshold:0.0000}, adapted to writer '{writer}''s {references.Count} references), model {model.Id}"));
        return 0;
    }
}
