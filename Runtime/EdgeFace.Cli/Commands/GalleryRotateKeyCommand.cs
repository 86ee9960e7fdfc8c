using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Security;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryRotateKeyCommand : CliCommand
{
    public override string Path => "gallery rotate-key";
    public override string Summary => "Re-encrypt the whole gallery under a new key, in one transaction";
    public override string Usage => $"--new-key-file F {GalleryOptions.Usage}";

    public override int Run(CliArgs args, CliContext context)
    {
        var newKeyFile = args.Require("new-key-file");
        var options = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        using var newKey = GalleryKey.LoadFile(newKeyFile);
        using var store = options.Open();
        store.RotateKey(newKey, new AuditEntry(options.Actor, "rotate-key", "rotated"));
        context.Out.WriteLine($"gallery {store.Location} is now encrypted with the key in {newKeyFile}; the old key no longer opens it");
        return 0;
    }
}
