using EdgeFace.TestSupport;

namespace EdgeFace.Cli.Tests;

/// <summary>A temp folder with a gallery path and a private key file, and a runner for the real <c>edgeface</c> CLI.</summary>
internal sealed class GalleryCliSupport : IDisposable
{
    public TempDir Dir { get; } = new();
    public string Gallery => Dir.File("gallery.db");
    public string KeyFile => Dir.File("gallery.key");

    public GalleryCliSupport()
    {
        var r = CliProcess.Run("edgeface", ["gallery", "new-key", KeyFile]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    /// <summary>Runs edgeface with --gallery and --key-file appended (unless the test passes its own).</summary>
    public CliResult Run(IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var list = args.ToList();
        if (!list.Contains("--gallery")) list.AddRange(["--gallery", Gallery]);
        if (!list.Contains("--key-file")) list.AddRange(["--key-file", KeyFile]);
        return CliProcess.Run("edgeface", list, env);
    }

    public CliResult Ok(params string[] args)
    {
        var r = Run(args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    /// <summary>Asserts a user error: exit 2 and exactly one line on stderr containing <paramref name="expected"/>.</summary>
    public static void AssertOneLineError(CliResult r, string expected, int exitCode = 2)
    {
        Assert.True(r.ExitCode == exitCode, r.ToString());
        var lines = r.Stderr.Trim().Split('\n');
        Assert.True(lines.Length == 1, r.ToString());
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    public void Dispose() => Dir.Dispose();
}
