using EdgeFace.Enrollment.Security;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryNewKeyCommand : CliCommand
{
    public override string Path => "gallery new-key";
    public override string Summary => "Create a random 256-bit gallery key file, readable only by its owner";
    public override string Usage => "FILE";

    public override int Run(CliArgs args, CliContext context)
    {
        var file = args.Positional(0, "FILE (where to write the key)");
        args.EnsureAllUsed(maxPositionals: 1);
        using var key = GalleryKey.Generate();
        key.SaveFile(file);
        context.Out.WriteLine($"wrote gallery key {file}; keep a copy in a safe place: without it the gallery cannot be read");
        return 0;
    }
}
