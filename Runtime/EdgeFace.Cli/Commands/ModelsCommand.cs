using System.Text.Json.Nodes;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Models;

namespace EdgeFace.Cli.Commands;

public sealed class ModelsCommand : CliCommand
{
    public override string Path => "models";
    public override string Summary => "List the models on the search path: id, task, how identified, licence, defaults";
    public override string Usage => "[--models DIR] [--json]";
    public override IReadOnlyCollection<string> Flags => ["json"];

    public override int Run(CliArgs args, CliContext context)
    {
        var folders = args.GetAll("models");
        var json = args.Flag("json");
        args.EnsureAllUsed(maxPositionals: 0);
        var catalog = ModelCatalog.Scan(folders);
        var defaults = new HashSet<string>();
        foreach (var task in new[] { ModelTask.FaceDetector, ModelTask.FaceEmbedder })
        {
            try { defaults.Add(catalog.Resolve(task).Path); }
            catch (Runtime.EdgeFaceException) { } // no model for this task: nothing to mark
        }
        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["search_path"] = new JsonArray(catalog.Folders.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
                ["models"] = new JsonArray(catalog.Models.Select(m => (JsonNode)new JsonObject
                {
                    ["file"] = m.Path,
                    ["id"] = m.Manifest?.Id,
                    ["task"] = m.Manifest is null ? null : JsonValue.Create(m.Manifest.Task.ToString()),
                    ["origin"] = m.Origin == ModelOrigin.Manifest ? "manifest" : "built-in card",
                    ["default"] = defaults.Contains(m.Path),
                    ["license"] = m.Manifest?.License,
                    ["problem"] = m.Problem,
                }).ToArray()),
            }.ToJsonString(FaceJson.Options));
            return 0;
        }
        context.Out.WriteLine($"search path: {string.Join(System.IO.Path.PathSeparator, catalog.Folders)}");
        if (catalog.Models.Count == 0) context.Out.WriteLine("no .onnx files found");
        foreach (var m in catalog.Models)
            context.Out.WriteLine(m.Manifest is { } man
                ? $"{(defaults.Contains(m.Path) ? "*" : " ")} {man.Id,-22} {man.Task,-14} {(m.Origin == ModelOrigin.Manifest ? "manifest" : "card"),-9} {m.Path}  [{man.License}]"
                : $"  {"?",-22} {"",-14} {"",-9} {m.Path}  ({m.Problem})");
        context.Out.WriteLine("(* = default for its task)");
        return 0;
    }
}
