using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Evaluation;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Reporting;

namespace EdgeFace.Cli.Commands;

public sealed class EvalLfwCommand : CliCommand
{
    public override string Path => "eval lfw";
    public override string Summary => "LFW 10-fold verification accuracy, TAR@FAR=1e-3, EER, AUC and per-stage timing";
    public override string Usage => "--pairs pairs.txt --images DIR [--json] [--roc OUT.png] [--flip] [--limit-folds N] [--models DIR] [--device D] [--detector ID] [--embedder ID]";
    public override IReadOnlyCollection<string> Flags => ["json", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var pairsFile = args.Require("pairs");
        var images = args.Require("images");
        var json = args.Flag("json");
        var roc = args.Get("roc");
        var limitFolds = args.GetInt("limit-folds", int.MaxValue);
        var options = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        if (limitFolds < 2) throw new EdgeFaceException($"--limit-folds must be at least 2 (a threshold is chosen on the other folds), got {limitFolds}");
        if (roc is not null) AnnotatedImage.CheckWritable(roc);

        var pairs = VerificationPairs.FromLfwPairFile(pairsFile, images).Where(p => p.Fold < limitFolds).ToList();
        var folds = pairs.Max(p => p.Fold) + 1;
        if (folds < 2) throw new EdgeFaceException($"{pairsFile}: needs at least 2 folds for cross-validation, has {folds}");
        var files = pairs.SelectMany(p => new[] { p.A, p.B }).Distinct().Order(StringComparer.Ordinal).ToList();
        using var pipeline = options.CreatePipeline(context);
        var metric = pipeline.Embedder.Manifest.Metric;
        context.Progress($"eval lfw: {pairs.Count} pairs in {folds} folds, {files.Count} images; {pipeline.Detector.Manifest.Id} + {pipeline.Embedder.Manifest.Id}{(options.Flip ? " (flip)" : "")}");
        var started = DateTime.UtcNow;
        var set = ImageSetEmbedder.Embed(pipeline, files, context.Progress, context.Cancellation);
        var index = files.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
        var scored = pairs.Select(p => new ScoredPair(PairScores.Score(metric, set.Vectors[index[p.A]], set.Vectors[index[p.B]]), p.Genuine, p.Fold)).ToList();
        var kfold = KFoldVerification.Evaluate(scored, folds);
        var curve = RocCurve.From(scored);
        double Median(Func<StageTimes, double> f) => Percentile(set.Times.Select(f), 0.5);
        var timing = new JsonObject
        {
            ["decode"] = Math.Round(Median(t => t.Decode), 3),
            ["detect"] = Math.Round(Median(t => t.Detect), 3),
            ["align"] = Math.Round(Median(t => t.Align), 3),
            ["embed"] = Math.Round(Median(t => t.Embed), 3),
            ["total"] = Math.Round(Median(t => t.Total), 3),
        };
        if (roc is not null)
        {
            var points = curve.Points().Where(p => p.Far > 0).ToList();
            new LinePlot($"LFW ROC: {pipeline.Detector.Manifest.Id} + {pipeline.Embedder.Manifest.Id}", "false accept rate", "true accept rate") { LogX = true }
                .AddSeries($"{pairs.Count} pairs", points.Select(p => p.Far).ToList(), points.Select(p => p.Tar).ToList())
                .SavePng(roc);
            context.Progress($"wrote ROC to {roc}");
        }
        var result = new JsonObject
        {
            ["pairs"] = pairs.Count,
            ["folds"] = folds,
            ["images"] = files.Count,
            ["accuracy"] = Math.Round(kfold.MeanAccuracy, 5),
            ["accuracy_std"] = Math.Round(kfold.StdAccuracy, 5),
            ["threshold_mean"] = Math.Round(PairScores.ToMetricThreshold(metric, kfold.MeanThreshold), 4),
            ["tar_at_far_1e-3"] = Math.Round(curve.TarAtFar(1e-3), 5),
            ["eer"] = Math.Round(curve.Eer, 5),
            ["auc"] = Math.Round(curve.Auc, 6),
            ["not_detected"] = set.NotDetected,
            ["timing_ms"] = timing,
            ["detector"] = pipeline.Detector.Manifest.Id,
            ["embedder"] = pipeline.Embedder.Manifest.Id,
            ["flip"] = options.Flip,
            ["seconds"] = Math.Round((DateTime.UtcNow - started).TotalSeconds, 1),
        };
        if (json) context.Out.WriteLine(result.ToJsonString(FaceJson.Options));
        else
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"LFW {folds}-fold accuracy {kfold.MeanAccuracy:P2} ± {kfold.StdAccuracy:P2}; TAR@FAR=1e-3 {curve.TarAtFar(1e-3):P2}; EER {curve.Eer:P2}; AUC {curve.Auc:F4}; {set.NotDetected} image(s) without a detected face (centre crop); median ms decode {Median(t => t.Decode):F2} detect {Median(t => t.Detect):F2} align {Median(t => t.Align):F2} embed {Median(t => t.Embed):F2}"));
        return 0;
    }

    internal static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
