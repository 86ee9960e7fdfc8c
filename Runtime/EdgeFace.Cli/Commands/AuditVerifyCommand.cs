using System.Text.Json.Nodes;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class AuditVerifyCommand : CliCommand
{
    public override string Path => "audit verify";
    public override string Summary => "Check the audit trail's hash chain and signed head; names the first bad record (exit 3 if tampered)";
    public override string Usage => $"[--json] {GalleryOptions.Usage}";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public const int TamperedExitCode = 3;

    public override int Run(CliArgs args, CliContext context)
    {
        var json = args.Flag("json");
        var options = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        using var store = options.Open();
        var result = store.VerifyAudit();
        if (json)
            context.Out.WriteLine(new JsonObject { ["ok"] = result.Ok, ["records"] = result.Count, ["first_bad_record"] = result.FirstBadSeq, ["message"] = result.Message }.ToJsonString(FaceJson.Options));
        else
            context.Out.WriteLine(result.Ok ? result.Message : $"TAMPERED: {result.Message}");
        return result.Ok ? 0 : TamperedExitCode;
    }
}
