using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Engine;

/// <summary>
/// The engine's thread budget, shared by its own per-channel loops and the kernels (<see cref="KernelThreads"/>).
/// Set once from the run's configuration (<c>threads</c> / <c>--threads</c>).
/// </summary>
public static class Parallelism
{
    private static ParallelOptions _options = new() { MaxDegreeOfParallelism = KernelThreads.Count };

    public static int Threads
    {
        get => _options.MaxDegreeOfParallelism;
        set
        {
            var n = Math.Clamp(value, 1, 1024);
            KernelThreads.Count = n;
            _options = new ParallelOptions { MaxDegreeOfParallelism = n };
        }
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
