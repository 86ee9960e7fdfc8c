using EdgeFace.TestSupport;

namespace EdgeFace.Cli.Tests;

public class HostTests
{
    [Fact]
    public void Version_prints_and_exits_zero()
    {
        var r = CliProcess.Run("edgeface", ["version"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("edgeface ", r.Stdout);
    }

    [Fact]
    public void Unknown_command_is_one_line_and_nonzero()
    {
        var r = CliProcess.Run("edgeface", ["frobnicate"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains("unknown command", r.Stderr);
    }

    [Fact]
    public void Unknown_option_is_rejected()
    {
        var r = CliProcess.Run("edgeface", ["version", "--bogus", "1"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("edgeface version: unknown option --bogus", r.Stderr.Trim());
    }
}
