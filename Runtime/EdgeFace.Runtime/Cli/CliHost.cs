namespace EdgeFace.Runtime.Cli;

/// <summary>
/// Dispatches argv to the longest matching command and turns every failure into one line on stderr
/// and a non-zero exit: 2 for user errors, 1 for anything unexpected. Set EDGEFACE_DEBUG=1 to see stack traces.
/// </summary>
public sealed class CliHost(string programName, IEnumerable<CliCommand> commands)
{
    private readonly List<CliCommand> _commands = commands.OrderBy(c => c.Path, StringComparer.Ordinal).ToList();

    public int Run(string[] argv, TextWriter? stdout = null, TextWriter? stderr = null, CancellationToken cancellation = default)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        if (argv.Length == 0 || argv[0] is "help" or "--help" or "-h")
        {
            PrintHelp(stdout, argv.Skip(1).ToArray());
            return argv.Length == 0 ? 2 : 0;
        }
        var (command, consumed) = Match(argv);
        if (command is null)
        {
            stderr.WriteLine($"{programName}: unknown command '{string.Join(' ', argv.TakeWhile(a => !a.StartsWith('-')).Take(2))}' (try '{programName} help')");
            return 2;
        }
        var rest = argv.Skip(consumed).ToArray();
        if (rest.Contains("--help"))
        {
            stdout.WriteLine($"usage: {programName} {command.Path} {command.Usage}\n  {command.Summary}");
            return 0;
        }
        try
        {
            return command.Run(new CliArgs(rest, command.Flags), new CliContext(stdout, stderr, cancellation));
        }
        catch (Exception e) when (!Debugger())
        {
            var (message, code) = Describe(e);
            stderr.WriteLine($"{programName} {command.Path}: {message}");
            return code;
        }
    }

    private static bool Debugger() => Environment.GetEnvironmentVariable("EDGEFACE_DEBUG") == "1";

    /// <summary>One line for any exception: ours verbatim, known system errors in words, the rest by type.</summary>
    public static (string Message, int ExitCode) Describe(Exception e)
    {
        var root = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
        var text = root switch
        {
            EdgeFaceException x => x.Message,
            OperationCanceledException => "cancelled",
            FileNotFoundException x => $"file not found: {x.FileName ?? x.Message}",
            DirectoryNotFoundException x => $"folder not found: {x.Message}",
            UnauthorizedAccessException x => $"permission denied: {x.Message}",
            IOException x when IsDiskFull(x) => $"disk full: {x.Message}",
            IOException x => $"I/O error: {x.Message}",
            OutOfMemoryException => "out of memory",
            _ => $"internal error ({root.GetType().Name}): {root.Message}",
        };
        var code = root is EdgeFaceException ee ? ee.ExitCode : root is IOException or UnauthorizedAccessException or OperationCanceledException ? 2 : 1;
        return (OneLine(text), code);
    }

    public static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) is 28 or 112 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);

    private static string OneLine(string s) => string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private (CliCommand?, int) Match(string[] argv)
    {
        CliCommand? best = null;
        var bestLength = 0;
        foreach (var c in _commands)
        {
            var words = c.Path.Split(' ');
            if (words.Length > argv.Length || words.Length <= bestLength) continue;
            if (words.Select((w, i) => w == argv[i]).All(x => x)) { best = c; bestLength = words.Length; }
        }
        return (best, bestLength);
    }

    private void PrintHelp(TextWriter o, string[] prefix)
    {
        o.WriteLine($"usage: {programName} COMMAND [ARGS]   ({programName} COMMAND --help for details)\n");
        var width = _commands.Max(c => c.Path.Length) + 2;
        foreach (var c in _commands.Where(c => prefix.Length == 0 || c.Path.StartsWith(string.Join(' ', prefix), StringComparison.Ordinal)))
            o.WriteLine($"  {c.Path.PadRight(width)}{c.Summary}");
    }
}
