using EdgeFace.Enrollment.Audit;
using EdgeFace.Enrollment.Bundle;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class GalleryExportCommand : CliCommand
{
    public override string Path => "gallery export";
    public override string Summary => "Write an encrypted bundle of every identity (passphrase from an environment variable)";
    public override string Usage => $"FILE --passphrase-env VAR {GalleryOptions.Usage}";

    public override int Run(CliArgs args, CliContext context)
    {
        var file = args.Positional(0, "FILE (the bundle to write)");
        var passphrase = Passphrase.FromEnvironment(args.Require("passphrase-env"));
        var options = GalleryOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);
        using var store = options.Open();
        var count = GalleryBundle.Export(store, file, passphrase);
        store.AppendAudit(new AuditEntry(options.Actor, "export", "exported", Detail: $"{count} identities"));
        context.Out.WriteLine($"exported {count} identities to {file}");
        return 0;
    }
}

/// <summary>Bundle passphrases come from an environment variable, never the command line (which other users can see).</summary>
internal static class Passphrase
{
    public static string FromEnvironment(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value)) throw new EdgeFaceException($"environment variable {variable} (--passphrase-env) is not set");
        return value;
    }
}
