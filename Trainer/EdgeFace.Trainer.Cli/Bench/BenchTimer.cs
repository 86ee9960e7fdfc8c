using System.Diagnostics;

namespace EdgeFace.Trainer.Cli.Bench;

/// <summary>One measurement: best wall-clock seconds per call, and process CPU seconds per call over the same batch.
/// CPU time stays meaningful when other processes compete for the cores (wall time then overstates the cost).</summary>
internal readonly record struct BenchTime(double WallSeconds, double CpuSeconds);

/// <summary>Times a repeatable action: warms it up, then takes the best of several short batches sized to fill the
/// time budget (best-of damps interference from other processes on a shared machine).</summary>
internal static class BenchTimer
{
    public static BenchTime Measure(Action action, double budgetSeconds, CancellationToken cancel)
    {
        action();
        var sw = Stopwatch.StartNew();
        action();
        var once = Math.Max(sw.Elapsed.TotalSeconds, 1e-7);
        const int batches = 8;
        var reps = (int)Math.Clamp(budgetSeconds / batches / once, 1, 100_000);
        var best = new BenchTime(double.MaxValue, double.MaxValue);
        using var process = Process.GetCurrentProcess();
        for (var b = 0; b < batches; b++)
        {
            cancel.ThrowIfCancellationRequested();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            sw.Restart();
            for (var r = 0; r < reps; r++) action();
            var wall = sw.Elapsed.TotalSeconds / reps;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds / reps;
            if (wall < best.WallSeconds) best = best with { WallSeconds = wall };
            if (cpu > 0 && cpu < best.CpuSeconds) best = best with { CpuSeconds = cpu };
        }
        if (best.CpuSeconds == double.MaxValue) best = best with { CpuSeconds = best.WallSeconds };
        return best;
    }
}
