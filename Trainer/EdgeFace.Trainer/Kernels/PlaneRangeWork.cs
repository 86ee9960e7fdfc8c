namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// A pass over <c>count</c> independent planes, cut into a few contiguous plane ranges per thread that the pool's
/// threads claim as they free up (copies that lay out a whole batch: column phases, zero-bordered planes).
/// Owners cache their instance per thread, so a call allocates nothing.
/// </summary>
internal abstract class PlaneRangeWork : IParallelWork
{
    private int _count, _tasks;

    protected void RunRanges(int count)
    {
        _count = count;
        _tasks = Math.Min(count, 4 * KernelThreads.Count);
        KernelParallel.For(_tasks, this);
    }

    public void Execute(int task) => Range((int)((long)_count * task / _tasks), (int)((long)_count * (task + 1) / _tasks));

    /// <summary>Processes planes [from, to).</summary>
    protected abstract void Range(int from, int to);
}
