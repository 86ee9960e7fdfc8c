using System.Runtime.InteropServices;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Search;

/// <summary>
/// The in-memory 1:N index: one L2-normalised float32 row per identity in a contiguous, 64-byte aligned native
/// matrix (plus int8 codes when quantised), searched exhaustively for the top k by cosine similarity.
/// <para>
/// Concurrency: a <see cref="ReaderWriterLockSlim"/>. Any number of searches run together under the read
/// lock; <see cref="Add"/>/<see cref="Remove"/> take the write lock and change the matrix in place (append;
/// remove = move the last row into the hole), so the index is updated incrementally without a reload.
/// Copy-on-write segments were rejected: copying a 512 MB matrix per enrolment costs more than briefly
/// pausing searches, and enrolments are rare (seconds apart) while searches last milliseconds.
/// </para>
/// <para>
/// A search over at least <see cref="IndexOptions.ParallelThreshold"/> rows is split over the worker team,
/// each part keeping its own top-k, merged at the end; a concurrent search that finds the team busy scans
/// on its own thread. Searches allocate nothing in steady state. Owns native memory and threads: dispose it.
/// </para>
/// </summary>
public sealed unsafe class GalleryIndex : IDisposable
{
    // Batch blocks stay in L1 while every probe of the batch is scored against them (32 KB: 2-2.5x the batch throughput of 256 KB blocks here).
    private const int BlockBytes = 32 * 1024;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock _parallelGate = new();
    private readonly IndexOptions _options;
    private readonly SearchWorkers? _workers;
    private readonly int _stride;
    private readonly int _codeStride;
    private readonly Dictionary<long, int> _rowOf = new();
    private long[] _ids = [];
    private float* _vectors;
    private sbyte* _codes;
    private float* _scales;
    private int _count;
    private int _capacity;

    // The job the worker team runs; written only while holding _parallelGate.
    private readonly Action<int> _runPart;
    private readonly TopK[] _partTops;
    private TopK[][] _batchTops = [];
    private float* _jobQueries;
    private short* _jobCodes;
    private int _jobQueryCount;
    private int _jobK;
    private bool _jobBatch;
    private int _jobChunk;
    private long _nextRow;

    [ThreadStatic] private static TopK? t_scan;
    [ThreadStatic] private static TopK? t_final;

    public ModelBinding Model { get; }
    public int Dimension { get; }
    public Quantization Quantization => _options.Quantization;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Which SIMD kernels this machine runs (for benchmarks and diagnostics).</summary>
    public static string KernelPath => $"fp32:{DotKernels.Path} int8:{Int8Kernels.Path}";

    public GalleryIndex(ModelBinding model, int dimension, IndexOptions? options = null)
    {
        if (dimension <= 0 || dimension > 8192) throw new EdgeFaceException($"embedding length {dimension} is out of range (1..8192)");
        _options = options ?? new IndexOptions();
        if (_options.Threads < 1) throw new EdgeFaceException($"thread count must be at least 1, got {_options.Threads}");
        Model = model;
        Dimension = dimension;
        _stride = RoundUp(dimension, DotKernels.StrideMultiple);
        _codeStride = RoundUp(dimension, Int8Kernels.StrideMultiple);
        _runPart = RunPart;
        _workers = _options.Threads > 1 ? new SearchWorkers(_options.Threads) : null;
        _partTops = Enumerable.Range(0, _options.Threads).Select(_ => new TopK()).ToArray();
    }

