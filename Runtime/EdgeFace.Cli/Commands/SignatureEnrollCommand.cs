using System.Globalization;
using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Model;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Cli.Commands;

/// <summary>
/// Enrols a writer's reference signatures in the gallery (kind signature, bound to the model's id + SHA-256). Needs
/// the model's minimum number of references (3 by default): the writer-adapted threshold rests on their spread.
/// From 4 references on, references that disagree with the rest are named; <c>--refuse-inconsistent</c> turns that
/// warning into a refusal. Every image is checked (cleaned and embedded) before anything is written.
/// </summary>
public sealed class SignatureEnrollCommand : CliCommand
{
    public override string Path => "signature enroll";
    public override string Summary => "Enrol a writer's reference signatures in the gallery (flags references that disagree)";
    public override string Usage => $"--writer ID FILES... [--replace] [--refuse-inconsistent] [--z-limit 3.5] {GalleryOptions.Usage} {SignatureModelOptions.Usage}";
    public override IReadOnlyCollection<string> Flags => ["replace", "refuse-inconsistent", SignatureModelOptions.BaselineFlag];

    public override int Run(CliArgs args, CliContext context)
    {
        var writer = args.Require("writer").Trim();
        if (writer.Length == 0) throw new EdgeFaceException("--writer must not be empty");
        var files = args.Positionals;
        var replace = args.Flag("replace");
        var refuseInconsistent = args.Flag("refuse-inconsistent");
        var zLimit = args.GetDouble("z-limit", ReferenceConsistency.DefaultZLimit);
        if (!double.IsFinite(zLimit) || zLimit <= 0) throw new EdgeFaceException($"--z-limit must be a positive number, got {zLimit}");
        var gallery = GalleryOptions.Read(args);
        var modelOptions = SignatureModelOptions.Read(args);
        args.EnsureAllUsed();

        using var model = modelOptions.Open();
        if (files.Count < model.MinReferences)
            throw new EdgeFaceException($"too few references for writer '{writer}': {files.Count} given, at least {model.MinReferences} are needed");
        var embeddings = new List<float[]>();
        using (var cleaner = new SignatureCleaner())
        {
            var canvas = new float[SignatureCleaner.PixelCount];
            foreach (var f in files) embeddings.Add(model.EmbedFile(cleaner, f, canvas));
        }
        var names = files.Select(f => System.IO.Path.GetFileName(f)).ToList();
        if (files.Count >= ReferenceConsistency.MinReferences)
        {
            var report = ReferenceConsistency.Check(embeddings, names, zLimit);
            if (!report.Consistent)
            {
                var message = string.Join("; ", report.Messages);
                if (refuseInconsistent) throw new EdgeFaceException($"writer '{writer}' not enrolled: {message}");
                context.Error.WriteLine($"warning: {message}");
            }
        }

        var binding = new ModelBinding(model.Id, model.Sha256);
        var samples = embeddings.Select((e, i) => new BiometricSample(e, default, binding, names[i])).ToList();
        var spread = SignatureModel.Spread(embeddings);
        var detail = string.Create(CultureInfo.InvariantCulture, $"{{\"references\":{files.Count},\"spread\":{spread:0.####}}}");
        using var store = gallery.Open(create: true);
        var existing = store.FindIdentity(writer);
        long id;
        if (existing is null)
            id = store.Enroll(writer, null, TemplateKind.Signature, samples, new AuditEntry(gallery.Actor, "enrol", "accepted", ModelId: model.Id, Detail: detail)).Id;
        else
        {
            var stored = store.GetTemplates(existing.Id, TemplateKind.Signature);
            if (stored.Count > 0 && !replace)
                throw new EdgeFaceException($"writer '{writer}' already has {stored.Count(t => !t.IsAggregate)} reference signatures in {store.Location}; pass --replace to re-enrol");
            store.AddTemplates(existing.Id, TemplateKind.Signature, samples,
                new AuditEntry(gallery.Actor, replace ? "re-enrol" : "add-templates", "accepted", existing.Id, ModelId: model.Id, Detail: detail), replace);
            id = existing.Id;
        }
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"enrolled writer '{writer}' (id {id}) with {files.Count} reference signatures, model {model.Id}, reference agreement {spread:0.000}"));
        return 0;
    }
}
