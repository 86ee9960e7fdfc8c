using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace EdgeFace.Trainer.Kernels;

/// <summary>
/// An allocation-free parallel-for over <see cref="KernelThreads.Count"/> threads: long-lived background workers,
/// tasks handed out by an interlocked counter, the caller working alongside.
/// Work objects are cached by the callers, so a call allocates nothing (Parallel.For allocates closures and state).
/// Calls made while the pool is busy (another thread, or from inside a task) run inline on the calling thread.
/// A training step makes a few hundred calls, most within microseconds of the last, so an idle worker spins on the
/// posted-run word for <see cref="SpinMicroseconds"/> before it parks on its semaphore: waking a parked thread
/// took about 70 µs on average here (up to a millisecond), paid on every call; spinning removes most of the
/// two threads' idle time at the ends of calls (about 8 % of a ResNet step before, 5 % after).
/// </summary>
internal static class KernelParallel
{
    /// <summary>How long an idle worker watches for the next run before it parks.</summary>
    public const int SpinMicroseconds = 2000;
    private static readonly long SpinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    private static readonly object Gate = new();
    private static readonly List<Worker> Workers = [];
    private static IParallelWork? _work;
    private static int _nextTask, _taskCount, _pendingWorkers;
    /// <summary>The latest pooled run: its number (high half) and how many workers it wants (low half), in one
    /// word so a worker never pairs one run's number with another's count. Written after the run's fields.</summary>
    private static long _posted;
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
            // Task 0 is the caller's: a spinning worker could otherwise take every task of a call, leaving the
            // caller's per-task buffers and caches unmade until some later, supposedly warm, call.
            Volatile.Write(ref _nextTask, 1);
            Volatile.Write(ref _pendingWorkers, helpers);
            // A full fence: a worker that sees the new run sees its fields.
            Interlocked.Exchange(ref _posted, ((_posted >> 32) + 1 << 32) | (uint)helpers);
            for (var i = 0; i < helpers; i++) Workers[i].WakeIfParked();
            Drain(first: 0);
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

    /// <summary>Runs <paramref name="first"/> (when given), then tasks from the shared counter until none are left.</summary>
    private static void Drain(int first = -1)
    {
        _insideTask = true;
        try
        {
            var work = _work!;
            if (first >= 0) work.Execute(first);
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
        while (Workers.Count < count) Workers.Add(new Worker(Workers.Count, (int)(Volatile.Read(ref _posted) >> 32)));
    }

    /// <summary>One background thread. Joins every run whose helper count includes its index; such a run cannot
    /// finish without it, so it never misses one (it may skip runs that do not want it).</summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _wakeup = new(0);
        private readonly int _index;
        /// <summary>1 while the worker is parked on <see cref="_wakeup"/> or about to be.</summary>
        private int _parked;
        private int _seen;

        public Worker(int index, int run)
        {
            (_index, _seen) = (index, run);
            new Thread(Loop) { IsBackground = true, Name = $"edgeface-kernel-{index + 1}" }.Start();
        }

        public void WakeIfParked()
        {
            if (Volatile.Read(ref _parked) == 1 && Interlocked.Exchange(ref _parked, 0) == 1) _wakeup.Release();
        }

        private void Loop()
        {
            while (true)
            {
                var posted = NextRun();
                _seen = (int)(posted >> 32);
                if (_index >= (int)posted) continue; // a run with fewer threads
                Drain();
                Interlocked.Decrement(ref _pendingWorkers);
            }
        }

        /// <summary>Spins until a run newer than the last one seen is posted, parking when none comes for a while.
        /// The poster publishes the run then reads the flag; this sets the flag then reads the run (both fenced),
        /// so at least one of them sees the other and a run is never missed. A stale semaphore count costs a lap.</summary>
        private long NextRun()
        {
            while (true)
            {
                var spinStart = Stopwatch.GetTimestamp();
                // More threads than cores: a spinning worker would hold a core the caller needs.
                var spinTicks = KernelThreads.Count <= Environment.ProcessorCount ? SpinTicks : 0;
                for (var i = 1; ; i++)
                {
                    var posted = Volatile.Read(ref _posted);
                    if ((int)(posted >> 32) != _seen) return posted;
                    Thread.SpinWait(4);
                    if ((i & 63) == 0 && Stopwatch.GetTimestamp() - spinStart > spinTicks) break;
                }
                Interlocked.Exchange(ref _parked, 1);
                var latest = Volatile.Read(ref _posted);
                if ((int)(latest >> 32) != _seen)
                {
                    Interlocked.Exchange(ref _parked, 0);
                    return latest;
                }
                _wakeup.Wait();
            }
        }
    }
}
