namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// How many threads the kernels may use (the engine's <c>--threads</c>). Defaults to the processor count.
/// The kernels run their work on a small pool of dedicated background threads plus the calling thread.
/// </summary>
public static class KernelThreads
{
    private static int _count = Math.Max(1, Environment.ProcessorCount);

    public static int Count
    {
        get => Volatile.Read(ref _count);
        set
        {
            if (value < 1 || value > 1024)
                throw new ArgumentOutOfRangeException(nameof(value), value, "kernel thread count must be between 1 and 1024");
            Volatile.Write(ref _count, value);
        }
    }
}
