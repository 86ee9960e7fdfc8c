using System.Collections.Concurrent;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// A bounded, thread-safe in-memory store of decoded samples (an image already fitted to the network input, or
/// a preprocessing delegate's float output) keyed by file path, so small datasets are decoded once per run.
/// Insert-only: once <see cref="CapacityBytes"/> is reached new samples are simply not cached. Under uniform
/// random sampling that keeps a stable hit rate of capacity/dataset, where LRU eviction would thrash.
/// One cache serves one loader configuration (loaders check this when they attach); share it between the
/// per-thread <see cref="SampleLoader"/>s of a run. Managed memory only.
/// </summary>
public sealed class SampleCache(long capacityBytes = 512L << 20)
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly Lock _bindLock = new();
    private string? _configuration;
    private long _used, _hits, _misses;

    public long CapacityBytes { get; } = capacityBytes >= 0 ? capacityBytes
        : throw new ArgumentOutOfRangeException(nameof(capacityBytes), capacityBytes, "cache capacity cannot be negative");

    public long UsedBytes => Interlocked.Read(ref _used);
    public int Count => _entries.Count;
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    internal void Bind(string configuration)
    {
        lock (_bindLock)
        {
            _configuration ??= configuration;
            if (_configuration != configuration)
                throw new ArgumentException($"this SampleCache holds samples prepared as [{_configuration}], not [{configuration}]; use one cache per loader configuration");
        }
    }

    internal bool TryGet(string key, out byte[] data)
    {
        if (_entries.TryGetValue(key, out data!)) { Interlocked.Increment(ref _hits); return true; }
        Interlocked.Increment(ref _misses);
        return false;
    }

    internal void TryAdd(string key, ReadOnlySpan<byte> data)
    {
        if (Interlocked.Add(ref _used, data.Length) > CapacityBytes || !_entries.TryAdd(key, data.ToArray()))
            Interlocked.Add(ref _used, -data.Length);
    }
}
