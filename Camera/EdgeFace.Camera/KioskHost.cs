using System.Text.Json;
using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Liveness;
using EdgeFace.Camera.Loop;
using EdgeFace.Camera.Output;
using EdgeFace.Camera.Server;
using EdgeFace.Camera.Sources;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using EdgeFace.Runtime.Cli;
using EdgeFace.Runtime.Inference;

namespace EdgeFace.Camera;

/// <summary>
/// Assembles and runs a kiosk from <see cref="KioskHostOptions"/>: the frame feed, the face pipeline and liveness
/// models from the catalog, the encrypted gallery, the loop, and either the web screen or the headless recorder.
/// Every decision is audited in the gallery and printed to stdout as a JSON line. Owns everything it opens and
/// disposes it all when <see cref="Run"/> returns, in reverse order of creation.
/// </summary>
public static class KioskHost
{
    public static int Run(KioskHostOptions o, CliContext context)
    {
        var token = context.Cancellation;
        var disposables = new Stack<IDisposable>();
        try
        {
            var source = FrameSourceFactory.Create(o.Source, o.FolderFps, o.LoopMedia);
            var replay = o.Replay ?? (o.Headless && !source.IsLive && !o.LoopMedia);
            if (replay && source.IsLive) { source.Dispose(); throw new EdgeFaceException($"--replay needs a video file or image folder, not {source.Description}"); }
            IFrameFeed feed = replay ? new ReplayFrameFeed(source) : new LiveFrameFeed(source, waitForSource: o.WaitForCamera);
            disposables.Push(feed);
            feed.Start();
            if (feed is LiveFrameFeed { State: SourceState.Connecting } waiting) context.Progress($"waiting for {source.Description}: {waiting.LastError}");

            var catalog = o.Faces.Catalog();
            var analyzer = new PipelineFrameAnalyzer(o.Faces.CreatePipeline(context, catalog));
            disposables.Push(analyzer);
            var manifest = analyzer.Pipeline.Embedder.Manifest;
            var threshold = o.Threshold ?? (float)manifest.DefaultThreshold.Value;
            if (threshold <= 0) throw new EdgeFaceException($"model '{manifest.Id}' has no usable calibrated threshold ({threshold}); pass --threshold");

            PassiveLivenessModel? passive = null;
            if (o.Decisions.Liveness is LivenessPolicy.Passive or LivenessPolicy.Both)
            {
                passive = PassiveLivenessModel.Open(catalog, new SessionFactory(o.Faces.Device, m => context.Error.WriteLine($"note: {m}"), 1));
                disposables.Push(passive);
            }

            using var key = GalleryKey.Resolve(o.GalleryKeyFile);
            var store = SqliteGalleryStore.Open(o.GalleryPath, key, new SqliteGalleryOptions { CreateIfMissing = o.Mode == KioskMode.Enrol });
            disposables.Push(store);
            var matcher = new GalleryIdentityMatcher(store, new ModelBinding(manifest.Id, manifest.Sha256), analyzer.EmbeddingSize, threshold);
            disposables.Push(matcher);
            if (matcher.OtherModelIdentities > 0)
                context.Progress($"note: {matcher.OtherModelIdentities} identities were enrolled with another model and cannot be matched; re-enrol them");
            if (o.Mode != KioskMode.Enrol && matcher.Identities.Count == 0)
                throw new EdgeFaceException($"gallery {o.GalleryPath} has no identities enrolled with model {manifest.Id}; enrol people first");

            var session = new KioskSession(o.Mode);
            if (o.Claim is not null)
            {
                if (o.Mode != KioskMode.Verify) throw new EdgeFaceException("--claim is only used with --mode verify");
                if (!matcher.Identities.Contains(o.Claim, StringComparer.OrdinalIgnoreCase)) throw new EdgeFaceException($"--claim '{o.Claim}' is not enrolled in {o.GalleryPath}");
                session.Claim(o.Claim);
            }

            var tickRate = o.Loop.TickRate;
            if (replay && feed.NominalFps is { } fps) tickRate = fps;
            var loopOptions = o.Loop with { TickRate = tickRate, StopWhenSourceEnds = o.Headless || replay };
            var quality = new FaceQualityAssessor(o.Guidance);
            disposables.Push(quality);
            var status = new KioskStatusBoard(session);
            var sinks = new List<IKioskSink> { status };
            HeadlessRecorder? recorder = null;
            MjpegBroadcaster? preview = null;
            if (o.Headless)
            {
                recorder = new HeadlessRecorder(o.OutputFolder ?? throw new EdgeFaceException("--headless needs --out DIR"), tickRate);
                disposables.Push(recorder);
                sinks.Add(recorder);
            }
            else
            {
                preview = new MjpegBroadcaster();
                sinks.Add(preview);
            }

            IClock clock = replay ? new ManualClock() : new SystemClock();
            var loop = KioskLoopFactory.Create(new KioskParts
            {
                Clock = clock, Feed = feed, Analyzer = analyzer, Matcher = matcher, Quality = quality, Session = session,
                Decisions = o.Decisions with { AcceptThreshold = threshold }, Loop = loopOptions, PassiveLiveness = passive, Sinks = sinks,
            });
            status.Attach(loop);
            loop.DecisionMade += d =>
            {
                matcher.Audit(d);
                context.Out.WriteLine(JsonSerializer.Serialize(d, HeadlessRecorder.JsonOptions));
                context.Out.Flush();
            };

            if (o.Headless)
            {
                context.Progress($"kiosk: {o.Mode.ToString().ToLowerInvariant()} mode, {feed.Description}, {(replay ? "replay" : "live")}, writing {recorder!.VideoPath}");
                loop.Run(token);
                var t = loop.Telemetry;
                context.Progress($"kiosk: {t.FramesProcessed} frames, {t.Ticks} ticks, dropped {feed.Dropped}, decisions in {recorder.DecisionsPath}");
                return 0;
            }
            return Serve(o, context, loop, status, preview!, session, matcher);
        }
        finally
        {
            while (disposables.Count > 0) disposables.Pop().Dispose();
        }
    }

    private static int Serve(KioskHostOptions o, CliContext context, KioskLoop loop, KioskStatusBoard status, MjpegBroadcaster preview,
        KioskSession session, IIdentityMatcher matcher)
    {
        var token = context.Cancellation;
        var server = new KioskServer(o.Urls, status, preview, session, matcher, ApiKeyGuard.FromFileOrEnvironment(o.ApiKeyFile));
        try
        {
            server.StartAsync().GetAwaiter().GetResult();
            context.Progress($"kiosk: listening on {string.Join(' ', server.Addresses)} ({o.Mode.ToString().ToLowerInvariant()} mode, {loop.Feed.Description})");
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try { loop.Run(token); }
                catch (Exception e) { failure = e; }
            }) { Name = "edgeface-kiosk-loop", IsBackground = true };
            thread.Start();
            thread.Join();
            if (failure is not null) throw failure;
            // Finite media ended: keep the screen up with the last result until the operator stops the kiosk.
            if (!token.IsCancellationRequested) context.Progress("kiosk: source ended; screen stays up until Ctrl+C");
            token.WaitHandle.WaitOne();
            return 0;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
