namespace EdgeFace.Trainer.Data;

/// <summary>
/// Draws batches from an <see cref="IBatchSampler"/> and loads their images, optionally spread over several
/// <see cref="SampleLoader"/>s in parallel and prefetching the next batch on a background task while the caller
/// trains on the current one (two reused <see cref="LoadedBatch"/> buffers). Because of that look-ahead, resume
/// with <see cref="SaveState"/> (the position after the batch last returned), not with the sampler's own state.
/// Owns the loaders it creates; dispose it. One training loop drives it (not thread-safe).
/// </summary>
public sealed class BatchLoader : IDisposable
{
    private readonly ILabeledDataset _data;
    private readonly IBatchSampler _sampler;
    private readonly SampleLoader[] _loaders;
    private readonly bool _augment;
    private readonly bool _prefetch;
    private readonly LoadedBatch[] _buffers;
    private int _next;                 // buffer the next Next() returns
    private Task? _pending;            // loading _buffers[_next] in the background
    private byte[] _stateAfterReturned;

    /// <param name="createLoader">Makes one loader per worker (share a <see cref="SampleCache"/> between them).</param>
    /// <param name="workers">Loaders working on a batch in parallel.</param>
    /// <param name="augment">Pass the sampler's per-sample seeds to the loaders (false: plain loads, e.g. validation).</param>
    /// <param name="prefetch">Load the next batch in the background after returning one.</param>
    public BatchLoader(ILabeledDataset data, IBatchSampler sampler, Func<SampleLoader> createLoader, int workers = 1, bool augment = true, bool prefetch = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _data = data;
        _sampler = sampler;
        _augment = augment;
        _prefetch = prefetch;
        _loaders = new SampleLoader[workers];
        try { for (var w = 0; w < workers; w++) _loaders[w] = createLoader(); }
        catch { DisposeLoaders(); throw; }
        SampleLength = _loaders[0].SampleLength;
        if (_loaders.Any(l => l.SampleLength != SampleLength)) { DisposeLoaders(); throw new ArgumentException("all loaders must produce the same sample size"); }
        _buffers = [new LoadedBatch(sampler.BatchSize, SampleLength), new LoadedBatch(sampler.BatchSize, SampleLength)];
        _stateAfterReturned = sampler.SaveState();
    }

    public int SampleLength { get; }
    public int BatchSize => _sampler.BatchSize;

    /// <summary>The next batch; rethrows a load error (e.g. an unreadable image) from the background task as is.</summary>
    public LoadedBatch Next()
    {
        var batch = _buffers[_next];
        if (_pending is null) Fill(batch);
        else
        {
            var pending = _pending;
            _pending = null;
            pending.GetAwaiter().GetResult();
        }
        _stateAfterReturned = batch.StateAfter;
        _next ^= 1;
        if (_prefetch)
        {
            var following = _buffers[_next];
            _pending = Task.Run(() => Fill(following));
        }
        return batch;
    }

    /// <summary>Sampler state after the last batch returned by <see cref="Next"/>: store it in the checkpoint.</summary>
    public byte[] SaveState() => _stateAfterReturned;

    private void Fill(LoadedBatch batch)
    {
        batch.Epoch = _sampler.Epoch;
        batch.BatchInEpoch = _sampler.BatchInEpoch;
        _sampler.Next(batch.Indices, batch.Seeds);
        if (batch.BatchInEpoch >= _sampler.BatchesPerEpoch) { batch.Epoch++; batch.BatchInEpoch = 0; } // it rolled over
        batch.StateAfter = _sampler.SaveState();
        for (var i = 0; i < batch.Indices.Length; i++) batch.Labels[i] = _data.Samples[batch.Indices[i]].Label;

        if (_loaders.Length == 1) { LoadRange(0, 0, batch.Indices.Length, batch); return; }
        var chunk = (batch.Indices.Length + _loaders.Length - 1) / _loaders.Length;
        Parallel.For(0, _loaders.Length, w =>
        {
            var start = w * chunk;
            LoadRange(w, start, Math.Min(batch.Indices.Length, start + chunk), batch);
        });
    }

    private void LoadRange(int worker, int start, int end, LoadedBatch batch)
    {
        if (start >= end) return;
        _loaders[worker].LoadBatch(_data, batch.Indices.AsSpan(start, end - start),
            _augment ? batch.Seeds.AsSpan(start, end - start) : [],
            batch.Images.AsSpan(start * SampleLength, (end - start) * SampleLength));
    }

    public void Dispose()
    {
        try { _pending?.Wait(); } catch (AggregateException) { } // an error nobody asked for any more
        DisposeLoaders();
    }

    private void DisposeLoaders()
    {
        foreach (var l in _loaders) l?.Dispose();
    }
}
