namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// Runs many small items as a few contiguous runs per thread: one pool task per item (thousands of planes or
/// channels) made the threads contend on the task counter and on neighbouring cache lines.
/// Cached per calling thread, so a call allocates nothing.
/// </summary>
internal sealed class KernelParallelChunks : IParallelWork
{
    [ThreadStatic] private static KernelParallelChunks? _cached;

    private IParallelWork? _items;
    private int _count, _tasks;

    /// <summary>Runs per thread: enough that a thread that starts late or is slowed does not hold up the call.</summary>
    private const int RunsPerThread = 8;

    /// <summary>items.Execute(i) for i in [0, count), in about <see cref="RunsPerThread"/> runs per thread.</summary>
    public static void For(int count, IParallelWork items)
    {
        var chunks = _cached ??= new KernelParallelChunks();
        (chunks._items, chunks._count, chunks._tasks) = (items, count, Math.Min(count, RunsPerThread * KernelThreads.Count));
        try
        {
            KernelParallel.For(chunks._tasks, chunks);
        }
        finally
        {
            chunks._items = null;
        }
    }

    public void Execute(int task)
    {
        var end = (int)((long)_count * (task + 1) / _tasks);
        for (var i = (int)((long)_count * task / _tasks); i < end; i++) _items!.Execute(i);
    }
}
