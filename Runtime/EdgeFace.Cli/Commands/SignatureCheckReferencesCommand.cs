using System.Globalization;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Commands;

public sealed class SignatureCheckReferencesCommand : CliCommand
{
    public override string Path => "signature check-references";
    public override string Summary => "Check that a writer's reference signatures agree with each other (flags the odd one out)";
    public override string Usage => "IMAGE IMAGE IMAGE IMAGE... [--model MANIFEST] [--z-limit 3.5]";

    public override int Run(CliArgs args, CliContext context)
    {
        var model = args.Get("model");
        var zLimit = args.GetDouble("z-limit", ReferenceConsistency.DefaultZLimit);
        args.EnsureAllUsed();
        var images = args.Positionals;
        if (images.Count < ReferenceConsistency.MinReferences)
            throw new EdgeFaceException($"the reference consistency check needs at least {ReferenceConsistency.MinReferences} references, got {images.Count}");
        if (!double.IsFinite(zLimit) || zLimit <= 0) throw new EdgeFaceException($"--z-limit must be a positive number, got {zLimit}");
        var embedder = SignatureEmbedders.Open(model);
        try
        {
            using var cleaner = new SignatureCleaner();
            var canvas = new float[SignatureCleaner.PixelCount];
            var embeddings = new List<float[]>();
            foreach (var image in images)
            {
                cleaner.CleanFile(image, canvas);
                var e = new float[embedder.Dimension];
                embedder.Embed(canvas, e);
                embeddings.Add(e);
            }
            var report = ReferenceConsistency.Check(embeddings, images.Select(System.IO.Path.GetFileName).ToList()!, zLimit);
            foreach (var r in report.References)
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Index + 1}  {images[r.Index]}  mean similarity {r.MeanSimilarity:0.0000}  z {r.RobustZ:0.00}{(r.Outlier ? "  OUTLIER" : "")}"));
            foreach (var m in report.Messages) context.Out.WriteLine(m);
            if (report.Consistent) context.Out.WriteLine($"the {images.Count} references are consistent");
            return report.Consistent ? 0 : 3;
        }
        finally
        {
            (embedder as IDisposable)?.Dispose();
        }
    }
}
