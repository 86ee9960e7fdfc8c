using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryStatusCommand : CliCommand
{
    public override string Path => "gallery status";
    public override string Summary => "Health of the gallery: integrity, audit chain, and identities enrolled with a model other than the current one (exit 3 if damaged)";
    public override string Usage => $"[--json] {GalleryOptions.Usage} [--models DIR] [--embedder ID]";
    public override IReadOnlyCollection<string> Flags => ["json", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var json = args.Flag("json");
        var gallery = GalleryOptions.Read(args);
        var face = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);

        using var store = gallery.Open();
        var integrity = store.IntegrityCheck();
        var healthy = integrity is ["ok"];
        var audit = store.VerifyAudit();
        var identities = store.ListIdentities().ToDictionary(i => i.Id);
        var summaries = store.Summarise();
        ModelBinding? current = null;
        string? currentProblem = null;
        try
        {
            var manifest = face.Catalog().Resolve(ModelTask.FaceEmbedder, face.EmbedderId).RequireManifest();
            current = FaceSamples.Binding(manifest);
        }
        catch (EdgeFaceException e) { currentProblem = e.Message; }
        var stale = current is null ? [] : summaries.Where(s => s.Kind == TemplateKind.Face && !s.Model.SameModel(current)).ToList();

        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["gallery"] = store.Location,
                ["schema"] = store.SchemaVersion,
                ["identities"] = identities.Count,
                ["face_identities"] = summaries.Count(s => s.Kind == TemplateKind.Face),
                ["signature_identities"] = summaries.Count(s => s.Kind == TemplateKind.Signature),
                ["integrity"] = new JsonArray(integrity.Select(l => (JsonNode)l).ToArray()),
                ["audit"] = new JsonObject { ["ok"] = audit.Ok, ["records"] = audit.Count, ["first_bad_record"] = audit.FirstBadSeq, ["message"] = audit.Message },
                ["current_model"] = current is null ? null : new JsonObject { ["id"] = current.Id, ["sha256"] = current.Sha256 },
                ["current_model_problem"] = currentProblem,
                ["needs_reenrolment"] = new JsonArray(stale.Select(s => (JsonNode)new JsonObject
                {
                    ["id"] = s.IdentityId, ["name"] = identities[s.IdentityId].DisplayName, ["model"] = s.Model.Id, ["model_sha256"] = s.Model.Sha256, ["samples"] = s.Samples,
                }).ToArray()),
            }.ToJsonString(FaceJson.Options));
        }
        else
        {
            var o = context.Out;
            o.WriteLine($"gallery {store.Location}: schema {store.SchemaVersion}, {identities.Count} identities ({summaries.Count(s => s.Kind == TemplateKind.Face)} with faces, {summaries.Count(s => s.Kind == TemplateKind.Signature)} with signatures)");
            o.WriteLine(healthy ? "integrity: ok" : $"integrity: DAMAGED: {string.Join("; ", integrity.Take(5))}");
            o.WriteLine(audit.Ok ? $"audit: {audit.Message}" : $"audit: TAMPERED: {audit.Message}");
            o.WriteLine(current is null ? $"current face model: unknown ({currentProblem})" : $"current face model: {current}");
            if (current is not null && stale.Count == 0) o.WriteLine("all face templates are for the current model");
            foreach (var s in stale)
                o.WriteLine($"needs re-enrolment: '{identities[s.IdentityId].DisplayName}' has {s.Samples} face samples from model {s.Model}; run: edgeface gallery add \"{identities[s.IdentityId].DisplayName}\" IMAGES... --replace");
        }
        return healthy && audit.Ok ? 0 : AuditVerifyCommand.TamperedExitCode;
    }
}
