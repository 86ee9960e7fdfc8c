using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Bundle;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryImportCommand : CliCommand
{
    public override string Path => "gallery import";
    public override string Summary => "Merge an encrypted bundle into the gallery, all or nothing (--replace overwrites same-named identities)";
    public override string Usage => $"FILE --passphrase-env VAR [--replace] {GalleryOptions.Usage}";
    public override IReadOnlyCollection<string> Flags => ["replace"];

    public override int Run(CliArgs args, CliContext context)
    {
        var file = args.Positional(0, "FILE (the bundle to import)");
        var passphrase = Passphrase.FromEnvironment(args.Require("passphrase-env"));
        var replace = args.Flag("replace");
        var options = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);
        var identities = GalleryBundle.Read(file, passphrase);
        using var store = options.Open(create: true);
        var imported = store.Import(identities, replace, new AuditEntry(options.Actor, "import", "imported", Detail: $"{identities.Count} identities from bundle"));
        context.Out.WriteLine($"imported {imported.Count} identities into {store.Location}");
        return 0;
    }
}
