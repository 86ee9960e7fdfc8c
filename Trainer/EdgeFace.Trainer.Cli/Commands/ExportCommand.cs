using EdgeFace.Runtime.Cli;
using EdgeFace.Trainer.Export;
using EdgeFace.Trainer.Training;

namespace EdgeFace.Trainer.Cli.Commands;

/// <summary><c>edgeface-train export</c>: ONNX model + Runtime manifest from a run's last checkpoint, verified in ONNX Runtime.</summary>
public sealed class ExportCommand : CliCommand
{
    public override string Path => "export";
    public override string Summary => "export a run (or, with several --run, a seed ensemble) to ONNX (BN folded, opset 17) with a calibrated manifest; checks ONNX Runtime matches the engine";
    public override string Usage => "--run DIR [--run DIR ...] [--out DIR] [--id MODEL_ID]";

    public override int Run(CliArgs args, CliContext context)
    {
        args.Require("run");
        var runs = args.GetAll("run").Select(RunFolder.Open).ToArray();
        var outDir = System.IO.Path.GetFullPath(args.Get("out") ?? runs[0].File("model"));
        var id = args.Get("id");
        args.EnsureAllUsed(0);
        var command = $"edgeface-train export {string.Join(" ", runs.Select(r => $"--run {r.Path}"))} --out {outDir}{(id is null ? "" : $" --id {id}")}";
        var r = RunExporter.Export(runs, outDir, command, context.Progress, id);
        context.Out.WriteLine($"wrote {r.OnnxPath} and {r.ManifestPath}; threshold {r.Manifest.DefaultThreshold.Value:F4} ({r.Manifest.DefaultThreshold.Note})");
        return 0;
    }
}
