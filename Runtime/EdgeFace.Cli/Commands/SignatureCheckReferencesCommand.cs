using System.Globalization;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Commands;

public sealed class SignatureCheckReferencesCommand : CliCommand
{
    public override string Path => "signature check-references";
    public override string Summary => "Check that a writer's reference signatures agree with each other (flags the odd one out)";
    public override string Usage => "IMAGE IMAGE IMAGE IMAGE... [--z-limit 3.5] " + SignatureModelOptions.Usage;
    public override IReadOnlyCollection<string> Flags => [SignatureModelOptions.BaselineFlag];

    public override int Run(CliArgs args, CliContext context)
    {
        var modelOptions = SignatureModelOptions.Read(args);
        var zLimit = args.GetDouble("z-limit", ReferenceConsistency.DefaultZLimit);
        args.EnsureAllUsed();
        var images = args.Positionals;
        if (images.Count < ReferenceConsistency.MinReferences)
            throw new EdgeFaceException($"the reference consistency check needs at least {ReferenceConsistency.MinReferences} references, got {images.Count}");
        if (!double.IsFinite(zLimit) || zLimit <= 0) throw new EdgeFaceException($"--z-limit must be a positive number, got {zLimit}");
        using var model = modelOptions.Open();
        List<float[]> embeddings;
        using (var cleaner = new SignatureCleaner())
        {
            var canvas = new float[SignatureCleaner.PixelCount];
            embeddings = images.Select(image => model.EmbedFile(cleaner, image, canvas)).ToList();
        }
        {
            var report = ReferenceConsistency.Check(embeddings, images.Select(System.IO.Path.GetFileName).ToList()!, zLimit);
            foreach (var r in report.References)
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Index + 1}  {images[r.Index]}  mean similarity {r.MeanSimilarity:0.0000}  z {r.RobustZ:0.00}{(r.Outlier ? "  OUTLIER" : "")}"));
            foreach (var m in report.Messages) context.Out.WriteLine(m);
            if (report.Consistent) context.Out.WriteLine($"the {images.Count} references are consistent");
            return report.Consistent ? 0 : 3;
        }
    }
}
