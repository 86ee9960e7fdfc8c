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

    /// <summary>Runs work.Execute(i) for i in [0, count), on the pool (a few runs of items per thread) when there
    /// is enough work to share. Layers keep their work objects, so a call allocates nothing.</summary>
    internal static void For(int count, long workPerItem, IParallelWork work)
    {
        if (Threads == 1 || count < 2 || count * workPerItem < 32_768)
        {
            for (var i = 0; i < count; i++) work.Execute(i);
            return;
        }
        KernelParallelChunks.For(count, work);
    }
}
