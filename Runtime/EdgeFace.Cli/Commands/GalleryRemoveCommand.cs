using EdgeFace.Enrollment.Audit;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryRemoveCommand : CliCommand
{
    public override string Path => "gallery remove";
    public override string Summary => "Delete an identity and all its templates and images (--vacuum also rewrites the file)";
    public override string Usage => $"NAME [--vacuum] {GalleryOptions.Usage}";
    public override IReadOnlyCollection<string> Flags => ["vacuum"];

    public override int Run(CliArgs args, CliContext context)
    {
        var name = args.Positional(0, "NAME");
        var vacuum = args.Flag("vacuum");
        var options = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);
        using var store = options.Open();
        var identity = GalleryOptions.Require(store, name);
        store.RemoveIdentity(identity.Id, new AuditEntry(options.Actor, "remove", "removed", identity.Id));
        if (vacuum) store.Vacuum();
        context.Out.WriteLine($"removed '{identity.DisplayName}' (id {identity.Id}){(vacuum ? "; gallery file rewritten without free pages" : "")}");
        return 0;
    }
}
