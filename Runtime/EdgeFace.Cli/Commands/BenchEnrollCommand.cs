using System.Diagnostics;
using System.Globalization;
using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// Enrolment write throughput: synthetic identities, each its own transaction (samples + aggregate + audit),
/// exactly as real enrolments are written. Prints one "committed N" line per identity so a crash test can
/// kill it mid-run and know what must have survived.
/// </summary>
public sealed class BenchEnrollCommand : CliCommand
{
    public override string Path => "bench enroll";
    public override string Summary => "Time enrolment writes of synthetic identities (one transaction each)";
    public override string Usage => $"[--count N] [--samples S] [--dim D] [--seed S] {GalleryOptions.Usage}";

    public static readonly ModelBinding SyntheticModel = new("synthetic-bench", new string('0', 64));

    public override int Run(CliArgs args, CliContext context)
    {
        var count = args.GetInt("count", 1000);
        var samplesPer = args.GetInt("samples", 5);
        var dim = args.GetInt("dim", 128);
        var seed = args.GetInt("seed", 1);
        if (count < 1 || samplesPer < 1 || dim < 1 || dim > 8192) throw new EdgeFaceException("--count, --samples and --dim must be positive (dim at most 8192)");
        var gallery = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        using var store = gallery.Open(create: true);
        var start = store.ListIdentities().Count;
        var rng = new Random(seed);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var samples = Enumerable.Range(0, samplesPer).Select(s =>
            {
                var v = new float[dim];
                for (var j = 0; j < dim; j++) v[j] = (float)(rng.NextDouble() * 2 - 1);
                return new BiometricSample(v, new SampleQuality(1, 120, 100, 120, 0.9), SyntheticModel, $"synthetic-{s}");
            }).ToList();
            var name = $"bench-{start + i + 1:D7}";
            store.Enroll(name, null, TemplateKind.Face, samples, new AuditEntry(gallery.Actor, "enrol", "enrolled", ModelId: SyntheticModel.Id));
            context.Out.WriteLine($"committed {name}");
            context.Out.Flush();
        }
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} enrolments of {samplesPer} x {dim}-d samples in {watch.Elapsed.TotalSeconds:0.00} s: {count / watch.Elapsed.TotalSeconds:0.0} enrolments/s"));
        return 0;
    }
}
