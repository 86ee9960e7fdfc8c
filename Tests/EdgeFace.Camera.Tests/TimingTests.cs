using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Loop;
using EdgeFace.Camera.Sources;
using EdgeFace.Runtime.Faces;

namespace EdgeFace.Camera.Tests;

public sealed class TimingTests
{
    [Fact]
    public void Running_slowly_has_hysteresis()
    {
        var slow = new SlowTickDetector(onAfter: 3, offAfter: 4);
        bool[] late = [true, true, false, true, true, true, false, false, true, false, false, false, false];
        var states = late.Select(slow.Update).ToArray();
        Assert.Equal([false, false, false, false, false, true, true, true, true, true, true, true, false], states);
    }

    [Fact]
    public void Reconnect_backoff_doubles_and_is_capped()
    {
        var p = new ReconnectPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        Assert.Equal([100, 200, 400, 800, 1000, 1000], Enumerable.Range(1, 6).Select(n => p.Delay(n).TotalMilliseconds));
    }

    [Fact]
    public void Tracker_keeps_ids_across_frames_and_drops_after_misses()
    {
        var tracker = new IouTracker(4) { MaxMisses = 2 };
        var removed = new List<Track>();
        List<FaceObservation> Faces(params RectF[] boxes) => boxes.Select(b => new FaceObservation(new FaceDetection(b, default, 0.9f), default)).ToList();

        tracker.Update(Faces(new RectF(100, 100, 80, 80), new RectF(400, 100, 80, 80)), TimeSpan.Zero, 0, removed);
        var ids = tracker.Active.Select(t => t.Id).ToArray();
        tracker.Update(Faces(new RectF(405, 102, 80, 80), new RectF(104, 98, 80, 80)), TimeSpan.Zero, 1, removed);
        Assert.Equal(ids, tracker.Active.Select(t => t.Id).ToArray());
        Assert.All(tracker.Active, t => Assert.Equal(1, t.Age));

        tracker.Update(Faces(new RectF(104, 98, 80, 80)), TimeSpan.Zero, 2, removed);
        tracker.Update(Faces(new RectF(104, 98, 80, 80)), TimeSpan.Zero, 3, removed);
        Assert.Empty(removed);
        tracker.Update(Faces(new RectF(104, 98, 80, 80)), TimeSpan.Zero, 4, removed);
        Assert.Equal(ids[1], Assert.Single(removed).Id);
        Assert.Equal(ids[0], Assert.Single(tracker.Active).Id);

        tracker.Recycle(removed);
        tracker.Update(Faces(new RectF(104, 98, 80, 80), new RectF(300, 300, 60, 60)), TimeSpan.Zero, 5, removed);
        Assert.Equal(ids[1] + 1, tracker.Active[^1].Id); // a new person gets a new id even from a recycled track
    }

    /// <summary>A stage that costs a scripted amount of (stepped) time, like a slow model would.</summary>
    private sealed class CostStage(ManualClock clock, Func<long, TimeSpan> cost) : KioskStage
    {
        public override string Name => "work";
        public override void Process(KioskContext context) => clock.Advance(cost(context.Tick));
    }

    [Fact]
    public void Loop_ticks_at_a_fixed_rate_reports_slowness_and_skips_time_after_a_stall()
    {
        var clock = new ManualClock();
        using var feed = new ReplayFrameFeed(new SyntheticSource(64, 48, 10, isLive: false) { Length = 1000 });
        feed.Start();
        var context = new KioskContext(new IouTracker(4));
        // 100 ms ticks. Ticks 20-39 cost 150 ms (late); tick 60 stalls for 2 s; otherwise 10 ms.
        var work = new CostStage(clock, t => t is >= 20 and < 40 ? TimeSpan.FromMilliseconds(150) : t == 60 ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(10));
        var loop = new KioskLoop(clock, feed, context, [new EdgeFace.Camera.Loop.Stages.CaptureStage(feed), work],
            new KioskLoopOptions { TickRate = 10, SlowAfterLateTicks = 3, RecoverAfterOnTimeTicks = 5, MaxCatchUp = TimeSpan.FromMilliseconds(500) });
        loop.Open();
        var slow = new List<bool>();
        var times = new List<double>();
        for (var i = 0; i < 80; i++)
        {
            loop.Tick();
            slow.Add(loop.Telemetry.RunningSlowly);
            times.Add(context.Now.TotalMilliseconds);
        }
        loop.Close();

        Assert.Equal(100, times[11] - times[10], 3);                    // on time: exactly one period apart
        Assert.False(slow[19]);
        Assert.True(slow[30]);                                          // lag has built up → running slowly
        Assert.Contains(false, slow.Skip(45).Take(14));                 // recovered after the slow stretch drained
        Assert.True(loop.Telemetry.SkippedTicks >= 15, $"skipped {loop.Telemetry.SkippedTicks}"); // the 2 s stall is skipped, not replayed
        Assert.Equal(100, times[63] - times[62], 3);                    // and the loop is back on its fixed rate
        Assert.Equal(80, loop.Telemetry.FramesProcessed);               // replay: one frame per tick, none dropped
    }
}
