using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryShowCommand : CliCommand
{
    public override string Path => "gallery show";
    public override string Summary => "Show one identity: metadata, every template's model and sample quality";
    public override string Usage => $"NAME [--json] {GalleryOptions.Usage}";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var name = args.Positional(0, "NAME");
        var json = args.Flag("json");
        var options = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);
        using var store = options.Open();
        var identity = GalleryOptions.Require(store, name);
        var templates = Enum.GetValues<TemplateKind>().SelectMany(k => store.GetTemplates(identity.Id, k)).ToList();
        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["id"] = identity.Id,
                ["name"] = identity.DisplayName,
                ["metadata"] = identity.MetadataJson is null ? null : JsonNode.Parse(identity.MetadataJson),
                ["created_utc"] = identity.CreatedUtc.ToString("O"),
                ["updated_utc"] = identity.UpdatedUtc.ToString("O"),
                ["templates"] = new JsonArray(templates.Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t.Id,
                    ["kind"] = t.Kind.ToText(),
                    ["aggregate"] = t.IsAggregate,
                    ["source"] = t.Source,
                    ["model"] = t.Model.Id,
                    ["model_sha256"] = t.Model.Sha256,
                    ["dimension"] = t.Embedding.Length,
                    ["created_utc"] = t.CreatedUtc.ToString("O"),
                    ["has_image"] = t.HasImage,
                    ["quality"] = t.IsAggregate ? null : new JsonObject
                    {
                        ["face_count"] = t.Quality.FaceCount, ["face_size_px"] = t.Quality.FaceSizePx, ["sharpness"] = Math.Round(t.Quality.Sharpness, 1),
                        ["brightness"] = Math.Round(t.Quality.Brightness, 1), ["detector_score"] = Math.Round(t.Quality.DetectorScore, 4),
                    },
                }).ToArray()),
            }.ToJsonString(FaceJson.Options));
            return 0;
        }
        context.Out.WriteLine($"{identity.DisplayName} (id {identity.Id}), enrolled {identity.CreatedUtc:yyyy-MM-dd HH:mm} UTC, updated {identity.UpdatedUtc:yyyy-MM-dd HH:mm} UTC");
        if (identity.MetadataJson is not null) context.Out.WriteLine($"  metadata: {identity.MetadataJson}");
        foreach (var t in templates)
        {
            var what = t.IsAggregate ? "aggregate" : string.Create(CultureInfo.InvariantCulture,
                $"face {t.Quality.FaceSizePx:0} px, sharpness {t.Quality.Sharpness:0}, brightness {t.Quality.Brightness:0}, score {t.Quality.DetectorScore:0.00}");
            context.Out.WriteLine($"  {t.Kind.ToText(),-9} {t.Source,-28} {what}; model {t.Model}{(t.HasImage ? "; image stored" : "")}");
        }
        return 0;
    }
}
