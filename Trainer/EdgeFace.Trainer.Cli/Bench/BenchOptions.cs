using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Cli.Bench;

/// <summary>Options shared by the bench commands, validated into one-line errors.</summary>
internal static class BenchOptions
{
    public static int Threads(CliArgs args)
    {
        var threads = args.GetInt("threads", KernelThreads.Count);
        if (threads is < 1 or > 1024) throw new EdgeFaceException($"--threads must be between 1 and 1024, got {threads}");
        return threads;
    }

    public static double Seconds(CliArgs args)
    {
        var seconds = args.GetDouble("seconds", 0.6);
        if (!(seconds > 0 && seconds <= 60)) throw new EdgeFaceException($"--seconds must be between 0 and 60, got {seconds}");
        return seconds;
    }

    public static int Size(CliArgs args, string name, int fallback)
    {
        var v = args.GetInt(name, fallback);
        if (v is < 1 or > 1 << 20) throw new EdgeFaceException($"--{name} must be between 1 and {1 << 20}, got {v}");
        return v;
    }
}