    /// <summary>
    /// Builds an index of every identity's face aggregate made by <paramref name="model"/>. Identities enrolled
    /// with another model are left out (see <see cref="IGalleryStore.Summarise"/>); their count is returned in
    /// <paramref name="otherModel"/>.
    /// </summary>
    public static GalleryIndex Load(IGalleryStore store, ModelBinding model, int dimension, out int otherModel, IndexOptions? options = null)
    {
        var index = new GalleryIndex(model, dimension, options);
        otherModel = 0;
        try
        {
            foreach (var t in store.GetAggregates(TemplateKind.Face))
            {
                if (!t.Model.SameModel(model) || t.Embedding.Length != dimension) { otherModel++; continue; }
                index.Add(t.IdentityId, t.Embedding);
            }
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Adds the identity's template, or replaces it when the identity is already indexed. The vector is normalised.</summary>
    public void Add(long identityId, ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != Dimension) throw new EdgeFaceException($"embedding has {embedding.Length} values, the index holds {Dimension}-value templates");
        _lock.EnterWriteLock();
        try
        {
            if (!_rowOf.TryGetValue(identityId, out var row))
            {
                if (_count == _capacity) Grow(Math.Max(1024, _capacity + _capacity / 2));
                row = _count++;
                _ids[row] = identityId;
                _rowOf[identityId] = row;
            }
            WriteRow(row, embedding);
        }
        finally { _lock.ExitWriteLock(); }
    }

    public bool Remove(long identityId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_rowOf.Remove(identityId, out var row)) return false;
            var last = --_count;
            if (row != last)
            {
                Buffer.MemoryCopy(_vectors + (long)last * _stride, _vectors + (long)row * _stride, _stride * 4L, _stride * 4L);
                if (_codes is not null)
                {
                    Buffer.MemoryCopy(_codes + (long)last * _codeStride, _codes + (long)row * _codeStride, _codeStride, _codeStride);
                    _scales[row] = _scales[last];
                }
                _ids[row] = _ids[last];
                _rowOf[_ids[row]] = row;
            }
            return true;
        }
        finally { _lock.ExitWriteLock(); }
    }

    public bool Contains(long identityId)
    {
        _lock.EnterReadLock();
        try { return _rowOf.ContainsKey(identityId); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// The best <c>results.Length</c> identities for <paramref name="probe"/>, best first; returns how many were
    /// written (fewer when the gallery is smaller). Refuses a probe from another model.
    /// </summary>
    public int Search(ReadOnlySpan<float> probe, ModelBinding probeModel, Span<SearchHit> results)
    {
        Model.RequireSame(probeModel, "the gallery index");
        if (probe.Length != Dimension) throw new EdgeFaceException($"probe has {probe.Length} values, the index holds {Dimension}-value templates");
        var query = stackalloc float[_stride];
        var codes = stackalloc short[_codeStride];
        var k = results.Length;
        _lock.EnterReadLock();
        try
        {
            var n = _count;
            k = Math.Min(k, n);
            if (k == 0) return 0;
            PrepareQuery(probe, query, codes);
            var candidates = Candidates(k, n);
            var found = t_final ??= new TopK();
            found.Reset(candidates);
            var ranParallel = false;
            if (_workers is not null && n >= _options.ParallelThreshold && _parallelGate.TryEnter())
            {
                try
                {
                    SetJob(query, codes, 1, candidates, batch: false);
                    _workers.Run(_runPart);
                    foreach (var part in _partTops) found.MergeFrom(part);
                    ranParallel = true;
                }
                finally { _parallelGate.Exit(); }
            }
            if (!ranParallel) ScanRange(0, n, query, codes, found);
            return Finish(found, query, k, results);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// Searches many probes (row-major, <c>count x Dimension</c>) at once: the gallery is streamed in cache-sized
    /// blocks and each block is scored against every probe, so the matrix is read once per batch, not per probe.
    /// <paramref name="results"/> holds <paramref name="k"/> hits per probe; returns hits per probe.
    /// </summary>
    public int SearchBatch(ReadOnlySpan<float> probes, ModelBinding probeModel, int k, Span<SearchHit> results)
    {
        Model.RequireSame(probeModel, "the gallery index");
        if (probes.Length % Dimension != 0) throw new EdgeFaceException($"probe batch has {probes.Length} values, not a multiple of {Dimension}");
        var count = probes.Length / Dimension;
        if (results.Length < count * k) throw new ArgumentException($"results holds {results.Length} hits, {count} x {k} needed", nameof(results));
        var queries = (float*)NativeMemory.AlignedAlloc((nuint)count * (nuint)_stride * 4, 64);
        var codes = (short*)NativeMemory.AlignedAlloc((nuint)count * (nuint)_codeStride * 2, 64);
        _lock.EnterReadLock();
        try
        {
            var n = _count;
            var hits = Math.Min(k, n);
            if (hits == 0) return 0;
            for (var q = 0; q < count; q++) PrepareQuery(probes.Slice(q * Dimension, Dimension), queries + (long)q * _stride, codes + (long)q * _codeStride);
            var candidates = Candidates(hits, n);
            // Batches are throughput work: they queue for the worker team (and its per-query buffers) rather than fall back.
            lock (_parallelGate)
            {
                var parts = _workers?.Parts ?? 1;
                EnsureBatchTops(parts, count);
                SetJob(queries, codes, count, candidates, batch: true);
                if (parts > 1) _workers!.Run(_runPart); else RunBatchPart(0);
                var merged = t_final ??= new TopK();
                for (var q = 0; q < count; q++)
                {
                    merged.Reset(candidates);
                    for (var p = 0; p < parts; p++) merged.MergeFrom(_batchTops[p][q]);
                    Finish(merged, queries + (long)q * _stride, hits, results.Slice(q * k, hits));
                }
            }
            return hits;
        }
        finally
        {
            _lock.ExitReadLock();
            NativeMemory.AlignedFree(queries);
            NativeMemory.AlignedFree(codes);
        }
    }

    // ---- internals -----------------------------------------------------------------------------------

    private int Candidates(int k, int n) => _options.Quantization == Quantization.Int8 ? Math.Min(n, Math.Max(k, _options.RerankCandidates)) : k;

    private void PrepareQuery(ReadOnlySpan<float> probe, float* query, short* codes)
    {
        var q = new Span<float>(query, _stride);
        q.Clear();
        probe.CopyTo(q);
        Embeddings.Normalise(q[..Dimension]);
        if (_options.Quantization != Quantization.Int8) return;
        Span<sbyte> c = stackalloc sbyte[_codeStride];
        Int8Kernels.Quantise(q[..Dimension], c);
        for (var i = 0; i < _codeStride; i++) codes[i] = c[i];
    }

    private void ScanRange(int first, int end, float* query, short* codes, TopK top)
    {
        if (_options.Quantization == Quantization.Int8) Int8Kernels.Scan(_codes, _scales, first, end, _codeStride, codes, top);
        else DotKernels.Scan(_vectors, first, end, _stride, query, top);
    }

    /// <summary>Exact re-ranking (int8) and conversion of rows to identity hits.</summary>
    private int Finish(TopK found, float* query, int k, Span<SearchHit> results)
    {
        var rows = found.Rows;
        if (_options.Quantization == Quantization.Int8)
        {
            var exact = t_scan ??= new TopK();
            exact.Reset(k);
            foreach (var row in rows) exact.Offer(row, DotKernels.Dot(_vectors + (long)row * _stride, query, _stride));
            found = exact;
        }
        var written = Math.Min(k, found.Count);
        for (var i = 0; i < written; i++) results[i] = new SearchHit(_ids[found.Rows[i]], found.Scores[i]);
        return written;
    }

    private void SetJob(float* queries, short* codes, int count, int k, bool batch)
    {
        _jobQueries = queries;
        _jobCodes = codes;
        _jobQueryCount = count;
        _jobK = k;
        _jobBatch = batch;
        // Parts claim chunks of rows from a shared counter instead of fixed halves, so a thread that the OS
        // deschedules delays only its current chunk; the others take the rest.
        var rowBytes = _options.Quantization == Quantization.Int8 ? _codeStride : _stride * 4;
        _jobChunk = batch ? Math.Max(4, BlockBytes / rowBytes) : Math.Max(1024, ChunkBytes / rowBytes);
        _nextRow = 0;
    }

    private const int ChunkBytes = 4 * 1024 * 1024;

    private bool Claim(out int first, out int end)
    {
        var start = Interlocked.Add(ref _nextRow, _jobChunk) - _jobChunk;
        first = (int)Math.Min(start, _count);
        end = (int)Math.Min(start + _jobChunk, _count);
        return first < end;
    }

    private void RunPart(int part)
    {
        if (_jobBatch) { RunBatchPart(part); return; }
        var top = _partTops[part];
        top.Reset(_jobK);
        while (Claim(out var first, out var end)) ScanRange(first, end, _jobQueries, _jobCodes, top);
    }

    /// <summary>A batch part claims cache-sized blocks of rows and scores each block against every probe, keeping its own top-k per probe.</summary>
    private void RunBatchPart(int part)
    {
        var tops = _batchTops[part];
        for (var q = 0; q < _jobQueryCount; q++) tops[q].Reset(_jobK);
        while (Claim(out var first, out var end))
            for (var q = 0; q < _jobQueryCount; q++)
                ScanRange(first, end, _jobQueries + (long)q * _stride, _jobCodes + (long)q * _codeStride, tops[q]);
    }

    private void EnsureBatchTops(int parts, int count)
    {
        if (_batchTops.Length < parts) Array.Resize(ref _batchTops, parts);
        for (var p = 0; p < parts; p++)
        {
            var tops = _batchTops[p] ?? [];
            if (tops.Length < count)
            {
                var grown = new TopK[count];
                tops.CopyTo(grown, 0);
                for (var i = tops.Length; i < count; i++) grown[i] = new TopK();
                _batchTops[p] = grown;
            }
        }
    }

    private void WriteRow(int row, ReadOnlySpan<float> embedding)
    {
        var dst = new Span<float>(_vectors + (long)row * _stride, _stride);
        dst.Clear();
        embedding.CopyTo(dst);
        Embeddings.Normalise(dst[..Dimension]);
        if (_codes is not null)
            _scales[row] = Int8Kernels.Quantise(dst[..Dimension], new Span<sbyte>(_codes + (long)row * _codeStride, _codeStride));
    }

    private void Grow(int capacity)
    {
        _vectors = (float*)NativeMemory.AlignedRealloc(_vectors, (nuint)capacity * (nuint)_stride * 4, 64);
        if (_options.Quantization == Quantization.Int8)
        {
            _codes = (sbyte*)NativeMemory.AlignedRealloc(_codes, (nuint)capacity * (nuint)_codeStride, 64);
            _scales = (float*)NativeMemory.AlignedRealloc(_scales, (nuint)capacity * 4, 64);
        }
        Array.Resize(ref _ids, capacity);
        _capacity = capacity;
    }

    /// <summary>Reserves room for <paramref name="rows"/> identities up front (avoids repeated growth when bulk loading).</summary>
    public void Reserve(int rows)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_capacity < rows) Grow(rows);
        }
        finally { _lock.ExitWriteLock(); }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    public void Dispose()
    {
        _workers?.Dispose();
        _lock.EnterWriteLock();
        try
        {
            NativeMemory.AlignedFree(_vectors);
            NativeMemory.AlignedFree(_codes);
            NativeMemory.AlignedFree(_scales);
            _vectors = null;
            _codes = null;
            _scales = null;
            _count = 0;
            _capacity = 0;
        }
        finally { _lock.ExitWriteLock(); }
    }
}
