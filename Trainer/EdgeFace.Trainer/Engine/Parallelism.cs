namespace EdgeFace.Trainer.Engine;

/// <summary>
/// The engine's thread budget for its own per-channel loops (kernels have theirs behind their entry points).
/// Set once from the run's configuration.
/// </summary>
public static class Parallelism
{
    private static ParallelOptions _options = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    public static int Threads
    {
        get => _options.MaxDegreeOfParallelism;
        set => _options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, value) };
    }

    /// <summary>Runs body(i) for i in [0, count), in parallel when there is enough work to share.</summary>
    public static void For(int count, long workPerItem, Action<int> body)
    {
        if (Threads == 1 || count < 2 || count * workPerItem < 32_768)
        {
            for (var i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, _options, body);
    }
}
