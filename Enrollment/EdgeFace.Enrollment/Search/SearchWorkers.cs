namespace EdgeFace.Enrollment.Search;

/// <summary>
/// A fixed team of background threads that run the partitions of one search while the calling thread runs
/// partition 0. Starting a search signals semaphores and waits on a countdown: nothing is allocated per
/// search. One search at a time: the owner serialises calls to <see cref="Run"/> (the index lets a caller that
/// finds the team busy scan alone instead). Dispose stops the threads.
/// </summary>
internal sealed class SearchWorkers : IDisposable
{
    private readonly SemaphoreSlim[] _start;
    private readonly Thread[] _threads;
    private readonly CountdownEvent _done = new(1);
    private Action<int>? _work;
    private Exception? _error;
    private volatile bool _stopping;

    /// <summary>Partitions per search: the workers plus the caller.</summary>
    public int Parts => _threads.Length + 1;

    public SearchWorkers(int threads)
    {
        var workers = Math.Max(0, threads - 1);
        _start = new SemaphoreSlim[workers];
        _threads = new Thread[workers];
        for (var w = 0; w < workers; w++)
        {
            _start[w] = new SemaphoreSlim(0);
            var part = w + 1;
            _threads[w] = new Thread(() => Loop(part)) { IsBackground = true, Name = $"edgeface-search-{part}" };
            _threads[w].Start();
        }
    }

    /// <summary>Runs <paramref name="work"/>(0..Parts-1) in parallel and waits. Callers must not overlap.</summary>
    public void Run(Action<int> work)
    {
        try
        {
            _work = work;
            _error = null;
            _done.Reset(_threads.Length + 1);
            foreach (var s in _start) s.Release();
            try { work(0); }
            finally { _done.Signal(); }
            _done.Wait();
            if (_error is not null) throw new AggregateException(_error);
        }
        finally
        {
            _work = null;
        }
    }

    private void Loop(int part)
    {
        var start = _start[part - 1];
        while (true)
        {
            start.Wait();
            if (_stopping) return;
            try { _work!(part); }
            catch (Exception e) { _error = e; }
            finally { _done.Signal(); }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var s in _start) s.Release();
        foreach (var t in _threads) t.Join();
        foreach (var s in _start) s.Dispose();
        _done.Dispose();
    }
}
