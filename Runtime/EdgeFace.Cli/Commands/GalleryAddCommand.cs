using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Policy;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryAddCommand : CliCommand
{
    public override string Path => "gallery add";
    public override string Summary => "Enrol a person from several face images (quality-checked, duplicate-checked)";
    public override string Usage =>
        $"NAME IMAGES... [--store-images] [--on-duplicate warn|refuse] [--append|--replace] [--metadata JSON] [--threshold X] [--json] {GalleryOptions.Usage} [--models DIR] [--device D] [--embedder ID]";
    public override IReadOnlyCollection<string> Flags => ["store-images", "append", "replace", "json", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var name = args.Positional(0, "NAME");
        var images = args.Positionals.Skip(1).ToList();
        if (images.Count == 0) throw new EdgeFaceException("missing IMAGES (one or more face photos of the person)");
        var onDuplicate = args.Get("on-duplicate") switch
        {
            null or "warn" => DuplicatePolicy.Warn,
            "refuse" => DuplicatePolicy.Refuse,
            var other => throw new EdgeFaceException($"--on-duplicate must be warn or refuse, got '{other}'"),
        };
        var storeImages = args.Flag("store-images");
        var append = args.Flag("append");
        var replace = args.Flag("replace");
        if (append && replace) throw new EdgeFaceException("--append and --replace exclude each other");
        var metadata = args.Get("metadata");
        var threshold = args.GetDouble("threshold");
        var json = args.Flag("json");
        var gallery = GalleryOptions.Read(args);
        var face = FaceCliOptions.Read(args);
        args.EnsureAllUsed();

        using var pipeline = face.CreatePipeline(context);
        var options = new EnrollmentOptions
        {
            DuplicateThreshold = FaceSamples.CosineThreshold(pipeline.Embedder.Manifest, threshold),
            OnDuplicate = onDuplicate,
            StoreImages = storeImages,
            Actor = gallery.Actor,
            AddToExisting = append,
            ReplaceExisting = replace,
        };
        // Every image gets a verdict, in the order given: unreadable files here, quality by the enrolment policy.
        var samples = new List<BiometricSample>();
        var verdicts = new List<SampleVerdict>();
        foreach (var image in images)
        {
            try
            {
                var sample = FaceSamples.FromFile(pipeline, image, storeImages);
                samples.Add(sample);
                var reason = options.Quality.Reject(sample.Quality);
                verdicts.Add(new SampleVerdict(sample.Source, reason is null, reason));
            }
            catch (EdgeFaceException e)
            {
                // The loader's message already starts with the path; keep just the problem.
                var reason = e.Message.StartsWith(image + ": ", StringComparison.Ordinal) ? e.Message[(image.Length + 2)..] : e.Message;
                verdicts.Add(new SampleVerdict(System.IO.Path.GetFileName(image), false, reason));
            }
        }
        if (!verdicts.Any(v => v.Accepted))
            throw new EdgeFaceException($"no usable sample for '{name.Trim()}': " + string.Join("; ", verdicts.Select(v => $"{v.Source}: {v.Reason}")));

        using var store = gallery.Open(create: true);
        var result = new Enroller(store, options).Enroll(name, samples, metadata);
        var accepted = result.Verdicts.Count(v => v.Accepted);
        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["id"] = result.Identity.Id,
                ["name"] = result.Identity.DisplayName,
                ["created"] = result.Created,
                ["accepted"] = accepted,
                ["samples"] = new JsonArray(verdicts.Select(v => (JsonNode)new JsonObject { ["source"] = v.Source, ["accepted"] = v.Accepted, ["reason"] = v.Reason }).ToArray()),
                ["duplicate"] = result.Duplicate is not { } d ? null : new JsonObject { ["id"] = d.IdentityId, ["name"] = d.DisplayName, ["score"] = Math.Round(d.Score, 4), ["threshold"] = d.Threshold },
                ["model"] = pipeline.Embedder.Manifest.Id,
            }.ToJsonString(FaceJson.Options));
        }
        else
        {
            foreach (var v in verdicts.Where(v => !v.Accepted)) context.Out.WriteLine($"{v.Source}: rejected: {v.Reason}");
            context.Out.WriteLine($"{(result.Created ? "enrolled" : replace ? "re-enrolled" : "updated")} '{result.Identity.DisplayName}' (id {result.Identity.Id}) from {accepted} of {images.Count} images, model {pipeline.Embedder.Manifest.Id}");
        }
        if (result.Duplicate is { } dup)
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: '{result.Identity.DisplayName}' looks like the already enrolled '{dup.DisplayName}' (id {dup.IdentityId}, score {dup.Score:0.000} >= {dup.Threshold:0.000})"));
        return 0;
    }
}
