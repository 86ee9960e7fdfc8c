using EdgeFace.Camera;
using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Liveness;
using EdgeFace.Camera.Loop;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Cli.Commands;

public sealed class KioskCommand : CliCommand
{
    public override string Path => "kiosk";
    public override string Summary => "Run the real-time kiosk: camera/video/stream/folder in, guidance + verify/identify/enrol decisions out (web screen or headless)";
    public override string Usage =>
        "--source 0|FILE|URL|DIR --gallery DB [--key-file FILE] [--mode verify|identify|enrol] [--claim NAME] " +
        "[--liveness none|passive|active|both] [--threshold X] [--min-frames N] [--timeout-s S] [--cooldown-s S] [--enrol-frames N] " +
        "[--fps F] [--detect-every N] [--headless --out DIR] [--replay] [--loop] [--folder-fps F] [--wait-for-camera] " +
        "[--urls http://127.0.0.1:5000] [--api-key-file FILE] [--models DIR] [--device D] [--detector ID] [--embedder ID] [--threads N]";
    public override IReadOnlyCollection<string> Flags => ["headless", "replay", "loop", "wait-for-camera", .. FaceCliOptions.FlagNames];

    public override int Run(CliArgs args, CliContext context)
    {
        var options = Read(args);
        args.EnsureAllUsed(maxPositionals: 0);
        return KioskHost.Run(options, context);
    }

    internal static KioskHostOptions Read(CliArgs args)
    {
        var headless = args.Flag("headless");
        var output = args.Get("out");
        if (output is not null && !headless) throw new EdgeFaceException("--out is only used with --headless");
        var decisions = new DecisionOptions
        {
            MinFrames = Positive(args, "min-frames", 3),
            Timeout = Seconds(args, "timeout-s", 2),
            Cooldown = Seconds(args, "cooldown-s", 1, allowZero: true),
            EnrolFrames = Positive(args, "enrol-frames", 5),
            Liveness = ParseEnum<LivenessPolicy>(args.Get("liveness") ?? "none", "--liveness", "none|passive|active|both"),
        };
        var fps = args.GetDouble("fps", 15);
        if (fps is <= 0 or > 1000) throw new EdgeFaceException($"--fps must be above 0 and at most 1000, got {fps}");
        var detectEvery = Positive(args, "detect-every", 1);
        var threshold = args.GetDouble("threshold");
        if (threshold is <= -1 or >= 1) throw new EdgeFaceException($"--threshold must be a cosine score between -1 and 1, got {threshold}");
        return new KioskHostOptions
        {
            Source = args.Require("source"),
            GalleryPath = args.Require("gallery"),
            GalleryKeyFile = args.Get("key-file"),
            Mode = ParseEnum<KioskMode>(args.Get("mode") ?? "identify", "--mode", "verify|identify|enrol"),
            Claim = args.Get("claim"),
            Faces = FaceCliOptions.Read(args),
            Threshold = (float?)threshold,
            Decisions = decisions,
            Loop = new KioskLoopOptions { TickRate = fps, DetectEvery = detectEvery, MaxDetectEvery = Math.Max(4, detectEvery) },
            Headless = headless,
            OutputFolder = headless ? output ?? throw new EdgeFaceException("--headless needs --out DIR") : null,
            Urls = args.Get("urls") ?? "http://127.0.0.1:5000",
            ApiKeyFile = args.Get("api-key-file"),
            WaitForCamera = args.Flag("wait-for-camera"),
            Replay = args.Flag("replay") ? true : null,
            LoopMedia = args.Flag("loop"),
            FolderFps = args.GetDouble("folder-fps", 10),
        };
    }

    private static int Positive(CliArgs args, string name, int fallback)
    {
        var v = args.GetInt(name, fallback);
        return v >= 1 ? v : throw new EdgeFaceException($"--{name} must be at least 1, got {v}");
    }

    private static TimeSpan Seconds(CliArgs args, string name, double fallback, bool allowZero = false)
    {
        var v = args.GetDouble(name, fallback);
        if (v < 0 || (!allowZero && v == 0) || v > 3600) throw new EdgeFaceException($"--{name} must be {(allowZero ? "0" : "above 0")} to 3600 seconds, got {v}");
        return TimeSpan.FromSeconds(v);
    }

    private static T ParseEnum<T>(string text, string option, string allowed) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var v) && !int.TryParse(text, out _) ? v
            : throw new EdgeFaceException($"{option} must be one of {allowed}, got '{text}'");
}
