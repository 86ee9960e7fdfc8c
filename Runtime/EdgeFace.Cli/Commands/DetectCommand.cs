using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Imaging;
using OpenCvSharp;

namespace EdgeFace.Cli.Commands;

public sealed class DetectCommand : CliCommand
{
    public override string Path => "detect";
    public override string Summary => "Find faces (box, 5 landmarks, score) in an image";
    public override string Usage => "IMAGE [--json] [--annotate OUT.png] [--models DIR] [--device D] [--detector ID] [--score-threshold X]";
    public override IReadOnlyCollection<string> Flags => ["json", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var imagePath = args.Positional(0, "IMAGE");
        var json = args.Flag("json");
        var annotate = args.Get("annotate");
        var options = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);
        if (annotate is not null) AnnotatedImage.CheckWritable(annotate);

        using var image = ImageLoader.Load(imagePath);
        using var pipeline = options.CreatePipeline(context);
        var faces = pipeline.Analyze(image);
        if (json)
        {
            context.Out.WriteLine(new JsonArray(faces.Select(f => (JsonNode)FaceJson.Face(f)).ToArray()).ToJsonString(FaceJson.Options));
        }
        else
        {
            context.Out.WriteLine($"{faces.Count} face(s) in {imagePath} ({image.Cols}x{image.Rows}), detector {pipeline.Detector.Manifest.Id}");
            foreach (var f in faces)
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  box {f.Box.X:F0},{f.Box.Y:F0} {f.Box.Width:F0}x{f.Box.Height:F0}  score {f.Score:F3}  eyes ({f.Landmarks.LeftEye.X:F0},{f.Landmarks.LeftEye.Y:F0}) ({f.Landmarks.RightEye.X:F0},{f.Landmarks.RightEye.Y:F0})"));
        }
        if (annotate is not null) AnnotatedImage.Save(image, faces, annotate);
        return 0;
    }
}
