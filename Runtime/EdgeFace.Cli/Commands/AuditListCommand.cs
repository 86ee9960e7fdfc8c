using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class AuditListCommand : CliCommand
{
    public override string Path => "audit list";
    public override string Summary => "Print the audit trail (newest last; subjects are identity ids)";
    public override string Usage => $"[--last N] [--json] {GalleryOptions.Usage}";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var last = args.GetInt("last", int.MaxValue);
        if (last < 1) throw new Runtime.EdgeFaceException($"--last must be at least 1, got {last}");
        var json = args.Flag("json");
        var options = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        using var store = options.Open();
        var records = store.ReadAudit();
        foreach (var r in records.Skip(Math.Max(0, records.Count - last)))
        {
            var e = r.Entry;
            if (json)
                context.Out.WriteLine(new JsonObject
                {
                    ["seq"] = r.Seq, ["utc"] = r.Utc.ToString("O"), ["actor"] = e.Actor, ["action"] = e.Action, ["outcome"] = e.Outcome,
                    ["subject"] = e.SubjectId, ["score"] = e.Score, ["threshold"] = e.Threshold, ["model"] = e.ModelId,
                    ["quality"] = e.Quality, ["detail"] = e.Detail,
                }.ToJsonString(FaceJson.Options));
            else
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Seq,6} {r.Utc:yyyy-MM-dd HH:mm:ss} {e.Actor} {e.Action} {e.Outcome}{(e.SubjectId is { } s ? $" subject #{s}" : "")}{(e.Score is { } sc ? $" score {sc:0.0000}" : "")}{(e.Threshold is { } t ? $" threshold {t:0.0000}" : "")}{(e.ModelId is null ? "" : $" model {e.ModelId}")}{(e.Detail is null ? "" : $" ({e.Detail})")}"));
        }
        return 0;
    }
}
