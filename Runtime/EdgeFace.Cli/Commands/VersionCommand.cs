using System.Reflection;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class VersionCommand : CliCommand
{
    public override string Path => "version";
    public override string Summary => "Print the EdgeFace and ONNX Runtime versions";
    public override string Usage => "";

    public override int Run(CliArgs args, CliContext context)
    {
        args.EnsureAllUsed(maxPositionals: 0);
        var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var ort = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version;
        context.Out.WriteLine($"edgeface {version} (onnxruntime {ort}, .NET {Environment.Version})");
        return 0;
    }
}
