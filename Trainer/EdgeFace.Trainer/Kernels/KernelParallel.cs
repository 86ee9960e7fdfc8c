using System.Runtime.ExceptionServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// An allocation-free parallel-for over <see cref="KernelThreads.Count"/> threads: long-lived background workers
/// each woken by its own semaphore, tasks handed out by an interlocked counter, the caller working alongside.
/// Work objects are cached by the callers, so a call allocates nothing (Parallel.For allocates closures and state).
/// Calls made while the pool is busy (another thread, or from inside a task) run inline on the calling thread.
/// </summary>
internal static class KernelParallel
{
    private static readonly object Gate = new();
    /// <summary>Where the caller sleeps until the last worker finishes (Monitor.Wait allocates nothing, unlike a
    /// ManualResetEventSlim, whose first blocking wait allocates its lock object).</summary>
    private static readonly List<SemaphoreSlim> Wakeups = [];
    private static IParallelWork? _work;
    private static int _nextTask, _taskCount, _pendingWorkers;
    private static ExceptionDispatchInfo? _failure;
    [ThreadStatic] private static bool _insideTask;

    /// <summary>True on a thread that is running a task; nested work then runs inline (and must not reuse cached work objects).</summary>
    public static bool IsInsideTask => _insideTask;

    /// <summary>How many batches have run on more than one thread (lets tests prove the threaded path ran).</summary>
    public static long PooledRuns => Interlocked.Read(ref _pooledRuns);
    private static long _pooledRuns;

    public static void For(int taskCount, IParallelWork work)
    {
        var threads = Math.Min(KernelThreads.Count, taskCount);
        if (threads <= 1 || _insideTask || !Monitor.TryEnter(Gate))
        {
            RunInline(taskCount, work);
            return;
        }
        try
        {
            var helpers = threads - 1;
            EnsureWorkers(helpers);
            Interlocked.Increment(ref _pooledRuns);
            _work = work;
            _failure = null;
            _taskCount = taskCount;
            Volatile.Write(ref _nextTask, 0);
            Volatile.Write(ref _pendingWorkers, helpers);
            for (var i = 0; i < helpers; i++) Wakeups[i].Release();
            Drain();
            WaitForWorkers();
            _work = null;
            _failure?.Throw();
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void RunInline(int taskCount, IParallelWork work)
    {
        var wasInside = _insideTask;
        _insideTask = true;
        try
        {
            for (var t = 0; t < taskCount; t++) work.Execute(t);
        }
        finally
        {
            _insideTask = wasInside;
        }
    }

    private static void Drain()
    {
        _insideTask = true;
        try
        {
            var work = _work!;
            int t;
            while ((t = Interlocked.Increment(ref _nextTask) - 1) < _taskCount) work.Execute(t);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            Volatile.Write(ref _nextTask, int.MaxValue / 2); // stop handing out tasks
        }
        finally
        {
            _insideTask = false;
        }
    }

    private static void WaitForWorkers()
    {
        // Workers usually finish within microseconds of the caller: spin, then yield, then sleep in 1 ms steps
        // for a descheduled worker. No Monitor.Wait: its first use on a thread allocates, which broke
        // "a warm step allocates nothing" whenever a slow worker first pushed a caller onto that path.
        var spin = new SpinWait();
        while (Volatile.Read(ref _pendingWorkers) != 0) spin.SpinOnce(sleep1Threshold: 200);
    }

    private static void EnsureWorkers(int count)
    {
        while (Wakeups.Count < count)
        {
            var wakeup = new SemaphoreSlim(0);
            Wakeups.Add(wakeup);
            var thread = new Thread(() => WorkerLoop(wakeup)) { IsBackground = true, Name = $"edgeface-kernel-{Wakeups.Count}" };
            thread.Start();
        }
    }

    private static void WorkerLoop(SemaphoreSlim wakeup)
    {
        while (true)
        {
            wakeup.Wait();
            Drain();
            Interlocked.Decrement(ref _pendingWorkers);
        }
    }
}
