using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryListCommand : CliCommand
{
    public override string Path => "gallery list";
    public override string Summary => "List enrolled identities with their template counts and models";
    public override string Usage => $"[--json] {GalleryOptions.Usage}";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var json = args.Flag("json");
        var options = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        using var store = options.Open();
        var summaries = store.Summarise().ToLookup(s => s.IdentityId);
        var identities = store.ListIdentities();
        if (json)
        {
            var list = new JsonArray();
            foreach (var i in identities)
                list.Add(new JsonObject
                {
                    ["id"] = i.Id,
                    ["name"] = i.DisplayName,
                    ["created_utc"] = i.CreatedUtc.ToString("O"),
                    ["templates"] = new JsonArray(summaries[i.Id].Select(s => (JsonNode)new JsonObject
                    {
                        ["kind"] = s.Kind.ToText(), ["samples"] = s.Samples, ["model"] = s.Model.Id, ["model_sha256"] = s.Model.Sha256, ["dimension"] = s.Dimension,
                    }).ToArray()),
                });
            context.Out.WriteLine(new JsonObject { ["gallery"] = store.Location, ["identities"] = list }.ToJsonString(FaceJson.Options));
            return 0;
        }
        foreach (var i in identities)
        {
            var kinds = string.Join(", ", summaries[i.Id].Select(s => $"{s.Samples} {s.Kind.ToText()} ({s.Model.Id})"));
            context.Out.WriteLine($"{i.Id,6}  {i.DisplayName}  [{(kinds.Length == 0 ? "no templates" : kinds)}]");
        }
        context.Out.WriteLine($"{identities.Count} identities in {store.Location}");
        return 0;
    }
}
