using System.Globalization;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Models;
using EdgeFace.Trainer.Data;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary>Lists a training dataset the way the trainer will see it and checks it before a long run.</summary>
public sealed class DatasetCheckCommand : CliCommand
{
    public override string Path => "dataset check";
    public override string Summary => "Count identities/images of a dataset, check P×K balance and (optionally) decode every image";
    public override string Usage => "ROOT [--kind faces|signatures] [--identities SPEC] [--split NAME] [--k K] [--decode]";
    public override IReadOnlyCollection<string> Flags => ["decode"];

    public override int Run(CliArgs args, CliContext context)
    {
        var root = args.Positional(0, "dataset folder (ROOT)");
        var selection = IdentitySelection.Parse(args.Get("identities"));
        var split = args.Get("split");
        var kind = args.Get("kind") ?? (LooksLikeSignatures(root) ? "signatures" : "faces");
        var k = args.GetInt("k", 0);
        var decode = args.Flag("decode");
        args.EnsureAllUsed(maxPositionals: 1);

        ILabeledDataset data = kind switch
        {
            "faces" when split is not null => throw new EdgeFaceException("--split applies to signature datasets (splits.csv); use --identities for faces"),
            "faces" => FolderDataset.Open(root, selection),
            "signatures" => SignatureDataset.Open(root, split, selection),
            _ => throw new EdgeFaceException($"--kind must be 'faces' or 'signatures', got '{kind}'"),
        };

        var counts = Enumerable.Range(0, data.Identities.Count).Select(l => data.SamplesOf(l).Count).Order().ToArray();
        var o = context.Out;
        o.WriteLine($"dataset    {data.Root} ({kind}{(split is null ? "" : $", split {split}")}, identities {selection})");
        o.WriteLine($"identities {data.Identities.Count} ({data.Identities[0]} .. {data.Identities[^1]})");
        o.WriteLine($"images     {counts.Sum()} training, per identity min {counts[0]} / median {counts[counts.Length / 2]} / max {counts[^1]}");
        if (data is SignatureDataset sig) o.WriteLine($"forgeries  {sig.ForgeryCount} skilled forgeries (hard negatives)");
        if (k > 0)
        {
            var sampler = new PkBatchSampler(data, 1, k, 0); // throws "unbalanced: ..." naming the first short identity
            o.WriteLine($"P×K        K={k}: every identity has enough images; at most P={sampler.EligibleLabels.Count} per batch");
        }
        if (decode)
        {
            var input = new ModelInput { Name = "check", Channels = 1, Width = 32, Height = 32, ColorOrder = "GRAY", Resize = ResizeMode.Stretch };
            using var loader = new SampleLoader(input);
            var buffer = new float[loader.SampleLength];
            for (var i = 0; i < data.Samples.Count; i++)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                loader.Load(data.Samples[i].Path, buffer); // throws "cannot read image FILE ..." on the first bad one
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decoded    all {data.Samples.Count} images"));
        }
        return 0;
    }

    private static bool LooksLikeSignatures(string root) =>
        Directory.Exists(root)
        && (File.Exists(System.IO.Path.Combine(root, SignatureDataset.SplitsFileName))
            || Directory.EnumerateDirectories(root).Take(3).Any(d => Directory.Exists(System.IO.Path.Combine(d, "genuine"))));
}
