namespace EdgeFace.Runtime.Cli;

/// <summary>
/// One command of a host program. <see cref="Path"/> holds its words ("gallery add");
/// <see cref="Run"/> returns the exit code and throws <see cref="EdgeFaceException"/> for user errors.
/// </summary>
public abstract class CliCommand
{
    public abstract string Path { get; }
    public abstract string Summary { get; }
    /// <summary>Usage line(s) after the command words, e.g. "IMAGE [--json] [--out FILE]".</summary>
    public abstract string Usage { get; }
    /// <summary>Options that take no value.</summary>
    public virtual IReadOnlyCollection<string> Flags => [];
    public abstract int Run(CliArgs args, CliContext context);
}

/// <summary>What a command may touch besides its arguments: output streams and cancellation.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Progress lines for long runs go to stderr so stdout stays machine-readable.</summary>
    public void Progress(string line) => Error.WriteLine(line);
}
