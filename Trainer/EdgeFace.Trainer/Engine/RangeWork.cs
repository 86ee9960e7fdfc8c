using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Engine;

/// <summary>
/// A flat loop over [0, length) cut into a few contiguous chunks per thread (chunk edges on 64-byte boundaries),
/// which threads claim as they free up: with one chunk each, a thread that started late held up the pass.
/// For the memory-bound whole-tensor passes (activations, zeroing gradients, optimizer updates) that would
/// otherwise leave every core but one idle. Owners keep their instance, so a call allocates nothing.
/// </summary>
internal abstract class RangeWork : IParallelWork
{
    /// <summary>Below this many elements a pass is a few microseconds: waking the pool would cost more.</summary>
    private const int ParallelThreshold = 1 << 16;

    private const int ChunksPerThread = 4;
    /// <summary>Most chunks of one call (owners may keep one partial result per chunk).</summary>
    public const int MaxTasks = 1024;

    private int _length;

    /// <summary>Chunks of the current call (1 when it runs inline); tasks are numbered 0..Tasks-1.</summary>
    protected int Tasks { get; private set; }

    protected void RunRange(int length)
    {
        _length = length;
        var threads = Parallelism.Threads;
        Tasks = threads <= 1 || length < ParallelThreshold || KernelParallel.IsInsideTask ? 1 : Math.Min(ChunksPerThread * threads, MaxTasks);
        if (Tasks == 1) Range(0, 0, length);
        else KernelParallel.For(Tasks, this);
    }

    public void Execute(int task)
    {
        var start = Boundary(task);
        Range(task, start, Boundary(task + 1) - start);
    }

    private int Boundary(int task) => task == Tasks ? _length : (int)((long)_length * task / Tasks) & ~15;

    /// <summary>Processes elements [start, start + count) as chunk <paramref name="task"/>.</summary>
    protected abstract void Range(int task, int start, int count);
}
