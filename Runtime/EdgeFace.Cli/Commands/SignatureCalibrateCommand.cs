using System.Globalization;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Models;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// Calibrates a signature model's decision settings on held-out writers and writes them into its manifest: α (the
/// best of the candidates by skilled-forgery EER averaged over several reference draws), μ (population mean of the
/// reference spread) and the base threshold at the skilled-forgery equal-error point (see
/// <see cref="SignatureCalibration"/>), with provenance (data, writers, R, draws, FAR/FRR). The ONNX file is untouched.
/// </summary>
public sealed class SignatureCalibrateCommand : CliCommand
{
    public override string Path => "signature calibrate";
    public override string Summary => "Calibrate a signature model's threshold, α and μ on held-out SigComp2011 writers; writes its manifest";
    public override string Usage => "--model MANIFEST [--writers 041-048] [--refs 5] [--alpha 0,0.5,1,1.5] [--seed 1] [--draws 5] [--root DIR]";

    public override int Run(CliArgs args, CliContext context)
    {
        var manifestPath = args.Require("model");
        var selection = WriterSelection.Parse(args.Get("writers") ?? "041-048");
        var refs = SignatureEvaluation.ParseRefs(args.Get("refs") ?? "5");
        if (refs.Count != 1) throw new EdgeFaceException($"--refs takes one reference count for calibration, got '{args.Get("refs")}'");
        var alphas = (args.Get("alpha") ?? "0,0.5,1,1.5").Split(',', StringSplitOptions.TrimEntries)
            .Select(a => double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 10 ? v
                : throw new EdgeFaceException($"--alpha must list numbers between 0 and 10, got '{a}'")).ToList();
        var seed = args.GetInt("seed", 1);
        var draws = args.GetInt("draws", 5);
        var root = args.Get("root");
        args.EnsureAllUsed(maxPositionals: 0);
        if (!manifestPath.EndsWith(ModelManifest.FileSuffix, StringComparison.OrdinalIgnoreCase))
            throw new EdgeFaceException($"--model must be a manifest file (*{ModelManifest.FileSuffix}) to write the calibration into, got {manifestPath}");

        var writers = SigComp2011Dataset.Open(root).Select(selection);
        SignatureCalibration.Validate(writers, refs[0], seed, draws, alphas);
        using var model = SignatureModel.Open(manifestPath);
        using var cleaner = new SignatureCleaner();
        var embeddings = SignatureEmbeddings.Compute(writers, cleaner, model.Embedder, context.Progress, context.Cancellation);
        var best = SignatureCalibration.Run(writers, embeddings, refs[0], seed, draws, alphas);
        foreach (var c in best.Candidates)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"α={c.Alpha}: skilled EER {c.MeanSkilledEer * 100:0.00}%  random EER {c.MeanRandomEer * 100:0.00}% (mean of {draws} draws)"));

        var manifest = model.Manifest!;
        var drawText = draws == 1 ? $"seed {seed}" : $"{draws} draws, seeds {seed}-{seed + draws - 1}";
        var threshold = new CalibratedThreshold
        {
            Value = Math.Round(best.Threshold, 6),
            Far = Math.Round(best.FarSkilled, 6),
            Frr = Math.Round(best.Frr, 6),
            Data = string.Create(CultureInfo.InvariantCulture,
                $"{SigComp2011Dataset.Name} writers {selection.Text} ({writers.Count} writers), R={refs[0]} references ({drawText}), mean cosine adapted with α={best.Alpha}, μ={best.Mu:0.######}; {best.GenuineQueries} genuine / {best.SkilledQueries} skilled-forgery queries per draw"),
            Note = string.Create(CultureInfo.InvariantCulture,
                $"skilled-forgery equal-error point of the pooled draws (FAR skilled {best.FarSkilled * 100:0.0}%, FRR {best.Frr * 100:0.0}%, FAR random {best.FarRandom * 100:0.0}%); compare with mean cosine − α·(m_w − μ)"),
            CalibratedAt = DateTimeOffset.UtcNow,
        };
        var parameters = new Dictionary<string, double>(manifest.Parameters)
        {
            [SignatureModel.AlphaParameter] = best.Alpha,
            [SignatureModel.MuParameter] = Math.Round(best.Mu, 6),
            [SignatureModel.MinReferencesParameter] = model.MinReferences,
        };
        var thresholds = new Dictionary<string, CalibratedThreshold>(manifest.Thresholds) { ["default"] = threshold };
        (manifest with { Thresholds = thresholds, Parameters = parameters }).Save(manifestPath);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calibrated {manifest.Id}: threshold {threshold.Value:0.####}, α={best.Alpha}, μ={best.Mu:0.####} (skilled EER {best.Chosen.MeanSkilledEer * 100:0.00}% at R={refs[0]}, mean of {draws} draws); wrote {manifestPath}"));
        return 0;
    }
}
