using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Engine;

/// <summary>
/// The engine's thread budget, shared by its own per-channel loops and the kernels (<see cref="KernelThreads"/>),
/// which also run on the kernels' allocation-free worker pool. Set once from the run's configuration.
/// </summary>
public static class Parallelism
{
    public static int Threads
    {
        get => KernelThreads.Count;
        set => KernelThreads.Count = Math.Clamp(value, 1, 1024);
    }

    /// <summary>Runs work.Execute(i) for i in [0, count), on the pool when there is enough work to share.
    /// Items go in a few contiguous chunks per thread: one pool task per item (thousands of planes) made the
    /// threads contend on the task counter and on neighbouring cache lines. Layers keep their work objects,
    /// and the chunking wrapper is cached per thread, so a call allocates nothing.</summary>
    internal static void For(int count, long workPerItem, IParallelWork work)
    {
        if (Threads == 1 || count < 2 || count * workPerItem < 32_768)
        {
            for (var i = 0; i < count; i++) work.Execute(i);
            return;
        }
        var chunks = _chunks ??= new Chunks();
        chunks.Inner = work;
        chunks.Count = count;
        chunks.Tasks = Math.Min(count, 4 * Threads);
        try
        {
            KernelParallel.For(chunks.Tasks, chunks);
        }
        finally
        {
            chunks.Inner = null!;
        }
    }

    [ThreadStatic] private static Chunks? _chunks;

    private sealed class Chunks : IParallelWork
    {
        public IParallelWork Inner = null!;
        public int Count, Tasks;

        public void Execute(int task)
        {
            var end = (int)((long)Count * (task + 1) / Tasks);
            for (var i = (int)((long)Count * task / Tasks); i < end; i++) Inner.Execute(i);
        }
    }
}
