using System.Text.Json.Nodes;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class EmbedCommand : CliCommand
{
    public override string Path => "embed";
    public override string Summary => "Compute the L2-normalised embedding of the main face in an image";
    public override string Usage => "IMAGE [--flip] [--out FILE.json|FILE.bin] [--models DIR] [--device D] [--detector ID] [--embedder ID] [--score-threshold X]";
    public override IReadOnlyCollection<string> Flags => FaceCliOptions.FlagNames;

    public override int Run(CliArgs args, CliContext context)
    {
        var imagePath = args.Positional(0, "IMAGE");
        var outPath = args.Get("out");
        var options = FaceCliOptions.Read(args);
        args.EnsureAllUsed(maxPositionals: 1);
        var binary = outPath is not null && outPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);
        if (outPath is not null && !binary && !outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new EdgeFaceException($"--out {outPath}: use a .json or .bin file name");

        using var pipeline = options.CreatePipeline(context);
        var (vector, face) = FaceEmbedding.FromFile(pipeline, imagePath);
        var manifest = pipeline.Embedder.Manifest;
        var json = new JsonObject
        {
            ["image"] = imagePath,
            ["model"] = manifest.Id,
            ["model_sha256"] = manifest.Sha256,
            ["metric"] = manifest.Metric.ToString().ToLowerInvariant(),
            ["dimension"] = vector.Length,
            ["flip"] = pipeline.Embedder.FlipAugmentation,
            ["face"] = FaceJson.Face(face.Detection),
            ["quality"] = FaceJson.Quality(face.Quality),
            ["embedding"] = new JsonArray(vector.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        };
        if (outPath is null)
        {
            context.Out.WriteLine(json.ToJsonString(FaceJson.Options));
            return 0;
        }
        // Write beside, then rename: an interrupted run never leaves a half-written embedding.
        var tmp = outPath + ".tmp";
        if (binary)
        {
            var bytes = new byte[vector.Length * sizeof(float)];
            Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
            if (!BitConverter.IsLittleEndian) throw new EdgeFaceException("--out .bin is written little-endian; this platform is big-endian");
            File.WriteAllBytes(tmp, bytes);
        }
        else
        {
            File.WriteAllText(tmp, json.ToJsonString(FaceJson.Options));
        }
        File.Move(tmp, outPath, overwrite: true);
        context.Error.WriteLine($"wrote {vector.Length}-d embedding ({manifest.Id}) to {outPath}");
        return 0;
    }
}
